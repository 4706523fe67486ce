// Issue 8, end to end with the built CLI: hostile command-line input must not send the token anywhere
// else, and hostile servers must not reach the terminal with control characters.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, sandboxSuite} from './harness.js'

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

/** A second local server: anything it receives is a leak. */
async function startBystander(): Promise<{origin: string; port: number; seen: Seen[]; server: Server}> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers})
    res.writeHead(200, {'content-type': 'application/json'})
    res.end('{"stolen":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {origin: `http://127.0.0.1:${port}`, port, seen, server}
}

/** Every character a terminal acts on, except tab and line feed. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('the token goes nowhere else: prototype keys, connection headers and profile names (exit 2)', () => {
  const suite = sandboxSuite()
  let bystander: Awaited<ReturnType<typeof startBystander>>
  before(async () => {
    bystander = await startBystander()
    const login = await runCli(['login', 'sandbox'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
  })
  after(() => new Promise<void>((resolve) => bystander.server.close(() => resolve())))

  it('post -f __proto__[apiBase]=<other server>: exit 2, and the other server receives nothing', async () => {
    const result = await runCli(['post', '/v2/me', '-f', `__proto__[apiBase]=${bystander.origin}`, '-f', 'a=1'], suite.user.env)
    assert.equal(result.code, 2)
    assert.equal(result.stdout, '')
    assert.equal(
      result.stderr,
      `error: bad field key in "__proto__[apiBase]=${bystander.origin}": "__proto__" cannot be a key\n` +
        '__proto__, constructor and prototype are refused as field names; send such a body with --data.\n',
    )
    assert.deepEqual(bystander.seen, [])
  })

  it('the variants: -F, constructor[prototype], nested __proto__, other methods and GET query fields', async () => {
    const variants = [
      ['post', '/v2/me', '-F', `__proto__[apiBase]=${bystander.origin}`, '-F', 'a=1'],
      ['put', '/v2/me', '-f', `constructor[prototype][apiBase]=${bystander.origin}`],
      ['patch', '/v2/me', '-f', 'a=1', '-f', `a2[__proto__][apiBase]=${bystander.origin}`],
      ['request', '-X', 'POST', '/v2/me', '-f', `x[][__proto__][apiBase]=${bystander.origin}`],
      ['delete', '/v2/me', '-f', `prototype=${bystander.origin}`],
      ['get', '/v2/me', '-f', `__proto__[apiBase]=${bystander.origin}`],
    ]
    for (const args of variants) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /cannot be a key/)
    }
    assert.deepEqual(bystander.seen, [])
  })

  it('afterwards the login still goes to its own API (nothing was poisoned)', async () => {
    const result = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).id, 'demo')
    assert.deepEqual(bystander.seen, [])
  })

  it('a config.json whose login record carries __proto__.apiBase still sends the token only to the sandbox', async () => {
    const file = join(suite.user.configDir, 'config.json')
    const {readFileSync} = await import('node:fs')
    const original = readFileSync(file, 'utf8')
    try {
      const poisoned = original.replace('"provider": "sandbox"', `"__proto__": {"apiBase": "${bystander.origin}"}, "constructor": {"prototype": {"apiBase": "${bystander.origin}"}}, "provider": "sandbox"`)
      assert.notEqual(poisoned, original)
      writeFileSync(file, poisoned)
      const result = await runCli(['get', '/v2/me'], suite.user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(JSON.parse(result.stdout).id, 'demo')
      assert.deepEqual(bystander.seen, [])
    } finally {
      writeFileSync(file, original)
    }
  })

  it('-H Host, connection headers and non-ASCII values: exit 2 before anything is sent', async () => {
    const target = [`${bystander.origin}/x`, '--allow-host', `127.0.0.1:${bystander.port}`]
    const cases: Array<[string, RegExp]> = [
      ['Host: evil.example', /^error: -H Host is not allowed: it belongs to the connection/],
      ['Transfer-Encoding: chunked', /^error: -H Transfer-Encoding is not allowed/],
      ['Connection: close', /^error: -H Connection is not allowed/],
      ['Proxy-Authorization: Basic eDp5', /^error: -H Proxy-Authorization is not allowed/],
      ['Content-Length: 5', /^error: -H Content-Length is not allowed/],
      ['X-Name: \u00e9', /^error: bad header "X-Name": the value may contain only printable ASCII characters\n/],
      ['X-Name: a\u001b[2Jb', /^error: bad header "X-Name": the value may contain only printable ASCII characters\n/],
    ]
    for (const [header, pattern] of cases) {
      const result = await runCli(['get', ...target, '-H', header], suite.user.env)
      assert.equal(result.code, 2, `${header}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, pattern)
      assert.ok(!RAW_CONTROL.test(result.stderr), JSON.stringify(result.stderr))
    }
    assert.deepEqual(bystander.seen, [])
  })

  it('profile names that are not [A-Za-z0-9._-]{1,64} (or start with a dot): exit 2, nothing written', async () => {
    const tokensBefore = readdirSync(join(suite.user.configDir, 'tokens')).sort()
    const cases = [
      ['get', '--profile', '../x', '/v2/me'],
      ['token', '--profile', 'a/b'],
      ['login', 'sandbox', '--profile', '.hidden'],
      ['login', 'sandbox', '--profile', 'x'.repeat(65)],
      ['switch', 'sandbox', 'a:b'],
      ['logout', '--profile', '..'],
    ]
    for (const args of cases) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /^error: bad profile name ".*": use 1-64 letters, digits, "\.", "_" or "-", not starting with "\."\n/)
    }
    assert.deepEqual(readdirSync(join(suite.user.configDir, 'tokens')).sort(), tokensBefore)
    assert.equal(existsSync(join(suite.user.configDir, 'x')), false)
  })
})

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007'
const ESCAPED = '\\x1b[2J\\x1b]0;pwned\\x07'

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/**
 * A hostile authorization server and API on 127.0.0.1: it approves at once, then the token endpoint
 * either refuses with an error_description full of escape sequences (client id `refuse`) or issues an
 * ID token whose name and subject carry them (any other client); `/status` answers 502 with a reason
 * phrase that does.
 */
