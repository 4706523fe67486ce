import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {createServer} from 'node:http'
import {fileURLToPath} from 'node:url'
import {after, before, describe, it} from 'node:test'
import {createContext} from '../../src/context.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {refreshTokens} from '../../src/session/refresh.js'
import {readWhole} from '../../src/http/output.js'
import {nodeFetch} from '../../src/http/node-fetch.js'
import {fetchWithRetry} from '../../src/http/retry.js'
import {DEFAULT_TIMEOUTS, HttpTimeoutError, parseTimeoutSeconds, resolveTimeouts} from '../../src/http/timeouts.js'
import {sandboxPreset} from '../../src/providers/presets.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'
import {startStallingServer, startUnconnectablePort} from './fixtures/stalling-servers.js'
import {captureIO} from './helpers.js'

/** Short timeouts; the assertions only bound them generously from above (a loaded 2-core machine). */
const SHORT = {connectMs: 300, idleMs: 300}
const GENEROUS_MS = 15_000

async function elapsed<T>(run: () => Promise<T>): Promise<{value: T; ms: number}> {
  const started = performance.now()
  const value = await run()
  return {value, ms: performance.now() - started}
}

function timeoutOf(error: unknown): HttpTimeoutError {
  const cause = (error as {cause?: unknown}).cause ?? error
  assert.ok(cause instanceof HttpTimeoutError, `expected a timeout, got ${String(error)}`)
  return cause
}

