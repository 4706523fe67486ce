import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {AuthorizationError, UsageError} from '../../src/errors.js'
import {parseImportedToken} from '../../src/login/import-token.js'
import {checkPastedUrl, pasteRedirectUri} from '../../src/login/paste-login.js'
import {parseUmaChallenge} from '../../src/http/uma.js'
import {sandboxPreset} from '../../src/providers/presets.js'

const expected = {redirectUri: 'http://127.0.0.1:50123/callback', state: 'state-abc', issuer: 'http://127.0.0.1:9000'}
const good = 'http://127.0.0.1:50123/callback?code=the-code&state=state-abc&iss=http%3A%2F%2F127.0.0.1%3A9000'

function rejectsWith(text: string, code: string): void {
  assert.throws(() => checkPastedUrl(text, expected), (error: unknown) => {
    assert.ok(error instanceof AuthorizationError, String(error))
    assert.equal(error.exitCode, 5)
    assert.equal(error.code, code)
    assert.ok(!error.message.includes('the-code'), 'the code is never echoed')
    return true
  })
}

describe('checkPastedUrl', () => {
  it('accepts the redirect of this login', () => {
    assert.equal(checkPastedUrl(good, expected).searchParams.get('code'), 'the-code')
  })
  it('rejects text that is not a URL', () => rejectsWith('the-code', 'invalid_paste'))
  it('rejects another state', () => rejectsWith(good.replace('state-abc', 'state-old'), 'state_mismatch'))
  it('rejects a missing state', () => rejectsWith(good.replace('&state=state-abc', ''), 'state_mismatch'))
  it('rejects another port or path', () => {
    rejectsWith(good.replace(':50123', ':50124'), 'redirect_mismatch')
    rejectsWith(good.replace('/callback', '/other'), 'redirect_mismatch')
    rejectsWith(good.replace('http://127.0.0.1:50123', 'https://evil.example'), 'redirect_mismatch')
  })
  it('rejects another issuer (RFC 9207)', () => rejectsWith(good.replace('9000', '9001'), 'issuer_mismatch'))
  it('rejects a repeated code', () => rejectsWith(`${good}&code=other`, 'invalid_paste'))
  it('reports an error response with its description', () => {
    const denied = 'http://127.0.0.1:50123/callback?error=access_denied&error_description=no&state=state-abc&iss=http%3A%2F%2F127.0.0.1%3A9000'
    assert.throws(() => checkPastedUrl(denied, expected), /authorization failed: access_denied: no/)
  })
  it('the redirect URI is the registered loopback one with a port', () => {
    assert.match(pasteRedirectUri(sandboxPreset({})), /^http:\/\/127\.0\.0\.1:\d{5}\/callback$/)
    assert.equal(pasteRedirectUri(sandboxPreset({}), 8085), 'http://127.0.0.1:8085/callback')
  })
})

describe('parseImportedToken', () => {
  it('reads a bare token line', () => {
    assert.deepEqual(parseImportedToken('ghp_abcdef123456\n'), {access_token: 'ghp_abcdef123456'})
  })
  it('reads a JSON token response', () => {
    assert.deepEqual(parseImportedToken('{"access_token":"a1","refresh_token":"r1","expires_in":3600,"scope":"read"}'), {
      access_token: 'a1',
      refresh_token: 'r1',
      expires_in: 3600,
      scope: 'read',
    })
  })
  it('rejects two words, bad JSON and a JSON without access_token (exit 2)', () => {
    for (const text of ['two words', '{"access_token":', '{"refresh_token":"r"}', '{"access_token":"a","expires_in":"soon"}']) {
      assert.throws(() => parseImportedToken(text), UsageError, text)
    }
  })
})

describe('parseUmaChallenge', () => {
  it('reads as_uri and ticket, also after another challenge', () => {
    assert.deepEqual(parseUmaChallenge('UMA realm="example", as_uri="https://as.example.com", ticket="016f84e8-f9b9"'), {
      realm: 'example',
      asUri: 'https://as.example.com',
      ticket: '016f84e8-f9b9',
    })
    assert.deepEqual(parseUmaChallenge('Bearer realm="x", UMA as_uri="https://as.example.com", ticket=abc'), {
      realm: undefined,
      asUri: 'https://as.example.com',
      ticket: 'abc',
    })
  })
  it('ignores Bearer challenges and UMA challenges without a ticket', () => {
    assert.equal(parseUmaChallenge('Bearer error="invalid_token"'), undefined)
    assert.equal(parseUmaChallenge('UMA as_uri="https://as.example.com"'), undefined)
    assert.equal(parseUmaChallenge(null), undefined)
  })
})

describe('retryWithUma', () => {
  it('never sends the user token to an as_uri outside the provider hosts', async () => {
    const {retryWithUma} = await import('../../src/http/uma.js')
    const {createContext} = await import('../../src/context.js')
    const {createIO} = await import('../../src/io.js')
    const {MemoryTokenStore} = await import('../../src/store/memory-store.js')
    const {PassThrough} = await import('node:stream')
    const stderr = new PassThrough()
    let warned = ''
    stderr.on('data', (chunk) => (warned += chunk))
    const fetched: string[] = []
    const ctx = createContext({
      env: {},
      configDir: '/nonexistent',
      io: createIO(new PassThrough(), stderr, new PassThrough(), {stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false}),
      fetch: (async (input: string | URL | Request) => {
        fetched.push(String(input))
        return new Response('{}', {status: 200})
      }) as typeof fetch,
    })
    const preset = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
    const login = {
      target: {provider: 'sandbox', profile: 'default', key: 'sandbox:default'},
      preset,
      record: {provider: 'sandbox', profile: 'default', store: 'memory' as const, scopes: [], obtainedAt: 0, hasRefreshToken: false, grant: 'authorization_code'},
      store: new MemoryTokenStore({'sandbox:default': {accessToken: 'user-access-token'}}),
    }
    const challenge = new Response('{}', {
      status: 401,
      headers: {'www-authenticate': 'UMA realm="x", as_uri="https://evil.example", ticket="t1"'},
    })
    let sent = 0
    const result = await retryWithUma(ctx, login, new URL('http://127.0.0.1:9000/api/uma/resource'), challenge, 'user-access-token', async () => {
      sent++
      return new Response('{}')
    })
    assert.equal(result, undefined)
    assert.equal(sent, 0)
    assert.deepEqual(fetched, [])
    assert.match(warned, /warning: .*evil\.example.*not one of sandbox's hosts/)
  })
})
