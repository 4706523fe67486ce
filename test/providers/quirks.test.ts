import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {startCallbackServer} from '../../src/callback/callback-server.js'
import {AuthorizationError, ExitCode} from '../../src/errors.js'
import {loginWithLoopback} from '../../src/login/loopback-login.js'
import {createOAuthConfig} from '../../src/oauth/oauth-client.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {githubPreset, microsoftPreset, redditPreset, salesforcePreset, slackPreset} from '../../src/providers/presets.js'
import {apiBaseFromTokenResponse, normalizeTokenResponse} from '../../src/providers/quirks.js'
import {resolveProvider} from '../../src/providers/registry.js'
import {approvingBrowser, presetAt, sendJson, startFake, type FakeServer} from './helpers.js'

/** Runs the real loopback login (callback server, PKCE, state) against a fake provider. */
async function loginAgainst(preset: ProviderPreset, credentials: {clientId: string; clientSecret?: string}) {
  const said: string[] = []
  const browser = approvingBrowser()
  const tokens = await loginWithLoopback(
    {preset, credentials, scopes: preset.defaultScopes, port: preset.loopback.anyPort ? undefined : 0, timeoutMs: 5000, openBrowser: true},
    {startCallbackServer, browser: async () => browser, say: (line) => said.push(line)},
  )
  return {tokens, said, browser}
}

const servers: FakeServer[] = []
after(() => Promise.all(servers.map((server) => server.close())))

async function fake(handler: Parameters<typeof startFake>[0]): Promise<FakeServer> {
  const server = await startFake(handler)
  servers.push(server)
  return server
}

describe('GitHub token endpoint quirks', () => {
  it('an HTTP 200 with an `error` field is an authorization failure (exit 5) keeping error and description', async () => {
    const server = await fake((request, res) => {
      if (request.path === '/login/oauth/access_token') {
        sendJson(res, 200, {error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.'})
      }
    })
    const preset = presetAt(githubPreset, server.origin)
    await assert.rejects(loginAgainst(preset, {clientId: 'Iv1.abc', clientSecret: 'gh-secret'}), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, ExitCode.authorization)
      assert.equal(error.error, 'bad_verification_code')
      assert.equal(error.errorDescription, 'The code passed is incorrect or expired.')
      assert.match(error.message, /GitHub did not issue tokens: bad_verification_code: The code passed is incorrect/)
      return true
    })
  })

  it('a form-encoded success is read as a token response; JSON is asked for and the secret goes in the body', async () => {
    const server = await fake((request, res) => {
      res.writeHead(200, {'content-type': 'application/x-www-form-urlencoded; charset=utf-8'})
      res.end('access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer')
    })
    const preset = presetAt(githubPreset, server.origin)
    const {tokens} = await loginAgainst(preset, {clientId: 'Iv1.abc', clientSecret: 'gh-secret'})
    assert.equal(tokens.access_token, 'gho_16C7e42F292c6912E7710c838347Ae178B4a')
    assert.equal(tokens.scope, 'repo,gist')
    assert.equal(tokens.token_type, 'bearer')
    const [exchange] = server.requests
    assert.equal(exchange.headers.accept, 'application/json')
    const form = new URLSearchParams(exchange.body)
    assert.equal(form.get('grant_type'), 'authorization_code')
    assert.equal(form.get('code'), 'the-code')
    assert.equal(form.get('client_id'), 'Iv1.abc')
    assert.equal(form.get('client_secret'), 'gh-secret')
    assert.match(form.get('code_verifier') ?? '', /^[\w-]{43,128}$/)
    assert.equal(exchange.headers.authorization, undefined)
  })
})

describe('Slack token response quirks', () => {
  it('lifts the user token out of `authed_user` and reads token_type "user" as a bearer token', async () => {
    const server = await fake((_request, res) =>
      sendJson(res, 200, {
        ok: true,
        app_id: 'A0KRD7HC3',
        authed_user: {id: 'U1234', scope: 'users:read,chat:write', access_token: 'xoxp-1234-user', token_type: 'user', refresh_token: 'xoxe-1-refresh', expires_in: 43200},
        team: {id: 'T9TK3CUKW', name: 'Slack Softball Team'},
      }),
    )
    const preset = presetAt(slackPreset, server.origin)
    const {tokens, browser} = await loginAgainst(preset, {clientId: '123.456', clientSecret: 'slack-secret'})
    assert.equal(tokens.access_token, 'xoxp-1234-user')
    assert.equal(tokens.refresh_token, 'xoxe-1-refresh')
    assert.equal(tokens.scope, 'users:read,chat:write')
    assert.equal(tokens.expires_in, 43200)
    assert.equal(tokens.token_type, 'bearer')
    // The user scopes went out in `user_scope`, comma-separated.
    assert.equal(browser.opened[0].searchParams.get('user_scope'), 'users:read')
    assert.equal(new URLSearchParams(server.requests[0].body).get('client_secret'), 'slack-secret')
  })

  it('HTTP 200 {"ok": false, "error": ...} is an authorization failure (exit 5)', async () => {
    const server = await fake((_request, res) => sendJson(res, 200, {ok: false, error: 'invalid_code'}))
    await assert.rejects(loginAgainst(presetAt(slackPreset, server.origin), {clientId: '1.2', clientSecret: 's'}), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, ExitCode.authorization)
      assert.equal(error.error, 'invalid_code')
      return true
    })
  })
})

