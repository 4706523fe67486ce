import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode} from '../../src/errors.js'
import {ApiUnreachableError, MAX_RETRIES, describeGiveUp, fetchWithRetry, isIdempotent, parseRetryAfter} from '../../src/http/retry.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const target = new URL('https://api.example.com/x')

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const cases: Array<[string | null, number | undefined]> = [
    ['0', 0],
    ['2', 2000],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    [null, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
  ]
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} -> ${expected}`, () => assert.equal(parseRetryAfter(value, NOW), expected))
  }
})

describe('isIdempotent', () => {
  it('GET, HEAD, PUT, DELETE, OPTIONS are; POST and PATCH are not', () => {
    for (const method of ['GET', 'head', 'PUT', 'DELETE', 'OPTIONS']) assert.equal(isIdempotent(method), true, method)
    for (const method of ['POST', 'PATCH', 'PROPFIND']) assert.equal(isIdempotent(method), false, method)
  })
})

function connectionReset(): Error {
  return Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'})})
}

function harness(answers: Array<Response | Error>) {
  const waits: number[] = []
  const lines: string[] = []
  let calls = 0
  const attempt = async (): Promise<Response> => {
    const answer = answers[Math.min(calls++, answers.length - 1)]
    if (answer instanceof Error) throw answer
    return answer as Response
  }
  const deps = {now: () => NOW, sleep: async (ms: number) => void waits.push(ms), say: (line: string) => void lines.push(line)}
  return {attempt, deps, waits, lines, calls: () => calls}
}

const status = (code: number, headers: Record<string, string> = {}) => new Response(`{"status":${code}}`, {status: code, headers})

describe('fetchWithRetry', () => {
  it('waits as Retry-After says (seconds or date), reporting each wait on stderr', async () => {
    const h = harness([status(429, {'retry-after': '2'}), status(503, {'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT'}), status(200)])
    const response = await fetchWithRetry('GET', target, h.attempt, h.deps)
    assert.equal(response.status, 200)
    assert.deepEqual(h.waits, [2000, 5000])
    assert.deepEqual(h.lines, ['retrying in 2 s (HTTP 429, retry 1 of 3)', 'retrying in 5 s (HTTP 503, retry 2 of 3)'])
  })

  it('backs off 1, 2, 4 s without Retry-After, then returns the last answer', async () => {
    const h = harness([status(503)])
    const response = await fetchWithRetry('DELETE', target, h.attempt, h.deps)
    assert.equal(response.status, 503)
    assert.equal(h.calls(), MAX_RETRIES + 1)
    assert.deepEqual(h.waits, [1000, 2000, 4000])
    assert.equal(describeGiveUp('DELETE', response, NOW), 'Gave up after 3 retries; try again later.')
  })

  it('does not wait longer than 60 s: the answer is returned at once and the hint says why', async () => {
    const h = harness([status(429, {'retry-after': '61'}), status(200)])
    const response = await fetchWithRetry('GET', target, h.attempt, h.deps)
    assert.equal(response.status, 429)
    assert.equal(h.calls(), 1)
    assert.deepEqual(h.waits, [])
    assert.match(describeGiveUp('GET', response, NOW) ?? '', /retry in 61 s \(Retry-After\), longer than oauthctl waits \(60 s\)/)
  })

  it('never retries POST or PATCH, whatever the answer', async () => {
    for (const method of ['POST', 'PATCH']) {
      const h = harness([status(503, {'retry-after': '0'}), status(200)])
      const response = await fetchWithRetry(method, target, h.attempt, h.deps)
      assert.equal(response.status, 503)
      assert.equal(h.calls(), 1)
      assert.match(describeGiveUp(method, response, NOW) ?? '', new RegExp(`Not retried: ${method} is not idempotent`))
    }
  })

  it('retries other statuses never (500, 502, 404)', async () => {
    for (const code of [500, 502, 404]) {
      const h = harness([status(code), status(200)])
      assert.equal((await fetchWithRetry('GET', target, h.attempt, h.deps)).status, code)
      assert.equal(h.calls(), 1)
      assert.equal(describeGiveUp('GET', status(code), NOW), undefined)
    }
  })

  it('retries a connection reset for GET and succeeds', async () => {
    const h = harness([connectionReset(), connectionReset(), status(200)])
    assert.equal((await fetchWithRetry('PUT', target, h.attempt, h.deps)).status, 200)
    assert.deepEqual(h.lines, ['retrying in 1 s (ECONNRESET, retry 1 of 3)', 'retrying in 2 s (ECONNRESET, retry 2 of 3)'])
  })

  it('a connection reset on POST fails at once with exit 7 saying it was not retried', async () => {
    const h = harness([connectionReset(), status(200)])
    await assert.rejects(
      fetchWithRetry('POST', target, h.attempt, h.deps),
      (error: unknown) =>
        error instanceof ApiUnreachableError &&
        error.exitCode === ExitCode.api &&
        /POST api\.example\.com failed: ECONNRESET \(not retried: POST is not idempotent/.test(error.message),
    )
    assert.equal(h.calls(), 1)
  })

  it('gives up after 3 retries of a reset, and does not retry a refused connection', async () => {
    const h = harness([connectionReset()])
    await assert.rejects(fetchWithRetry('GET', target, h.attempt, h.deps), /ECONNRESET \(after 3 retries\)/)
    assert.equal(h.calls(), 4)
    const refused = Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error('connect'), {code: 'ECONNREFUSED'})})
    const r = harness([refused, status(200)])
    await assert.rejects(fetchWithRetry('GET', target, r.attempt, r.deps), /GET api\.example\.com failed: ECONNREFUSED$/)
    assert.equal(r.calls(), 1)
  })
})
