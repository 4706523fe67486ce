import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {startStallingServer, startUnconnectablePort} from '../http/fixtures/stalling-servers.js'
import {cliPath, makeUserEnv, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'

/** Like runCli, but stdout as bytes (for byte-for-byte checks). */
function runCliRaw(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number | null; stdout: Buffer; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout: Buffer.concat(out), stderr}))
  })
}

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

/** BINARY is not UTF-8 and not JSON: it must reach stdout unchanged. */
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x7b])

/**
 * A plain HTTP server on another 127.0.0.1 port: another origin. It records every request it gets, so a
 * test can prove what (if anything) reached it.
 */
async function startOtherOrigin(): Promise<{origin: string; seen: Seen[]; server: Server}> {
  const seen: Seen[] = []
  const attempts = new Map<string, number>()
  const server = createServer((req, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers})
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const key = `${url.pathname}?${url.searchParams.get('key') ?? ''}`
    const attempt = (attempts.get(key) ?? 0) + 1
    attempts.set(key, attempt)
    if (url.pathname === '/landing') {
      res.writeHead(200, {'content-type': 'application/json'})
      return res.end('{"landed":true}')
    }
    if (url.pathname === '/moved') {
      res.writeHead(302, {location: '/landing', 'content-length': '0'})
      return res.end()
    }
    if (url.pathname === '/loop') {
      res.writeHead(302, {location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}`})
      return res.end()
    }
    if (url.pathname === '/relocated') {
      // Answers every method with a permanent, method-keeping redirect and a body.
      res.writeHead(Number(url.searchParams.get('status') ?? 307), {location: `${origin}/landing`, 'content-type': 'application/json'})
      return res.end('{"moved":true}')
    }
    if (url.pathname === '/nowhere') {
      res.writeHead(302, {'content-type': 'text/plain'})
      return res.end('no location')
    }
    if (url.pathname === '/unchanged') {
      res.writeHead(304, {etag: '"v1"'})
      return res.end()
    }
    if (url.pathname === '/binary') {
      res.writeHead(200, {'content-type': 'application/octet-stream'})
      return res.end(BINARY)
    }
    if (url.pathname === '/pages') {
      // Link-paginated, 3 pages announced; page 3 fails.
      const page = Number(url.searchParams.get('page') ?? '1')
      if (page === 3) {
        res.writeHead(500, {'content-type': 'application/json'})
        return res.end('{"error":"page 3 broke"}')
      }
      res.writeHead(200, {'content-type': 'application/json', link: `<${origin}/pages?page=${page + 1}>; rel="next"`})
      return res.end(JSON.stringify([{page}]))
    }
    if (url.pathname === '/reset') {
      // The first attempt per key: the connection is cut before any answer.
      if (attempt === 1) return req.socket.destroy()
      res.writeHead(200, {'content-type': 'application/json'})
      return res.end(JSON.stringify({attempt}))
    }
    if (url.pathname === '/busy') {
      res.writeHead(503, {'content-type': 'application/json', 'retry-after': '0'})
      return res.end(JSON.stringify({busy: true, attempt}))
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server}
}

describe('API requests against `oauthctl sandbox`', () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>
  let other: Awaited<ReturnType<typeof startOtherOrigin>>
  let otherHost: string

  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer)
    other = await startOtherOrigin()
    otherHost = new URL(other.origin).host
    const login = await runCli(['login', 'sandbox'], user.env)
    assert.equal(login.code, 0, login.stderr)
  })
  after(async () => {
    await sandbox.stop()
    await new Promise((resolve) => other.server.close(resolve))
    user.cleanup()
  })

  async function echo(args: string[], input?: string) {
    const result = await runCli(args, user.env, input)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    return JSON.parse(result.stdout) as {method: string; query: Record<string, unknown>; headers: Record<string, string>; body: string; json?: unknown}
  }

  describe('verbs, headers, query and fields', () => {
    it('get: -H, -q, and -f/-F go to the query string', async () => {
      const seen = await echo(['get', '/echo?fixed=0', '-H', 'X-Trace: abc', '-H', 'Accept: application/json', '-q', 'q=a b', '-f', 'tags[]=x', '-F', 'n=5'])
      assert.equal(seen.method, 'GET')
      assert.deepEqual(seen.query, {fixed: '0', q: 'a b', 'tags[]': 'x', n: '5'})
      assert.equal(seen.headers['x-trace'], 'abc')
      assert.equal(seen.headers.authorization, 'present')
      assert.equal(seen.body, '')
    })

    it('post: -f strings and -F typed values (numbers, booleans, null, @file, @- stdin, nested keys) as a JSON body', async () => {
      const file = join(user.configDir, 'note.txt')
      writeFileSync(file, 'from a file\n')
      const seen = await echo(
        ['post', '/echo', '-f', 'title=Bug', '-f', 'n=1', '-F', 'count=3', '-F', 'draft=false', '-F', 'none=null', '-F', `note=@${file}`, '-F', 'piped=@-',
          '-f', 'labels[]=bug', '-f', 'labels[]=ui', '-f', 'meta[owner][name]=ann', '-f', 'empty[]', '-q', 'via=query'],
        'stdin text',
      )
      assert.equal(seen.method, 'POST')
      assert.equal(seen.headers['content-type'], 'application/json')
      assert.deepEqual(seen.query, {via: 'query'})
      assert.deepEqual(seen.json, {
        title: 'Bug',
        n: '1',
        labels: ['bug', 'ui'],
        meta: {owner: {name: 'ann'}},
        empty: [],
        count: 3,
        draft: false,
        none: null,
        note: 'from a file\n',
        piped: 'stdin text',
      })
    })

    it('put, patch, delete and request -X send their method, with fields as a JSON body', async () => {
      for (const [args, method] of [
        [['put', '/echo', '-F', 'v=1'], 'PUT'],
        [['patch', '/echo', '-F', 'v=1'], 'PATCH'],
        [['delete', '/echo', '-F', 'v=1'], 'DELETE'],
        [['request', '-X', 'options', '/echo', '-F', 'v=1'], 'OPTIONS'],
      ] as const) {
        const seen = await echo([...args])
        assert.equal(seen.method, method)
        assert.deepEqual(seen.json, {v: 1}, method)
      }
    })

    it('--data: @file and - (stdin) sent as is; JSON is application/json, else octet-stream or --content-type', async () => {
      const file = join(user.configDir, 'body.json')
      writeFileSync(file, '{"from":"file"}')
      const fromFile = await echo(['post', '/echo', '--data', `@${file}`])
      assert.equal(fromFile.body, '{"from":"file"}')
      assert.equal(fromFile.headers['content-type'], 'application/json')
      const fromStdin = await echo(['put', '/echo', '--data', '-'], 'a=1&b=2')
      assert.equal(fromStdin.body, 'a=1&b=2')
      assert.equal(fromStdin.headers['content-type'], 'application/octet-stream')
      const typed = await echo(['patch', '/echo', '--data', '<x/>', '--content-type', 'application/xml'])
      assert.equal(typed.body, '<x/>')
      assert.equal(typed.headers['content-type'], 'application/xml')
    })

    it('usage errors exit 2 before anything is sent', async () => {
      for (const args of [
        ['get', '/echo', '-H', 'no colon'],
        ['get', '/echo', '-H', 'Authorization: Bearer x'],
        ['get', '/echo', '-q', 'novalue'],
        ['post', '/echo', '-f', 'a=1', '-f', 'a[b]=2'],
        ['post', '/echo', '--data', 'x', '-f', 'a=1'],
        ['post', '/echo', '-F', 'f=@/nonexistent/file'],
        ['get', '/echo', '--data', 'x'],
        ['get', '/items', '--slurp'],
        ['post', '/items', '--paginate'],
        ['get', '/items', '--paginate', '--slurp', '-i'],
        ['get', '/echo', '--allow-host', '*'],
        ['request', '/echo'],
      ]) {
        const result = await runCli(args, user.env)
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
        assert.equal(result.stdout, '', args.join(' '))
        assert.match(result.stderr, /error: /, args.join(' '))
      }
    })
  })

  describe('output', () => {
    it('piped: the body byte for byte, JSON untouched (no re-formatting, no newline added)', async () => {
      const direct = await runCliRaw(['get', '/v2/me'], user.env)
      assert.equal(direct.code, 0, direct.stderr)
      assert.ok(!direct.stdout.toString().endsWith('\n'))
      assert.deepEqual(JSON.parse(direct.stdout.toString()).id, 'demo')
      assert.ok(!direct.stdout.toString().includes('\n'), 'compact as the API sent it')
    })

    it('non-JSON bodies pass through unchanged (binary, with --allow-host)', async () => {
      const result = await runCliRaw(['get', `${other.origin}/binary`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(result.stdout, BINARY)
    })

    it('-i prints the status line and headers, an empty line, then the body', async () => {
      const result = await runCli(['get', '-i', '/v2/me'], user.env)
      assert.equal(result.code, 0, result.stderr)
      const [head, body] = result.stdout.split('\r\n\r\n')
      const lines = (head ?? '').split('\r\n')
      assert.equal(lines[0], 'HTTP/1.1 200 OK')
      assert.ok(lines.includes('content-type: application/json; charset=utf-8'), head)
      assert.equal(JSON.parse(body ?? '').id, 'demo')
    })

    it('--silent prints nothing; an error still exits 7 with the status line on stderr', async () => {
      const ok = await runCli(['get', '--silent', '/v2/me'], user.env)
      assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, '', ''])
      const failed = await runCli(['get', '--silent', '-i', '/status/404'], user.env)
      assert.equal(failed.code, 7)
      assert.equal(failed.stdout, '')
      assert.match(failed.stderr, /error: HTTP 404 Not Found/)
    })

    it('status >= 400: the body on stdout, the status line on stderr, exit 7', async () => {
      const get = await runCli(['get', '/status/409'], user.env)
      assert.equal(get.code, 7)
      assert.deepEqual(JSON.parse(get.stdout), {status: 409})
      assert.match(get.stderr, /^error: HTTP 409 Conflict$/m)
    })

    const hasScript = spawnSync('sh', ['-c', 'command -v script'], {stdio: 'ignore'}).status === 0
    it('on a terminal: pretty-printed and coloured JSON; NO_COLOR keeps it plain', {skip: !hasScript && 'needs script(1) for a pty'}, () => {
      const command = `"${process.execPath}" "${cliPath}" get /v2/me`
      const tty = (env: NodeJS.ProcessEnv) => spawnSync('script', ['-qec', command, '/dev/null'], {env, encoding: 'utf8'}).stdout.replaceAll('\r\n', '\n')
      const {NO_COLOR: _ignored, ...colourEnv} = user.env
      const coloured = tty(colourEnv)
      assert.match(coloured, /\u001b\[/, 'has colour')
      assert.equal(JSON.parse(coloured.replace(/\u001b\[[\d;]*m/g, '')).id, 'demo')
      const plain = tty(user.env)
      assert.doesNotMatch(plain, /\u001b\[/)
      assert.match(plain, /^\{\n {2}"id": "demo",\n/)
    })
  })

  describe('where the token may go', () => {
    it('an absolute URL on a foreign host exits 3 naming it, and that host receives nothing', async () => {
      const before = other.seen.length
      const result = await runCli(['get', `${other.origin}/landing`], user.env)
      assert.equal(result.code, 3)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, new RegExp(`refusing to send the token to ${otherHost.replace('.', '\\.')}`))
      assert.match(result.stderr, /--allow-host/)
      assert.equal(other.seen.length, before)
    })

    it('a redirect to another origin is followed without the token', async () => {
      const before = other.seen.length
      const result = await runCli(['get', '/redirect', '-q', `to=${other.origin}/landing?from=sandbox`], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), {landed: true})
      const requests = other.seen.slice(before)
      assert.equal(requests.length, 1)
      assert.equal(requests[0]?.url, '/landing?from=sandbox')
      assert.equal(requests[0]?.headers.authorization, undefined, 'the other origin never sees the token')
    })

    it('a same-origin redirect keeps the token', async () => {
      const seen = await echo(['get', '/redirect', '-q', `to=${sandbox.issuer}/api/echo?after=redirect`])
      assert.deepEqual(seen.query, {after: 'redirect'})
      assert.equal(seen.headers.authorization, 'present')
    })

    it('POST is not redirected: the 302 is the answer, written as usual, and exit 7 says where it pointed', async () => {
      const before = other.seen.length
      const result = await runCli(['post', `${other.origin}/moved`, '--allow-host', otherHost, '-i', '--data', '{}'], user.env)
      assert.equal(result.code, 7, result.stderr)
      assert.match(result.stdout, /^HTTP\/1\.1 302 Found\r\n/)
      assert.match(result.stdout, /\r\nlocation: \/landing\r\n/)
      assert.equal(
        result.stderr,
        `error: the API redirected a POST to ${other.origin}/landing (HTTP 302 Found); oauthctl does not resend a request body with your token\n` +
          'Repeat the request at that URL if you trust it (an absolute URL on another host needs --allow-host).\n',
      )
      assert.deepEqual(other.seen.slice(before).map((r) => `${r.method} ${r.url}`), ['POST /moved'])
    })
  })

  describe('--paginate', () => {
    const ids = (items: Array<{id: number}>) => items.map((item) => item.id)
    const all = Array.from({length: 15}, (_, i) => i + 1)

    it('follows Link rel="next": one JSON document per page, each on its own line', async () => {
      const result = await runCli(['get', '--paginate', '/items'], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.ok(result.stdout.endsWith('\n'))
      const pages = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as {items: Array<{id: number}>; page: number})
      assert.deepEqual(pages.map((p) => p.page), [1, 2, 3])
      assert.deepEqual(pages.flatMap((p) => ids(p.items)), all)
    })

    it('--slurp gives one array of all items', async () => {
      const result = await runCli(['get', '--paginate', '--slurp', '/items', '-q', 'per_page=4', '-q', 'pages=4'], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(ids(JSON.parse(result.stdout)), Array.from({length: 16}, (_, i) => i + 1))
    })

    it('finds @odata.nextLink in the body (detected per response) and slurps "value"', async () => {
      const pages = await runCli(['get', '--paginate', '/odata'], user.env)
      assert.equal(pages.code, 0, pages.stderr)
      assert.equal(pages.stdout.trimEnd().split('\n').length, 3)
      const slurped = await runCli(['get', '--paginate', '--slurp', '/odata'], user.env)
      assert.deepEqual(ids(JSON.parse(slurped.stdout)), all)
    })

    it('a failure on page 3 exits 7 after writing pages 1 and 2 (and the error body)', async () => {
      const result = await runCli(['get', '--paginate', `${other.origin}/pages`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 7)
      assert.deepEqual(result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)), [[{page: 1}], [{page: 2}], {error: 'page 3 broke'}])
      assert.match(result.stderr, /error: HTTP 500 Internal Server Error/)
      assert.match(result.stderr, /Pages 1-2 were written before it/)
      const slurped = await runCli(['get', '--paginate', '--slurp', `${other.origin}/pages`, '--allow-host', otherHost], user.env)
      assert.equal(slurped.code, 7)
      assert.equal(slurped.stdout, '[{"page":1},{"page":2}]\n{"error":"page 3 broke"}\n')
    })
  })

  describe('retries', () => {
    it('GET on 429 + Retry-After: waits, says so on stderr, succeeds', async () => {
      const result = await runCli(['get', '/flaky', '-q', 'key=e2e-get', '-q', 'fail=2', '-q', 'status=429', '-q', 'retry_after=1'], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), {ok: true, attempts: 3})
      assert.equal(result.stderr, 'retrying in 1 s (HTTP 429, retry 1 of 3)\nretrying in 1 s (HTTP 429, retry 2 of 3)\n')
    })

    it('a Retry-After beyond 60 s is not waited for: exit 7 saying why', async () => {
      const result = await runCli(['get', '/flaky', '-q', 'key=e2e-long', '-q', 'status=503', '-q', 'retry_after=3600'], user.env)
      assert.equal(result.code, 7)
      assert.deepEqual(JSON.parse(result.stdout), {error: 'temporarily_unavailable', attempts: 1})
      assert.match(result.stderr, /HTTP 503 Service Unavailable/)
      assert.match(result.stderr, /retry in 3600 s \(Retry-After\), longer than oauthctl waits \(60 s\)/)
    })

    it('POST is never retried', async () => {
      const before = other.seen.filter((r) => r.url.startsWith('/busy')).length
      const result = await runCli(['post', `${other.origin}/busy?key=post`, '--allow-host', otherHost, '-f', 'a=1'], user.env)
      assert.equal(result.code, 7)
      assert.deepEqual(JSON.parse(result.stdout), {busy: true, attempt: 1})
      assert.equal(other.seen.filter((r) => r.url.startsWith('/busy')).length, before + 1)
      assert.match(result.stderr, /Not retried: POST is not idempotent/)
      assert.doesNotMatch(result.stderr, /retrying/)
    })

    it('a connection cut before the answer is retried for GET', async () => {
      const result = await runCli(['get', `${other.origin}/reset?key=get`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), {attempt: 2})
      assert.match(result.stderr, /^retrying in 1 s \((ECONNRESET|UND_ERR_SOCKET), retry 1 of 3\)\n$/)
    })

    it('...and not for POST: exit 7, the request may have been processed', async () => {
      const result = await runCli(['post', `${other.origin}/reset?key=post`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 7)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /POST 127\.0\.0\.1:\d+ failed: (ECONNRESET|UND_ERR_SOCKET) \(not retried: POST is not idempotent/)
    })
  })

  describe('redirects that are not followed (they used to exit 0 with an empty body)', () => {
    for (const [method, status] of [['post', 307], ['put', 308], ['delete', 301]] as const) {
      it(`${method.toUpperCase()} answered ${status}: its body is written, exit 7 names the target, nothing is resent`, async () => {
        const before = other.seen.length
        const result = await runCli([method, `${other.origin}/relocated?status=${status}`, '--allow-host', otherHost, '--data', '{"a":1}'], user.env)
        assert.equal(result.code, 7, result.stderr)
        assert.equal(result.stdout, '{"moved":true}')
        assert.match(
          result.stderr,
          new RegExp(`^error: the API redirected a ${method.toUpperCase()} to ${other.origin.replaceAll('.', '\\.')}/landing \\(HTTP ${status} [A-Za-z ]+\\); oauthctl does not resend a request body with your token\n`),
        )
        assert.deepEqual(other.seen.slice(before).map((r) => `${r.method} ${r.url}`), [`${method.toUpperCase()} /relocated?status=${status}`])
      })
    }

    it('a redirect loop exits 7 naming the host, after 10 redirects', async () => {
      const before = other.seen.length
      const result = await runCli(['get', `${other.origin}/loop`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 7, result.stderr)
      assert.equal(result.stdout, '')
      assert.equal(
        result.stderr,
        `error: GET ${otherHost}: more than 10 redirects (the last to ${other.origin}/loop?n=11); stopped\nThe API redirects in a loop; check the path, or ask its owner.\n`,
      )
      assert.equal(other.seen.length - before, 11)
    })

    it('a 302 without Location: the answer is written, exit 7', async () => {
      const result = await runCli(['get', `${other.origin}/nowhere`, '--allow-host', otherHost], user.env)
      assert.equal(result.code, 7)
      assert.equal(result.stdout, 'no location')
      assert.equal(result.stderr, 'error: the API answered HTTP 302 Found without a Location to follow\nNothing was followed; the answer is above.\n')
    })

    it('304 Not Modified (a conditional GET) is a success', async () => {
      const result = await runCli(['get', `${other.origin}/unchanged`, '--allow-host', otherHost, '-H', 'If-None-Match: "v1"'], user.env)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, '')
      assert.equal(result.stderr, '')
    })
  })

  describe('timeouts (a server that never answered used to keep oauthctl waiting forever)', () => {
    let stalling: Awaited<ReturnType<typeof startStallingServer>>
    before(async () => (stalling = await startStallingServer()))
    after(() => stalling.close())

    it('POST to a server that never answers: exit 7 after --timeout, naming the host and the timeout, not retried', async () => {
      const result = await runCli(['post', `${stalling.origin}/never`, '--allow-host', stalling.host, '-f', 'a=1', '--timeout', '0.3'], user.env)
      assert.equal(result.code, 7)
      assert.equal(result.stdout, '')
      assert.equal(
        result.stderr,
        `error: POST ${stalling.host} failed: idle timeout: nothing received for 0.3 s (not retried: POST is not idempotent, and the server may have received it)\n` +
          `Check that ${stalling.origin} is reachable and answering, or allow more time with --timeout SECONDS.\n`,
      )
    })

    it('GET is retried 3 times after a timeout, as the README says, then exit 7', async () => {
      const before = stalling.hits.get('/never') ?? 0
      const result = await runCli(['get', `${stalling.origin}/never`, '--allow-host', stalling.host, '--timeout', '0.3'], user.env)
      assert.equal(result.code, 7)
      assert.equal(
        result.stderr,
        'retrying in 1 s (idle timeout, retry 1 of 3)\nretrying in 2 s (idle timeout, retry 2 of 3)\nretrying in 4 s (idle timeout, retry 3 of 3)\n' +
          `error: GET ${stalling.host} failed: idle timeout: nothing received for 0.3 s (after 3 retries)\n` +
          `Check that ${stalling.origin} is reachable and answering, or allow more time with --timeout SECONDS.\n`,
      )
      assert.equal((stalling.hits.get('/never') ?? 0) - before, 4)
    })

    it('headers, then a body that stalls (OAUTHCTL_TIMEOUT): what arrived is on stdout, exit 7', async () => {
      const result = await runCli(['get', `${stalling.origin}/stall`, '--allow-host', stalling.host], {...user.env, OAUTHCTL_TIMEOUT: '0.3'})
      assert.equal(result.code, 7)
      assert.equal(result.stdout, '{"partial":')
      assert.equal(
        result.stderr,
        `error: the connection to ${stalling.host} broke while reading the response (idle timeout: nothing received for 0.3 s)\nWhat was received so far is on stdout. Run the command again.\n`,
      )
    })

    it('a connection that cannot be made: exit 7 after --connect-timeout', async () => {
      const port = await startUnconnectablePort()
      try {
        const host = `127.0.0.1:${port.port}`
        const result = await runCli(['post', `${port.origin}/x`, '--allow-host', host, '--connect-timeout', '0.3'], user.env)
        assert.equal(result.code, 7)
        assert.equal(
          result.stderr,
          `error: POST ${host} failed: connect timeout: no connection within 0.3 s (not retried: POST is not idempotent)\n` +
            `Check that ${port.origin} is reachable and answering, or allow more time with --connect-timeout SECONDS.\n`,
        )
      } finally {
        port.close()
      }
    })

    for (const [args, env] of [
      [['--timeout', 'soon'], {}],
      [['--timeout', '99999999999'], {}],
      [['--connect-timeout', '-1'], {}],
      [[], {OAUTHCTL_TIMEOUT: '1e9'}],
    ] as const) {
      it(`a bad timeout (${[...args, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' ')}) is exit 2, nothing sent`, async () => {
        const before = stalling.hits.get('/ok') ?? 0
        const result = await runCli(['get', `${stalling.origin}/ok`, '--allow-host', stalling.host, ...args], {...user.env, ...env})
        assert.equal(result.code, 2)
        assert.match(
          result.stderr,
          /^error: bad --(connect-)?timeout "[^"]*": expected seconds \(30, 0\.5; 0 for no limit\), at most 2147483\nIt comes from --(connect-)?timeout or the OAUTHCTL_(CONNECT_)?TIMEOUT variable\.\n$/,
        )
        assert.equal(stalling.hits.get('/ok') ?? 0, before)
      })
    }
  })
})
