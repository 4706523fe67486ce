import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer as createHttpServer, request, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createTcpServer} from 'node:net'
import {join} from 'node:path'
import {after, afterEach, before, beforeEach, describe, it} from 'node:test'
import {cliPath, makeUserEnv, runCli, type UserEnv} from './harness.js'

/**
 * Issue 8 items 3, 4, 9 and 10 against the built CLI: a custom provider (config.json) whose authorization
 * server is a fake in this process and whose redirect URI is http://localhost:PORT/callback, as the
 * dropbox, slack, salesforce and microsoft presets use.
 */
type Mode = {authorize: 'redirect' | 'via-ipv6' | 'foreign-first'; token: 'answer' | 'hang'; me: 'answer' | 'hang'}

let mode: Mode
let server: Server
let origin: string
let seen: {authorize: number; token: number; me: number}
const hanging: ServerResponse[] = []

/** What a browser sends to the loopback listener, over one chosen address (Chromium may pick ::1). */
function deliver(redirect: URL, address: string): void {
  const req = request({host: address, port: redirect.port, path: `${redirect.pathname}${redirect.search}`, headers: {Host: redirect.host}}, (res) => res.resume())
  req.on('error', () => {})
  req.end()
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', origin)
  if (url.pathname === '/authorize') {
    seen.authorize++
    const back = new URL(url.searchParams.get('redirect_uri')!)
    const foreign = new URL(back)
    back.searchParams.set('code', 'the-code')
    back.searchParams.set('state', url.searchParams.get('state')!)
    if (mode.authorize === 'redirect') return void res.writeHead(302, {location: back.href}).end()
    if (mode.authorize === 'via-ipv6') {
      deliver(back, '::1')
      return void res.writeHead(200).end('sent')
    }
    // Another web page gets there first: an error without state, with text meant for the terminal.
    foreign.searchParams.set('error', 'access_denied')
    foreign.searchParams.set('error_description', 'Your account is locked \u001b[31mcall 555-0100\u001b[0m')
    deliver(foreign, '127.0.0.1')
    setTimeout(() => res.writeHead(302, {location: back.href}).end(), 300)
    return
  }
  if (url.pathname === '/token') {
    seen.token++
    if (mode.token === 'hang') return void hanging.push(res)
    res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({access_token: 'at-e2e-1', token_type: 'Bearer', expires_in: 3600}))
    return
  }
  if (url.pathname === '/me') {
    seen.me++
    if (mode.me === 'hang') return void hanging.push(res)
    res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({sub: 'u-1', name: 'Fake User'}))
    return
  }
  res.writeHead(404).end()
}

function writeProvider(user: UserEnv, loopback: object): void {
  const fake = {
    authorizationEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    apiBase: `${origin}/api`,
    meEndpoint: `${origin}/me`,
    clientId: 'cli',
    clientAuth: 'none',
    loopback: {host: 'localhost', anyPort: true, path: '/callback', ...loopback},
  }
  writeFileSync(join(user.configDir, 'config.json'), JSON.stringify({providers: {fake}}), {mode: 0o600})
}

function storedNothing(user: UserEnv): void {
  const config = JSON.parse(readFileSync(join(user.configDir, 'config.json'), 'utf8'))
  assert.equal(config.logins, undefined, 'no login record')
  const tokens = join(user.configDir, 'tokens')
  assert.deepEqual(existsSync(tokens) ? readdirSync(tokens) : [], [], 'no token file')
}

function freePortOnBoth(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer().listen({host: '::1', port: 0, ipv6Only: true}, () => {
      const port = (probe.address() as {port: number}).port
      const v4 = createTcpServer().once('error', () => probe.close(() => resolve(freePortOnBoth())))
      v4.listen({host: '127.0.0.1', port}, () => v4.close(() => probe.close(() => resolve(port))))
    })
    probe.once('error', reject)
  })
}