async function startHostileServer(): Promise<{origin: string; server: Server}> {
  let origin = ''
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (url.pathname === '/authorize') {
        const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
        redirect.searchParams.set('code', 'code-1')
        redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
        res.writeHead(302, {location: redirect.href})
        return res.end()
      }
      if (url.pathname === '/token') {
        const form = new URLSearchParams(body)
        if (form.get('client_id') === 'refuse') {
          res.writeHead(400, {'content-type': 'application/json'})
          return res.end(JSON.stringify({error: 'invalid_grant', error_description: `the code is bad${HOSTILE}`}))
        }
        const now = Math.floor(Date.now() / 1000)
        const claims = {iss: origin, aud: form.get('client_id'), sub: `eve${HOSTILE}`, name: `Eve\u001b[31m Admin${HOSTILE}\u202e`, iat: now, exp: now + 3600}
        res.writeHead(200, {'content-type': 'application/json'})
        return res.end(JSON.stringify({access_token: 'at-hostile-1', token_type: 'Bearer', expires_in: 3600, id_token: `${base64url({alg: 'RS256', typ: 'JWT'})}.${base64url(claims)}.c2ln`}))
      }
      if (url.pathname === '/status') {
        // Node's server refuses to write such a reason phrase; a hostile server writes it anyway.
        // (A one-byte C1 CSI too, which a terminal in 8-bit mode obeys like ESC [.)
        return req.socket.end(`HTTP/1.1 502 Bad${HOSTILE}\u009b31m Gateway\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`, 'latin1')
      }
      res.writeHead(404)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {origin, server}
}

describe('server text reaches the terminal without control characters', () => {
  let hostile: Awaited<ReturnType<typeof startHostileServer>>
  let user: ReturnType<typeof makeUserEnv>
  before(async () => {
    hostile = await startHostileServer()
    user = makeUserEnv('http://127.0.0.1:9')
    // The issuer is given (as `providers add --issuer` would): an ID token is only believed from a known issuer.
    const provider = (clientId: string) => ({
      issuer: hostile.origin,
      authorizationEndpoint: `${hostile.origin}/authorize`,
      tokenEndpoint: `${hostile.origin}/token`,
      apiBase: hostile.origin,
      clientId,
    })
    const refusing = {...provider('refuse'), displayName: `Refusing${HOSTILE}`, notes: [`see ${HOSTILE}`]}
    writeFileSync(join(user.configDir, 'config.json'), JSON.stringify({providers: {refusing, hostile: provider('cli')}}))
  })
  after(async () => {
    await new Promise<void>((resolve) => hostile.server.close(() => resolve()))
    user.cleanup()
  })

  it('a token endpoint error_description (login, exit 5)', async () => {
    const result = await runCli(['login', 'refusing'], user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.ok(!RAW_CONTROL.test(result.stderr), JSON.stringify(result.stderr))
    assert.ok(result.stderr.includes(`the code is bad${ESCAPED}`), result.stderr)
  })

  it("the ID token's name and subject (login, status)", async () => {
    const login = await runCli(['login', 'hostile'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.ok(!RAW_CONTROL.test(login.stderr), JSON.stringify(login.stderr))
    assert.match(login.stderr, /Logged in to hostile as Eve\\x1b\[31m Admin\\x1b\[2J\\x1b\]0;pwned\\x07\\u202e \(eve\\x1b\[2J\\x1b\]0;pwned\\x07\), profile default\./)
    const status = await runCli(['status'], user.env)
    assert.equal(status.code, 0, status.stderr)
    assert.ok(!RAW_CONTROL.test(status.stdout), JSON.stringify(status.stdout))
    assert.ok(status.stdout.includes(`eve${ESCAPED}`), status.stdout)
    // --json is data: the claims are kept exactly (JSON escapes them), nothing is lost.
    const json = await runCli(['status', '--json'], user.env)
    assert.equal(JSON.parse(json.stdout)[0].subject, `eve${HOSTILE}`)
  })

  it('providers list and show (listings on stdout)', async () => {
    const list = await runCli(['providers', 'list'], user.env)
    assert.equal(list.code, 0, list.stderr)
    assert.ok(!RAW_CONTROL.test(list.stdout + list.stderr), JSON.stringify(list.stdout))
    const show = await runCli(['providers', 'show', 'refusing'], user.env)
    assert.equal(show.code, 0, show.stderr)
    assert.ok(!RAW_CONTROL.test(show.stdout + show.stderr), JSON.stringify(show.stdout))
    assert.ok(show.stdout.includes(`Refusing${ESCAPED}`), show.stdout)
    assert.ok(show.stdout.includes(`see ${ESCAPED}`), show.stdout)
    const json = await runCli(['providers', 'show', 'refusing', '--json'], user.env)
    assert.equal(JSON.parse(json.stdout).displayName, `Refusing${HOSTILE}`)
  })

  it("an API's status text (exit 7)", async () => {
    const result = await runCli(['get', '-p', 'hostile', '/status'], user.env)
    assert.equal(result.code, 7, result.stderr)
    assert.equal(result.stdout, '{}')
    assert.equal(result.stderr, `error: HTTP 502 Bad${ESCAPED}\\x9b31m Gateway\n`)
  })
})
