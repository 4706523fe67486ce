import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {figmaPreset, notionPreset, twitchPreset} from '../../src/providers/presets-apps.js'
import {applyPresetApiHeaders, createQuirkFetch, normalizeTokenResponse, withClientId} from '../../src/providers/quirks.js'
import {resolveProvider} from '../../src/providers/registry.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'

type Sent = {url: string; headers: Headers; body: unknown}

/** A fetch that records what it was asked to send and answers a token response. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return (async (url: string | URL, init?: RequestInit) => {
    sent.push({url: String(url), headers: new Headers(init?.headers), body: init?.body})
    return new Response(JSON.stringify({access_token: 'at', token_type: 'bearer'}), {status: 200, headers: {'content-type': 'application/json'}})
  }) as typeof fetch
}

const form = (entries: Record<string, string>) => new URLSearchParams(entries)

describe('token responses whose scope is an array (Twitch)', () => {
  it('joins the array into the RFC 6749 §3.3 space-delimited string', async () => {
    const response = new Response(JSON.stringify({access_token: 'a', token_type: 'bearer', scope: ['user:read:email', 'chat:read']}), {headers: {'content-type': 'application/json'}})
    const body = (await (await normalizeTokenResponse(response, twitchPreset)).json()) as {scope: unknown}
    assert.equal(body.scope, 'user:read:email chat:read')
  })

  it('leaves an array that is not all strings alone (openid-client then refuses it)', async () => {
    const response = new Response(JSON.stringify({access_token: 'a', token_type: 'bearer', scope: ['a', {b: 1}]}), {headers: {'content-type': 'application/json'}})
    const body = (await (await normalizeTokenResponse(response, twitchPreset)).json()) as {scope: unknown}
    assert.deepEqual(body.scope, ['a', {b: 1}])
  })
})

describe('API headers carrying the client id (Twitch Client-Id)', () => {
  it('fills {client_id} from the login', () => {
    const headers = new Headers()
    applyPresetApiHeaders(withClientId(twitchPreset, 'abc123'), headers)
    assert.equal(headers.get('client-id'), 'abc123')
  })

  it('sends no header at all when the client id is not known (never the placeholder)', () => {
    const headers = new Headers()
    applyPresetApiHeaders(withClientId(twitchPreset, undefined), headers)
    assert.equal(headers.has('client-id'), false)
  })

  it('lets -H win over the filled value', () => {
    const headers = new Headers({'Client-Id': 'mine'})
    applyPresetApiHeaders(withClientId(twitchPreset, 'abc123'), headers)
    assert.equal(headers.get('client-id'), 'mine')
  })
})

describe('JSON token requests with a version header (Notion)', () => {
  it('sends the form as a JSON object with Notion-Version, plain Basic credentials intact', async () => {
    const sent: Sent[] = []
    const quirkFetch = createQuirkFetch(notionPreset, recordingFetch(sent))
    const basic = `Basic ${Buffer.from('1f2d%2D9a:s3cret').toString('base64')}`
    await quirkFetch(notionPreset.tokenEndpoint, {method: 'POST', headers: {authorization: basic, 'content-type': 'application/x-www-form-urlencoded'}, body: form({grant_type: 'authorization_code', code: 'c', redirect_uri: 'http://localhost:8085/callback'})})
    assert.equal(sent[0].headers.get('content-type'), 'application/json')
    assert.equal(sent[0].headers.get('notion-version'), '2025-09-03')
    assert.deepEqual(JSON.parse(String(sent[0].body)), {grant_type: 'authorization_code', code: 'c', redirect_uri: 'http://localhost:8085/callback'})
    assert.equal(Buffer.from(sent[0].headers.get('authorization')!.slice(6), 'base64').toString(), '1f2d-9a:s3cret')
  })

  it('the revocation endpoint gets JSON too; API hosts are left alone', async () => {
    const sent: Sent[] = []
    const quirkFetch = createQuirkFetch(notionPreset, recordingFetch(sent))
    await quirkFetch(notionPreset.revocationEndpoint!, {method: 'POST', headers: {}, body: form({token: 't'})})
    await quirkFetch('https://api.notion.com/v1/users/me', {method: 'GET', headers: {}})
    assert.deepEqual(JSON.parse(String(sent[0].body)), {token: 't'})
    assert.equal(sent[1].headers.has('content-type'), false)
    assert.equal(sent[1].body, undefined)
  })
})

describe('a separate refresh endpoint (Figma)', () => {
  it('sends refresh_token grants there and code exchanges to the token endpoint', async () => {
    const sent: Sent[] = []
    const quirkFetch = createQuirkFetch(figmaPreset, recordingFetch(sent))
    await quirkFetch(figmaPreset.tokenEndpoint, {method: 'POST', headers: {}, body: form({grant_type: 'authorization_code', code: 'c'})})
    const refreshed = await quirkFetch(figmaPreset.tokenEndpoint, {method: 'POST', headers: {}, body: form({grant_type: 'refresh_token', refresh_token: 'r'})})
    assert.deepEqual(sent.map((request) => request.url), ['https://api.figma.com/v1/oauth/token', 'https://api.figma.com/v1/oauth/refresh'])
    // The refresh answer is still normalised as a token response.
    assert.equal(((await refreshed.json()) as {token_type: string}).token_type, 'bearer')
  })
})

describe('identity presets options', () => {
  it('--audience left empty sends no audience; given, it fills authorize and device parameters', () => {
    const bare = resolveProvider('auth0', {}, {}, {domain: 'acme.eu.auth0.com'})
    assert.deepEqual(bare.authorizeParams, {audience: ''})
    const withAudience = resolveProvider('auth0', {}, {}, {domain: 'acme.eu.auth0.com', audience: 'https://api.acme.test'})
    assert.deepEqual(withAudience.authorizeParams, {audience: 'https://api.acme.test'})
    assert.deepEqual(withAudience.deviceAuthorizationParams, {audience: 'https://api.acme.test'})
    assert.equal(withAudience.issuer, 'https://acme.eu.auth0.com/')
  })

  for (const [name, options] of [
    ['okta', {domain: 'evil.example/oauth2?'}],
    ['cognito', {domain: 'a.example#'}],
    ['keycloak', {realm: 'dev/../../admin'}],
    ['keycloak', {host: 'sso.example/x'}],
    ['auth0', {audience: 'has space'}],
  ] as const) {
    it(`refuses ${name} ${JSON.stringify(options)} (exit 3): it would rewrite the URL or the request`, () => {
      assert.throws(
        () => resolveProvider(name, {}, {}, options as Record<string, string>),
        (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config,
      )
    })
  }

  it('keycloak fills host and realm into every endpoint', () => {
    const preset = resolveProvider('keycloak', {}, {}, {host: 'sso.acme.test:8443', realm: 'dev'})
    assert.equal(preset.tokenEndpoint, 'https://sso.acme.test:8443/realms/dev/protocol/openid-connect/token')
    assert.equal(preset.deviceAuthorizationEndpoint, 'https://sso.acme.test:8443/realms/dev/protocol/openid-connect/auth/device')
    assert.equal(preset.issuer, 'https://sso.acme.test:8443/realms/dev')
  })
})
