import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {ConfigError, ExitCode, OauthctlError} from '../../src/errors.js'
import {discoverServer, wellKnownUrl} from '../../src/providers/discovery.js'
import {registerClient, REGISTERED_REDIRECT_URI} from '../../src/providers/registration.js'
import {startSandbox, type Sandbox} from '../../src/sandbox/server.js'
import {sendJson, startFake, type FakeServer} from './helpers.js'

const servers: FakeServer[] = []
let sandbox: Sandbox
before(async () => {
  sandbox = await startSandbox({port: 0, autoApprove: true})
})
after(async () => {
  await Promise.all(servers.map((server) => server.close()))
  await sandbox.close()
})

async function fake(handler: Parameters<typeof startFake>[0]): Promise<FakeServer> {
  const server = await startFake(handler)
  servers.push(server)
  return server
}

function metadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    registration_endpoint: `${issuer}/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  }
}

const isConfigError = (pattern: RegExp) => (error: unknown) =>
  error instanceof OauthctlError && error.exitCode === ExitCode.config && pattern.test(`${error.message} ${error.hint ?? ''}`)

describe('discovery', () => {
  it('reads the sandbox OpenID Connect metadata first', async () => {
    const found = await discoverServer(sandbox.issuer)
    assert.equal(found.kind, 'openid-configuration')
    assert.equal(found.metadataUrl, `${sandbox.issuer}/.well-known/openid-configuration`)
    assert.equal(found.issuer, sandbox.issuer)
    assert.equal(found.metadata.token_endpoint, `${sandbox.issuer}/token`)
    assert.equal(found.metadata.registration_endpoint, `${sandbox.issuer}/reg`)
    assert.equal(found.metadata.authorization_response_iss_parameter_supported, true)
  })

  it('falls back to RFC 8414 when there is no OpenID configuration', async () => {
    const server = await fake((request, res, origin) => {
      if (request.path === '/.well-known/oauth-authorization-server') sendJson(res, 200, metadata(origin))
      else sendJson(res, 404, {error: 'not_found'})
    })
    const found = await discoverServer(server.origin)
    assert.equal(found.kind, 'oauth-authorization-server')
    assert.equal(found.metadataUrl, `${server.origin}/.well-known/oauth-authorization-server`)
    assert.equal(found.metadata.authorization_endpoint, `${server.origin}/authorize`)
    assert.deepEqual(
      server.requests.map((request) => request.path),
      ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'],
    )
  })

  it('puts the well-known segment before the issuer path for RFC 8414 (§3.1), after it for OIDC', async () => {
    const server = await fake((request, res, origin) => {
      if (request.path === '/.well-known/oauth-authorization-server/tenant-a') sendJson(res, 200, metadata(`${origin}/tenant-a`))
      else sendJson(res, 404, {})
    })
    const found = await discoverServer(`${server.origin}/tenant-a`)
    assert.equal(found.issuer, `${server.origin}/tenant-a`)
    assert.equal(server.requests[0].path, '/tenant-a/.well-known/openid-configuration')
    assert.equal(wellKnownUrl(new URL('https://id.example/t/x/'), 'oauth-authorization-server'), 'https://id.example/.well-known/oauth-authorization-server/t/x')
  })

  it('refuses metadata that names another issuer (a mix-up, RFC 8414 §3.3)', async () => {
    const server = await fake((_request, res) => sendJson(res, 200, metadata('https://someone-else.example')))
    await assert.rejects(discoverServer(server.origin), isConfigError(/does not match|issuer/))
  })

  it('without any metadata: exit 3 naming both documents and the manual flags', async () => {
    const server = await fake((_request, res) => sendJson(res, 404, {}))
    await assert.rejects(discoverServer(server.origin), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      const text = `${error.message} ${error.hint}`
      assert.ok(text.includes(`${server.origin}/.well-known/openid-configuration`))
      assert.ok(text.includes(`${server.origin}/.well-known/oauth-authorization-server`))
      assert.match(text, /--authorize-url/)
      return true
    })
  })

  it('refuses plain http off loopback without sending anything', async () => {
    let calls = 0
    const spy: typeof fetch = async (...args) => {
      calls++
      return fetch(...args)
    }
    await assert.rejects(discoverServer('http://id.example.com', {fetch: spy}), isConfigError(/must use https/))
    await assert.rejects(discoverServer('not a url', {fetch: spy}), isConfigError(/not a URL/))
    assert.equal(calls, 0)
  })
})

describe('dynamic client registration (RFC 7591)', () => {
  it('registers a native public client at the sandbox', async () => {
    const registered = await registerClient({
      registrationEndpoint: `${sandbox.issuer}/reg`,
      scopes: ['openid', 'offline_access'],
      deviceFlow: true,
    })
    assert.match(registered.clientId, /^\S{10,}$/)
    assert.equal(registered.clientSecret, undefined)
    assert.equal(registered.tokenEndpointAuthMethod, 'none')
    assert.deepEqual(registered.metadata.redirect_uris, [REGISTERED_REDIRECT_URI])
    assert.equal(registered.metadata.registration_access_token, undefined)
  })

  it('sends the RFC 8252 native-client metadata', async () => {
    const server = await fake((_request, res) => sendJson(res, 201, {client_id: 'c-1', client_secret: 'issued-secret', token_endpoint_auth_method: 'client_secret_basic'}))
    const registered = await registerClient({registrationEndpoint: `${server.origin}/register`, scopes: ['openid', 'email']})
    const sent = JSON.parse(server.requests[0].body)
    assert.equal(server.requests[0].headers['content-type'], 'application/json')
    assert.equal(sent.application_type, 'native')
    assert.deepEqual(sent.redirect_uris, ['http://127.0.0.1/callback'])
    assert.equal(sent.token_endpoint_auth_method, 'none')
    assert.deepEqual(sent.grant_types, ['authorization_code', 'refresh_token'])
    assert.deepEqual(sent.response_types, ['code'])
    assert.equal(sent.scope, 'openid email')
    // A server that insists on a confidential client is honoured; the secret is handed back for the store.
    assert.equal(registered.clientSecret, 'issued-secret')
    assert.equal(registered.tokenEndpointAuthMethod, 'client_secret_basic')
    assert.equal(registered.metadata.client_secret, undefined)
  })

  it('a refusal is exit 3 with the server error and description', async () => {
    const server = await fake((_request, res) => sendJson(res, 400, {error: 'invalid_redirect_uri', error_description: 'loopback redirects are not allowed'}))
    await assert.rejects(
      registerClient({registrationEndpoint: `${server.origin}/register`}),
      isConfigError(/invalid_redirect_uri: loopback redirects are not allowed/),
    )
  })
})
