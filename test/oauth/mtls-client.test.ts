import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError} from '../../src/errors.js'
import {createOAuthConfig} from '../../src/oauth/oauth-client.js'
import {mtlsTarget} from '../../src/oauth/mtls-target.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {fakePreset} from '../login/helpers.js'

/* The client side of RFC 8705 in the protocol engine: tls_client_auth, the endpoint aliases and the
 * certificate handed to oauthctl's HTTP client with every request openid-client makes. */

const ORIGIN = 'https://as.example.com'
const MTLS = 'https://mtls.as.example.com'
const CERT = {cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', key: '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n', ca: 'CA PEM'}

function mtlsPreset(overrides: Partial<ProviderPreset> = {}): ProviderPreset {
  return {
    ...fakePreset(ORIGIN),
    revocationEndpoint: `${ORIGIN}/revoke`,
    userinfoEndpoint: `${ORIGIN}/userinfo`,
    mtlsEndpointAliases: {token_endpoint: `${MTLS}/token`, revocation_endpoint: `${MTLS}/revoke`, userinfo_endpoint: `${MTLS}/userinfo`},
    clientAuth: 'tls_client_auth',
    ...overrides,
  }
}

async function grant(preset: ProviderPreset, credentials: Parameters<typeof createOAuthConfig>[1]) {
  const seen: {url: string; body: URLSearchParams; headers: Headers; tls?: unknown}[] = []
  const fetch = (async (url: string | URL, init?: RequestInit & {tls?: unknown}) => {
    seen.push({url: String(url), body: new URLSearchParams(String(init?.body)), headers: new Headers(init?.headers), tls: init?.tls})
    return new Response(JSON.stringify({access_token: 'at-123456', token_type: 'Bearer', expires_in: 60}), {headers: {'content-type': 'application/json'}})
  }) as typeof globalThis.fetch
  const client = await import('openid-client')
  const config = await createOAuthConfig(preset, credentials, {fetch})
  await client.clientCredentialsGrant(config, {scope: 'api'})
  return seen
}

describe('mTLS in the protocol engine (RFC 8705)', () => {
  it('tls_client_auth: the token request goes to the alias with the certificate, client_id in the body and no secret', async () => {
    const [request] = await grant(mtlsPreset(), {clientId: 'app', tls: CERT})
    assert.equal(request.url, `${MTLS}/token`)
    assert.deepEqual(request.tls, CERT)
    assert.equal(request.body.get('client_id'), 'app')
    assert.equal(request.headers.get('authorization'), null)
    assert.equal(request.body.get('client_secret'), null)
  })

  it('without a certificate the aliases are not used (a secret-based client of the same server)', async () => {
    const [request] = await grant(mtlsPreset({clientAuth: 'client_secret_basic'}), {clientId: 'app', clientSecret: 's3cret-value'})
    assert.equal(request.url, `${ORIGIN}/token`)
    assert.equal(request.tls, undefined)
  })

  it('a certificate only binding the tokens of a secret-based client still goes to the alias', async () => {
    const [request] = await grant(mtlsPreset({clientAuth: 'client_secret_basic'}), {clientId: 'app', clientSecret: 's3cret-value', tls: CERT})
    assert.equal(request.url, `${MTLS}/token`)
    assert.deepEqual(request.tls, CERT)
    assert.match(request.headers.get('authorization') ?? '', /^Basic /)
  })

  it('tls_client_auth without a certificate is exit 3', async () => {
    await assert.rejects(createOAuthConfig(mtlsPreset({clientAuth: 'self_signed_tls_client_auth'}), {clientId: 'app'}), (error) => error instanceof ConfigError && /needs the TLS client certificate of app for self_signed_tls_client_auth/.test(error.message))
  })

  it('an alias over plain http to a non-loopback host is refused like any endpoint', async () => {
    await assert.rejects(createOAuthConfig(mtlsPreset({mtlsEndpointAliases: {token_endpoint: 'http://mtls.as.example.com/token'}}), {clientId: 'app', tls: CERT}), ConfigError)
  })
})

describe('mtlsTarget: where a one-off GET with the token goes, and with which certificate', () => {
  const preset = mtlsPreset({apiOrigins: ['https://api.example.com']})
  it('userinfo goes to its alias with the certificate', () => {
    assert.deepEqual(mtlsTarget(preset, `${ORIGIN}/userinfo`, CERT), {url: `${MTLS}/userinfo`, tls: CERT})
  })
  it('an API origin gets the certificate; another host does not', () => {
    assert.deepEqual(mtlsTarget(preset, 'https://api.example.com/me', CERT), {url: 'https://api.example.com/me', tls: CERT})
    assert.deepEqual(mtlsTarget(preset, 'https://elsewhere.example/me', CERT), {url: 'https://elsewhere.example/me'})
  })
  it('a login without a certificate is left alone', () => {
    assert.deepEqual(mtlsTarget(preset, `${ORIGIN}/userinfo`, undefined), {url: `${ORIGIN}/userinfo`})
  })
})
