import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer, request, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {startSandbox, type Sandbox} from '../../src/sandbox/server.js'
import {cliPath, makeUserEnv, runCli, within} from './harness.js'

/**
 * The token lifecycle under parallel scripts: one refresh for 30 processes, and a `kill -9` in the middle
 * of a refresh that leaves the store consistent. The sandbox runs in-process behind a small proxy that can
 * hold the refresh grant, so the test decides exactly when the refreshing process dies.
 */

type Stage = 'before-forward' | 'after-response'

interface Proxy {
  url: string
  refreshRequests: number
  /** When set, the next refresh grant is held at that stage until `release()` (or forever). */
  hold?: Stage
  held?: Promise<void>
  heldSignal?: () => void
  release?: () => void
  /** Resolves when the client of the held request has gone away. */
  heldClientGone?: Promise<void>
  close(): Promise<void>
}

async function startProxy(targetPort: () => number): Promise<Proxy> {
  const proxy: Proxy = {url: '', refreshRequests: 0, close: async () => {}}
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const isRefresh = req.method === 'POST' && req.url === '/token' && body.toString().includes('grant_type=refresh_token')
    const stage = isRefresh ? proxy.hold : undefined
    if (isRefresh) proxy.refreshRequests++
    const wait = async (at: Stage) => {
      if (stage !== at) return
      proxy.hold = undefined
      proxy.heldClientGone = new Promise<void>((resolve) => {
        if (req.socket.destroyed) resolve()
        else req.socket.once('close', () => resolve())
      })
      proxy.heldSignal?.()
      await new Promise<void>((resolve) => (proxy.release = resolve))
    }
    await wait('before-forward')
    // A client killed while its request was held never reaches the provider.
    if (req.socket.destroyed || res.destroyed) return
    const upstream = request(
      {host: '127.0.0.1', port: targetPort(), method: req.method, path: req.url, headers: req.headers},
      async (answer) => {
        const parts: Buffer[] = []
        for await (const chunk of answer) parts.push(chunk as Buffer)
        await wait('after-response')
        if (res.destroyed) return
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        res.end(Buffer.concat(parts))
      },
    )
    upstream.on('error', () => res.destroy())
    upstream.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  proxy.close = () =>
    new Promise((resolve) => {
      proxy.release?.()
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return proxy
}

function tokenFile(configDir: string): string {
  const dir = join(configDir, 'tokens')
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.json'))
  return join(dir, file)
}

function readSecrets(configDir: string): {accessToken: string; refreshToken: string; expiresAt: number} {
  return JSON.parse(readFileSync(tokenFile(configDir), 'utf8')).secrets
}

/** Marks the stored access token as expired (the server still accepts it), forcing the next call to refresh. */
function expireLocally(configDir: string): void {
  const file = tokenFile(configDir)
  const stored = JSON.parse(readFileSync(file, 'utf8'))
  stored.secrets.expiresAt = Date.now() - 1000
  writeFileSync(file, JSON.stringify(stored), {mode: 0o600})
}

describe('token lifecycle under parallel scripts', () => {
  let sandbox: Sandbox
  let proxy: Proxy

  before(async () => {
    let port = 0
    proxy = await startProxy(() => port)
    // The sandbox's issuer is the proxy's URL, so tokens, ID tokens and `iss` all name the proxy.
    sandbox = await startSandbox({port: 0, issuer: proxy.url, autoApprove: true, accessTokenTtl: 3600})
    port = sandbox.port
  })
  after(async () => {
    await proxy.close()
    await sandbox.close()
  })

  it('30 processes on an expired token: exactly one refresh reaches the provider and all 30 succeed', async () => {
    const user = makeUserEnv(proxy.url)
    try {
      assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
      expireLocally(user.configDir)
      const refreshesBefore = sandbox.stats().refreshGrants
      const requestsBefore = proxy.refreshRequests

      const results = await Promise.all(Array.from({length: 30}, () => runCli(['get', '/v2/me'], user.env, undefined, 120_000)))

      for (const result of results) {
        assert.equal(result.code, 0, result.stderr)
        assert.equal(JSON.parse(result.stdout).id, 'demo')
      }
      assert.equal(proxy.refreshRequests - requestsBefore, 1, 'refresh requests that reached the provider')
      assert.equal(sandbox.stats().refreshGrants - refreshesBefore, 1, 'refresh grants the provider served')
      const after = readSecrets(user.configDir)
      assert.ok(after.expiresAt > Date.now() + 60_000)
    } finally {
      user.cleanup()
    }
  })

  for (const stage of ['before-forward', 'after-response'] as const) {
    it(`kill -9 during a refresh (${stage === 'before-forward' ? 'before the provider saw it' : 'after the provider rotated'}) leaves the store readable and never mixed`, async () => {
      const user = makeUserEnv(proxy.url)
      try {
        assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
        expireLocally(user.configDir)
        const old = readSecrets(user.configDir)

        proxy.hold = stage
        const held = new Promise<void>((resolve) => (proxy.heldSignal = resolve))
        const victim = spawn(process.execPath, [cliPath, 'token'], {env: user.env, stdio: ['ignore', 'ignore', 'pipe']})
        let victimStderr = ''
        victim.stderr?.on('data', (chunk: Buffer) => (victimStderr += chunk.toString()))
        // A victim that ends before its refresh reaches the proxy fails the test with its words, never hangs it.
        const endedEarly = new Promise<never>((_resolve, reject) =>
          victim.once('exit', (code) => reject(new Error(`oauthctl token exited ${code} before its refresh was held: ${victimStderr}`))),
        )
        endedEarly.catch(() => {})
        await within(Promise.race([held, endedEarly]), 30_000, 'the refresh grant to reach the proxy')
        // The refreshing process holds the refresh lock right now.
        assert.ok(readdirSync(join(user.configDir, 'locks')).some((name) => name.startsWith('refresh-')))
        const exited = new Promise((resolve) => victim.once('exit', resolve))
        victim.kill('SIGKILL')
        await within(exited, 10_000, 'the killed process to exit')
        await within(proxy.heldClientGone ?? Promise.resolve(), 10_000, "the killed process's connection to close")
        proxy.release?.()

        const stored = readSecrets(user.configDir)
        assert.deepEqual(
          {accessToken: stored.accessToken, refreshToken: stored.refreshToken},
          {accessToken: old.accessToken, refreshToken: old.refreshToken},
          'the store still holds the complete old pair',
        )

        const next = await runCli(['token'], user.env, undefined, 60_000)
        const after = readSecrets(user.configDir)
        if (stage === 'before-forward') {
          // The provider never saw the refresh: the old refresh token still works (the stale lock is recovered).
          assert.equal(next.code, 0, next.stderr)
          assert.equal(next.stdout.trim(), after.accessToken)
          assert.notEqual(after.refreshToken, old.refreshToken)
        } else {
          // The provider rotated, and the response died with the process: the old refresh token is spent.
          // The next call says so and names the login command; nothing half-written is left behind.
          assert.equal(next.code, 4)
          assert.match(next.stderr, /oauthctl login sandbox/)
          assert.deepEqual(
            {accessToken: after.accessToken, refreshToken: after.refreshToken},
            {accessToken: old.accessToken, refreshToken: old.refreshToken},
          )
        }
        assert.equal(existsSync(join(user.configDir, 'config.json')), true)
        assert.equal(JSON.parse(readFileSync(join(user.configDir, 'config.json'), 'utf8')).logins['sandbox:default'].provider, 'sandbox')
      } finally {
        user.cleanup()
      }
    })
  }
})

/**
 * Tokens living no longer than the 60 s refresh-ahead window used to be refreshed by every process (a 10 s
 * token: 30 parallel gets made 30 refreshes). The window is now half the lifetime at most. The test uses a
 * 60 s token, which the old window covered completely too, so that its 30 s window stays wide enough for 30
 * processes starting on a busy 2-core machine; `--access-token-ttl 10` behaves the same with a 5 s window.
 */
describe('short-lived tokens under parallel scripts', () => {
  let sandbox: Sandbox
  before(async () => {
    sandbox = await startSandbox({port: 0, autoApprove: true, accessTokenTtl: 60})
  })
  after(() => sandbox.close())

  it('30 processes on an expired 60 s token: exactly one refresh, the others use the token it stored', async () => {
    const user = makeUserEnv(sandbox.issuer)
    try {
      assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
      expireLocally(user.configDir)
      const before = sandbox.stats().refreshGrants

      const results = await Promise.all(Array.from({length: 30}, () => runCli(['get', '/v2/me'], user.env, undefined, 120_000)))

      for (const result of results) assert.equal(result.code, 0, result.stderr)
      assert.equal(sandbox.stats().refreshGrants - before, 1, 'refresh grants the provider served')
      const after = readSecrets(user.configDir) as {expiresAt: number; obtainedAt?: number}
      assert.equal(after.expiresAt - (after.obtainedAt as number), 60_000)
    } finally {
      user.cleanup()
    }
  })
})
