import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {revokeTokens} from '../../src/session/revoke.js'
import {githubPreset, sandboxPreset} from '../../src/providers/presets.js'

interface Seen {
  url: string
  method: string
  headers: Headers
  body: string
}

function recordingFetch(status: number, seen: Seen[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: String(init?.body ?? '')})
    return new Response(status === 204 ? null : '', {status})
  }) as typeof fetch
}

describe('revokeTokens', () => {
  it('RFC 7009: the refresh token first, then the access token, each with its hint', async () => {
    const seen: Seen[] = []
    const preset = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
    const outcome = await revokeTokens(preset, {clientId: 'oauthctl'}, {accessToken: 'at-123456', refreshToken: 'rt-123456'}, recordingFetch(200, seen))
    assert.deepEqual(outcome, {status: 'revoked', revoked: ['refresh_token', 'access_token'], method: 'rfc7009'})
    assert.deepEqual(seen.map((request) => request.url), ['http://127.0.0.1:9000/token/revocation', 'http://127.0.0.1:9000/token/revocation'])
    const bodies = seen.map((request) => new URLSearchParams(request.body))
    assert.deepEqual(bodies.map((body) => [body.get('token'), body.get('token_type_hint'), body.get('client_id')]), [
      ['rt-123456', 'refresh_token', 'oauthctl'],
      ['at-123456', 'access_token', 'oauthctl'],
    ])
  })

  it('RFC 7009: a server error is a failure, not an exception', async () => {
    const preset = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
    const outcome = await revokeTokens(preset, {clientId: 'oauthctl'}, {accessToken: 'at-123456'}, recordingFetch(503, []))
    assert.equal(outcome.status, 'failed')
  })

  it("GitHub: DELETE /applications/{client_id}/token with Basic auth and the token in a JSON body", async () => {
    const seen: Seen[] = []
    const outcome = await revokeTokens(githubPreset, {clientId: 'Iv1.abc', clientSecret: 'shh-secret'}, {accessToken: 'gho_token123'}, recordingFetch(204, seen))
    assert.deepEqual(outcome, {status: 'revoked', revoked: ['access_token'], method: 'application-token'})
    assert.equal(seen.length, 1)
    const [request] = seen as [Seen]
    assert.equal(request.method, 'DELETE')
    assert.equal(request.url, 'https://api.github.com/applications/Iv1.abc/token')
    assert.equal(request.headers.get('authorization'), `Basic ${Buffer.from('Iv1.abc:shh-secret').toString('base64')}`)
    assert.deepEqual(JSON.parse(request.body), {access_token: 'gho_token123'})
  })

  it('GitHub without the client secret fails without a request; a provider without any revocation is unsupported', async () => {
    const seen: Seen[] = []
    const outcome = await revokeTokens(githubPreset, {clientId: 'Iv1.abc'}, {accessToken: 'gho_token123'}, recordingFetch(204, seen))
    assert.equal(outcome.status, 'failed')
    assert.equal(seen.length, 0)
    const none = {...githubPreset, revocationApi: undefined}
    assert.deepEqual(await revokeTokens(none, {clientId: 'x'}, {accessToken: 'a-123456'}, recordingFetch(204, seen)), {status: 'unsupported'})
  })
})