describe('Salesforce instance_url', () => {
  const preset = resolveProvider('salesforce', {}, {})

  it('becomes the API base, with the REST path', () => {
    assert.equal(
      apiBaseFromTokenResponse(preset, {access_token: 'x', instance_url: 'https://acme.my.salesforce.com'}),
      'https://acme.my.salesforce.com/services/data/v62.0',
    )
    assert.equal(
      apiBaseFromTokenResponse(preset, {instance_url: 'https://acme.my.salesforce.com/'}),
      'https://acme.my.salesforce.com/services/data/v62.0',
    )
  })

  it('is ignored unless https (the token will be sent there), and for presets without the quirk', () => {
    assert.equal(apiBaseFromTokenResponse(preset, {instance_url: 'http://acme.my.salesforce.com'}), undefined)
    assert.equal(apiBaseFromTokenResponse(preset, {instance_url: 'javascript:alert(1)'}), undefined)
    assert.equal(apiBaseFromTokenResponse(preset, {}), undefined)
    assert.equal(apiBaseFromTokenResponse(githubPreset, {instance_url: 'https://x.example'}), undefined)
  })

  it('survives the token exchange: openid-client keeps the extra field', async () => {
    const server = await fake((_request, res, origin) =>
      sendJson(res, 200, {access_token: '00Dxx!AQ4AQ', refresh_token: '5Aep', instance_url: origin, id: `${origin}/id/00D/005`, token_type: 'Bearer', issued_at: '1700000000000'}),
    )
    const moved = presetAt(salesforcePreset, server.origin)
    const {tokens} = await loginAgainst(moved, {clientId: '3MVG9', clientSecret: 'sf-secret'})
    assert.equal(apiBaseFromTokenResponse(moved, tokens as unknown as Record<string, unknown>), `${server.origin}/services/data/v62.0`)
  })
})

describe('Reddit installed apps', () => {
  it('authenticate with Basic "client_id:" (empty password), no client_id in the body, and a distinctive User-Agent', async () => {
    const server = await fake((_request, res) => sendJson(res, 200, {access_token: 'reddit-at', token_type: 'bearer', expires_in: 86400, scope: 'identity', refresh_token: 'reddit-rt'}))
    const preset = presetAt(redditPreset, server.origin)
    const {tokens, browser} = await loginAgainst(preset, {clientId: 'p-jcoLKBynTLew'})
    assert.equal(tokens.access_token, 'reddit-at')
    const [exchange] = server.requests
    assert.equal(exchange.headers.authorization, `Basic ${Buffer.from('p-jcoLKBynTLew:').toString('base64')}`)
    const form = new URLSearchParams(exchange.body)
    assert.equal(form.has('client_id'), false)
    assert.equal(form.has('client_secret'), false)
    assert.equal(form.get('grant_type'), 'authorization_code')
    assert.equal(exchange.headers['user-agent'], redditPreset.quirks?.userAgent)
    assert.match(exchange.headers['user-agent'] ?? '', /oauthctl/)
    assert.equal(browser.opened[0].searchParams.get('duration'), 'permanent')
  })

  it('web apps with a secret: Basic of the plain id and secret (Reddit does not form-decode them; openid-client would send web%2Dapp)', async () => {
    const server = await fake((_request, res) => sendJson(res, 200, {access_token: 'reddit-at', token_type: 'bearer'}))
    await loginAgainst(presetAt(redditPreset, server.origin), {clientId: 'web-app', clientSecret: 'web-secret'})
    assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from('web-app:web-secret').toString('base64')}`)
  })

  it('revocation uses the same Basic form', async () => {
    const server = await fake((_request, res) => {
      res.writeHead(200)
      res.end()
    })
    const client = await import('openid-client')
    const config = await createOAuthConfig(presetAt(redditPreset, server.origin), {clientId: 'installed'})
    await client.tokenRevocation(config, 'reddit-rt')
    assert.equal(server.requests[0].path, '/api/v1/revoke_token')
    assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from('installed:').toString('base64')}`)
  })
})

describe('Microsoft public client on a multi-tenant issuer', () => {
  it('sends no client secret at all, even when one is known', async () => {
    const server = await fake((_request, res) => sendJson(res, 200, {access_token: 'eyJ0eXAi', token_type: 'Bearer', expires_in: 3599, refresh_token: 'M.R3_BAY'}))
    const preset = presetAt(microsoftPreset, server.origin)
    const {browser} = await loginAgainst(preset, {clientId: '7f3c', clientSecret: 'should-not-be-sent'})
    const form = new URLSearchParams(server.requests[0].body)
    assert.equal(form.get('client_id'), '7f3c')
    assert.equal(form.has('client_secret'), false)
    assert.equal(server.requests[0].headers.authorization, undefined)
    assert.equal(new URL(browser.opened[0].searchParams.get('redirect_uri') ?? '').hostname, 'localhost')
  })

  it('drops an ID token whose issuer names the user tenant instead of failing the login', async () => {
    const response = new Response(JSON.stringify({access_token: 'a', token_type: 'Bearer', id_token: 'x.y.z'}), {
      headers: {'content-type': 'application/json'},
    })
    const body = (await (await normalizeTokenResponse(response, microsoftPreset)).json()) as Record<string, unknown>
    assert.equal(body.id_token, undefined)
    const kept = (await (await normalizeTokenResponse(new Response(JSON.stringify({access_token: "a", token_type: "Bearer", id_token: "x.y.z"})), githubPreset)).json()) as Record<string, unknown>
    assert.equal(kept.id_token, 'x.y.z')
  })
})