describe('login with a localhost redirect: squatters, foreign callbacks, Ctrl-C (issue 8)', () => {
  let user: UserEnv

  before(async () => {
    server = createHttpServer(handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  after(() => {
    for (const res of hanging) res.destroy()
    server.closeAllConnections()
    server.close()
  })
  beforeEach(() => {
    mode = {authorize: 'redirect', token: 'answer', me: 'answer'}
    seen = {authorize: 0, token: 0, me: 0}
    user = makeUserEnv(origin)
    writeProvider(user, {})
  })
  afterEach(() => user.cleanup())

  it('a program listening on [::1] at the redirect port: exit 3 naming it, no browser opened, nothing stored', async () => {
    // Given another local program on [::1]:PORT, the port the provider redirects localhost to
    const port = await freePortOnBoth()
    writeProvider(user, {anyPort: false, defaultPort: port})
    const squatter = createHttpServer((_req, res) => res.end('Logged in!'))
    await new Promise<void>((resolve) => squatter.listen({host: '::1', port, ipv6Only: true}, resolve))
    const marker = join(user.configDir, 'browser-opened')
    const browser = `"${process.execPath}" -e "require('fs').writeFileSync(process.argv[1], 'x')" "${marker}"`
    try {
      // When the user logs in
      const result = await runCli(['login', 'fake'], {...user.env, OAUTHCTL_BROWSER: browser})

      // Then the login refuses before any browser opens
      assert.equal(result.code, 3, result.stderr)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, new RegExp(`^error: port ${port} on \\[::1\\] is already in use \\(another oauthctl login\\?\\)`, 'm'))
      assert.match(result.stderr, new RegExp(`A program listening on \\[::1\\]:${port} could receive this login's code`))
      assert.doesNotMatch(result.stderr, /Open this URL/)
      assert.equal(existsSync(marker), false, 'no browser was opened')
      assert.equal(seen.authorize, 0)
      storedNothing(user)
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })

  for (const [how, authorize] of [['[::1]', 'via-ipv6'], ['127.0.0.1', 'redirect']] as const) {
    it(`without a squatter, a callback arriving on ${how} completes the login`, async () => {
      mode.authorize = authorize
      const result = await runCli(['login', 'fake'], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /waiting for the redirect to http:\/\/localhost:\d+\/callback/)
      assert.match(result.stderr, /Logged in to fake as Fake User \(u-1\), profile default\./)
      assert.equal(seen.token, 1)
      const config = JSON.parse(readFileSync(join(user.configDir, 'config.json'), 'utf8'))
      assert.equal(config.logins['fake:default'].subject, 'u-1')
    })
  }

  it('a foreign error response without state is ignored with one clean warning; the real redirect logs in', async () => {
    mode.authorize = 'foreign-first'
    const result = await runCli(['login', 'fake'], user.env)
    assert.equal(result.code, 0, result.stderr)
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning:'))
    assert.deepEqual(warnings, [
      `warning: ignored a request to ${/http:\/\/localhost:\d+\/callback/.exec(result.stderr)![0]} that does not carry this login's state (error=access_denied): another browser tab or web page? Still waiting for the redirect of this login.`,
    ])
    assert.doesNotMatch(result.stderr, /locked|555-0100|\u001b/)
    assert.match(result.stderr, /Logged in to fake as Fake User/)
  })

  const machine = ['--client-credentials', '--client-id', 'm', '--client-secret', 's']
  const interrupts: Array<[NodeJS.Signals, 'token' | 'me', string, string[]]> = [
    ['SIGINT', 'token', 'the code exchange', []],
    ['SIGTERM', 'token', 'the code exchange', []],
    ['SIGINT', 'me', 'the identity lookup', []],
    ['SIGINT', 'token', 'the client credentials grant', machine],
  ]
  for (const [signal, stage, what, extra] of interrupts) {
    it(`${signal} while ${what} hangs: exit 130 at once, nothing stored`, async () => {
      // Given an authorization server that never answers
      mode[stage] = 'hang'
      const child = spawn(process.execPath, [cliPath, 'login', 'fake', ...extra], {env: {...user.env, OAUTHCTL_STORE: 'file'}, stdio: ['ignore', 'pipe', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const deadline = Date.now() + 20_000
      while (seen[stage] === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      assert.equal(seen[stage], 1, `the ${stage} request arrived; stderr: ${stderr}`)

      // When the user presses Ctrl-C (or the process is terminated)
      const sent = Date.now()
      child.kill(signal)
      const code = await exited

      // Then it exits 130 promptly, says so, and stores nothing
      assert.equal(code, 130, stderr)
      assert.ok(Date.now() - sent < 2000, `exited after ${Date.now() - sent} ms`)
      assert.match(stderr, /^error: login interrupted .*nothing was stored$/m)
      storedNothing(user)
    })
  }

  for (const timeout of ['86401', '2147484', '9999999999']) {
    it(`--timeout ${timeout} (beyond one day; 2^31 ms overflowed to an immediate timeout) is a usage error`, async () => {
      const result = await runCli(['login', 'fake', '--timeout', timeout], user.env)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, /less than or equal to 86400/)
      assert.equal(seen.authorize, 0)
    })
  }
})