describe('nodeFetch timeouts (a server that never answers used to hang oauthctl forever)', {timeout: 60_000}, () => {
  let server: Awaited<ReturnType<typeof startStallingServer>>
  before(async () => (server = await startStallingServer()))
  after(() => server.close())

  it('a server that accepts and never answers: idle timeout, naming the host', async () => {
    const {value: error, ms} = await elapsed(() => nodeFetch(`${server.origin}/never`, {}, SHORT).catch((e: unknown) => e))
    assert.ok(error instanceof TypeError)
    const timeout = timeoutOf(error)
    assert.equal(timeout.phase, 'idle')
    assert.equal(timeout.code, 'ETIMEDOUT')
    assert.equal(timeout.message, `${server.host} sent nothing for 0.3 s (idle timeout)`)
    assert.ok(ms >= 250 && ms < GENEROUS_MS, `${ms} ms`)
  })

  it('headers, part of the body, then nothing: the body read fails with the idle timeout', async () => {
    const response = await nodeFetch(`${server.origin}/stall`, {}, SHORT)
    assert.equal(response.status, 200)
    const error = await response.text().catch((e: unknown) => e)
    assert.equal(timeoutOf(error).message, `${server.host} sent nothing for 0.3 s (idle timeout)`)
  })

  it('...which oauthctl reports as exit 7 naming the host and the timeout', async () => {
    const response = await nodeFetch(`${server.origin}/stall`, {}, SHORT)
    const error = await readWhole(response).catch((e: unknown) => e)
    assert.ok(error instanceof OauthctlError)
    assert.equal(error.exitCode, ExitCode.api)
    assert.equal(error.message, `the connection to ${server.host} broke while reading the response (idle timeout: nothing received for 0.3 s)`)
  })

  it('a connection that cannot be made: connect timeout, naming the host', async () => {
    const port = await startUnconnectablePort()
    try {
      const {value: error, ms} = await elapsed(() => nodeFetch(`${port.origin}/`, {}, {connectMs: 300, idleMs: 60_000}).catch((e: unknown) => e))
      const timeout = timeoutOf(error)
      assert.equal(timeout.phase, 'connect')
      assert.equal(timeout.message, `could not connect to 127.0.0.1:${port.port} within 0.3 s (connect timeout)`)
      assert.ok(ms < GENEROUS_MS, `${ms} ms`)
    } finally {
      port.close()
    }
  })

  it('a body that keeps arriving, slower in total than the idle timeout, is not cut', async () => {
    const response = await nodeFetch(`${server.origin}/drip?n=20&every=50`, {}, {connectMs: 5000, idleMs: 1000})
    assert.equal(await response.text(), Array.from({length: 20}, (_, i) => `${i}\n`).join(''))
  })

  it('the idle timer does not run while oauthctl is not reading (a slow stdout)', async () => {
    const response = await nodeFetch(`${server.origin}/big?size=2000000`, {}, SHORT)
    await new Promise((resolve) => setTimeout(resolve, 900))
    assert.equal((await response.arrayBuffer()).byteLength, 2_000_000)
  })

  it('a small body that is never read does not keep the process alive (the connection stays open)', async () => {
    const keepAlive = createServer((_req, res) => res.writeHead(404, {'content-type': 'application/json'}).end('{"error":"nope"}'))
    keepAlive.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => keepAlive.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(keepAlive.address() as {port: number}).port}/`
      const script = fileURLToPath(new URL('./fixtures/fetch-unread.ts', import.meta.url))
      const {value: out, ms} = await elapsed(
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', script, url], {stdio: ['ignore', 'pipe', 'inherit']})
            let stdout = ''
            child.stdout.on('data', (chunk) => (stdout += chunk))
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
            child.on('error', reject)
            child.on('close', () => {
              clearTimeout(timer)
              resolve(stdout)
            })
          }),
      )
      assert.equal(out, '404')
      assert.ok(ms < 20_000, `the child took ${ms} ms to exit`)
    } finally {
      keepAlive.closeAllConnections()
      keepAlive.close()
    }
  })

  it('a request body larger than one write is sent whole', async () => {
    const body = Buffer.alloc(1_000_000, 0x62)
    const response = await nodeFetch(`${server.origin}/ok`, {method: 'POST', body}, SHORT)
    assert.equal(await response.text(), 'ok')
  })

  it('0 means no idle limit: only the caller\'s signal ends the wait', async () => {
    const error = await nodeFetch(`${server.origin}/never`, {signal: AbortSignal.timeout(600)}, {connectMs: 0, idleMs: 0}).catch((e: unknown) => e)
    assert.equal((error as Error).name, 'TimeoutError')
  })

  it('an idempotent request is retried after a timeout, then exit 7 names the host and the timeout', async () => {
    const lines: string[] = []
    const before = server.hits.get('/never') ?? 0
    const target = new URL(`${server.origin}/never`)
    const error = await fetchWithRetry('GET', target, () => nodeFetch(target, {}, SHORT), {
      now: Date.now,
      sleep: async () => {},
      say: (line) => lines.push(line),
    }).catch((e: unknown) => e)
    assert.deepEqual(lines, [
      'retrying in 1 s (idle timeout, retry 1 of 3)',
      'retrying in 2 s (idle timeout, retry 2 of 3)',
      'retrying in 4 s (idle timeout, retry 3 of 3)',
    ])
    assert.equal((server.hits.get('/never') ?? 0) - before, 4)
    assert.ok(error instanceof OauthctlError)
    assert.equal(error.exitCode, ExitCode.api)
    assert.equal(error.message, `GET ${server.host} failed: idle timeout: nothing received for 0.3 s (after 3 retries)`)
    assert.equal(error.hint, `Check that ${server.origin} is reachable and answering, or allow more time with --timeout SECONDS.`)
  })

  it('POST is not retried after a timeout', async () => {
    const lines: string[] = []
    const target = new URL(`${server.origin}/never`)
    const error = await fetchWithRetry('POST', target, () => nodeFetch(target, {method: 'POST', body: '{}'}, SHORT), {
      now: Date.now,
      sleep: async () => {},
      say: (line) => lines.push(line),
    }).catch((e: unknown) => e)
    assert.deepEqual(lines, [])
    assert.equal(
      (error as Error).message,
      `POST ${server.host} failed: idle timeout: nothing received for 0.3 s (not retried: POST is not idempotent, and the server may have received it)`,
    )
  })

  it('a token refresh against a silent token endpoint fails (exit 7: unreachable) naming the host and the timeout', async () => {
    const preset = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: `${server.origin}/never`})
    const ctx = createContext({io: captureIO().io, env: {}, configDir: '/nonexistent', debugEnabled: false})
    ctx.timeouts = SHORT
    const login = {
      target: {provider: 'sandbox', profile: 'default', key: 'sandbox:default'},
      preset,
      record: {provider: 'sandbox', profile: 'default', store: 'memory' as const, scopes: [], obtainedAt: 0, hasRefreshToken: true, grant: 'authorization_code' as const},
      store: new MemoryTokenStore({}),
    }
    const {value: error, ms} = await elapsed(() => refreshTokens(ctx, login, {accessToken: 'old', refreshToken: 'refresh-1'}).catch((e: unknown) => e))
    assert.ok(error instanceof OauthctlError)
    assert.equal(error.exitCode, ExitCode.api)
    assert.match(error.message, /; the stored refresh token was kept$/)
    assert.match(error.message, new RegExp(`${server.host.replaceAll('.', '\\.')} sent nothing for 0\\.3 s \\(idle timeout\\)`))
    assert.ok(ms < GENEROUS_MS, `${ms} ms`)
  })
})

describe('--timeout and --connect-timeout values', () => {
  it('reads seconds, fractions and 0 (no limit)', () => {
    assert.equal(parseTimeoutSeconds('--timeout', '30'), 30_000)
    assert.equal(parseTimeoutSeconds('--timeout', '0.3'), 300)
    assert.equal(parseTimeoutSeconds('--timeout', '0'), 0)
    assert.equal(parseTimeoutSeconds('--timeout', '2147483'), 2_147_483_000)
  })

  for (const bad of ['', 'abc', '-1', '1e3', '10s', '0.0001', '2147484', '99999999999', 'Infinity', 'NaN']) {
    it(`refuses ${JSON.stringify(bad)} (exit 2) instead of a timer that overflows or fires at once`, () => {
      assert.throws(
        () => parseTimeoutSeconds('--timeout', bad),
        (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.usage && error.message.startsWith(`bad --timeout "${bad}"`),
      )
    })
  }

  it('defaults to 10 s to connect and 30 s idle; a smaller --timeout also bounds the connection', () => {
    assert.deepEqual(resolveTimeouts({}), DEFAULT_TIMEOUTS)
    assert.deepEqual(resolveTimeouts({timeout: '2'}), {connectMs: 2000, idleMs: 2000})
    assert.deepEqual(resolveTimeouts({timeout: '60'}), {connectMs: 10_000, idleMs: 60_000})
    assert.deepEqual(resolveTimeouts({timeout: '0'}), {connectMs: 10_000, idleMs: 0})
    assert.deepEqual(resolveTimeouts({timeout: '2', connectTimeout: '5'}), {connectMs: 5000, idleMs: 2000})
  })
})
