import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {sendAuthorized} from '../../src/http/api-client.js'
import {API_ORIGIN, captureIO, fakeContext, fakeLogin, json} from './helpers.js'

const OTHER = 'http://127.0.0.1:9001'

function redirect(to: string, status = 302): Response {
  return new Response(null, {status, headers: {location: to}})
}

describe('sendAuthorized: redirects', () => {
  it('follows a same-origin redirect with the token', async () => {
    const {ctx, sent} = fakeContext((_r, i) => (i === 0 ? redirect('/api/next') : json({ok: true})))
    const response = await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/start`), {method: 'GET'})
    assert.equal(response.status, 200)
    assert.deepEqual(sent.map((r) => r.url), [`${API_ORIGIN}/api/start`, `${API_ORIGIN}/api/next`])
    assert.deepEqual(sent.map((r) => r.headers.get('authorization')), ['Bearer token-abc', 'Bearer token-abc'])
  })

  it('drops Authorization and Cookie once the origin changes, even when the chain comes back', async () => {
    const chain = [redirect(`${OTHER}/elsewhere`, 301), redirect(`${API_ORIGIN}/api/back`, 307), json({ok: true})]
    const {ctx, sent} = fakeContext((_r, i) => chain[i] as Response)
    const headers = new Headers({cookie: 'session=1', 'x-keep': 'yes'})
    await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/start`), {method: 'GET', headers})
    assert.equal(sent.length, 3)
    assert.equal(sent[0]?.headers.get('authorization'), 'Bearer token-abc')
    assert.equal(sent[0]?.headers.get('cookie'), 'session=1')
    for (const later of sent.slice(1)) {
      assert.equal(later.headers.get('authorization'), null, later.url)
      assert.equal(later.headers.get('cookie'), null, later.url)
      assert.equal(later.headers.get('x-keep'), 'yes')
    }
  })

  it('does not follow redirects for POST, nor to non-http schemes', async () => {
    const post = fakeContext(() => redirect('/api/next'))
    assert.equal((await sendAuthorized(post.ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/x`), {method: 'POST', body: '{}'})).status, 302)
    assert.equal(post.sent.length, 1)
    const scheme = fakeContext(() => redirect('file:///etc/passwd'))
    assert.equal((await sendAuthorized(scheme.ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/x`), {method: 'GET'})).status, 302)
    assert.equal(scheme.sent.length, 1)
  })

  it('a redirect loop (more than 10 redirects) is exit 7 naming the host, not an empty success', async () => {
    const {ctx, sent} = fakeContext((_r, i) => redirect(`/api/hop${i + 1}`))
    const error = await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/hop0`), {method: 'GET'}).catch((e: unknown) => e)
    assert.ok(error instanceof OauthctlError)
    assert.equal(error.exitCode, ExitCode.api)
    assert.equal(error.message, `GET 127.0.0.1:9000: more than 10 redirects (the last to ${API_ORIGIN}/api/hop11); stopped`)
    assert.equal(sent.length, 11)
  })

  it('exactly 10 redirects are still followed', async () => {
    const {ctx, sent} = fakeContext((_r, i) => (i < 10 ? redirect(`/api/hop${i + 1}`) : json({ok: true})))
    assert.equal((await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/hop0`), {method: 'GET'})).status, 200)
    assert.equal(sent.length, 11)
  })

  it('a loop back to the same URL is caught the same way', async () => {
    const {ctx, sent} = fakeContext(() => redirect('/api/self', 307))
    const error = await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/self`), {method: 'HEAD'}).catch((e: unknown) => e)
    assert.equal((error as OauthctlError).exitCode, ExitCode.api)
    assert.match((error as Error).message, /^HEAD 127\.0\.0\.1:9000: more than 10 redirects/)
    assert.equal(sent.length, 11)
  })
})

describe('sendAuthorized: retries', () => {
  it('retries a GET after 503 + Retry-After, saying so on stderr, and sends the body again for PUT', async () => {
    const captured = captureIO()
    const answers = [new Response('busy', {status: 503, headers: {'retry-after': '0'}}), json({ok: true})]
    const {ctx, sent} = fakeContext((_r, i) => answers[i] as Response, captured.io)
    const response = await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/x`), {method: 'PUT', body: '{"v":1}'})
    assert.equal(response.status, 200)
    assert.deepEqual(sent.map((r) => r.body), ['{"v":1}', '{"v":1}'])
    assert.equal(captured.stderr(), 'retrying in 0 s (HTTP 503, retry 1 of 3)\n')
  })

  it('never retries a POST', async () => {
    const captured = captureIO()
    const {ctx, sent} = fakeContext(() => new Response('busy', {status: 429, headers: {'retry-after': '0'}}), captured.io)
    assert.equal((await sendAuthorized(ctx, fakeLogin(), new URL(`${API_ORIGIN}/api/x`), {method: 'POST'})).status, 429)
    assert.equal(sent.length, 1)
    assert.equal(captured.stderr(), '')
  })
})
