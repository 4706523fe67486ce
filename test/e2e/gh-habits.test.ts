import assert from 'node:assert/strict'
import {execFile, spawnSync} from 'node:child_process'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {cliPath, root, runCli, sandboxSuite} from './harness.js'

/** Runs the CLI on a pseudo-terminal, typing `input` once `prompt` shows; returns what the terminal showed. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, prompt = '(no prompt expected)', input = ''): {code: number | null; screen: string} {
  const result = spawnSync('python3', [join(root, 'test', 'e2e', 'fixtures', 'pty-run.py'), prompt, input, '--', process.execPath, cliPath, ...args], {env, encoding: 'utf8', timeout: 40_000})
  return {code: result.status, screen: result.stdout.replaceAll('\r\n', '\n')}
}

/** {@link onTerminal} without blocking this process (for a server running in it). */
function onTerminalAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number | null; screen: string}> {
  return new Promise((resolve) => {
    execFile('python3', [join(root, 'test', 'e2e', 'fixtures', 'pty-run.py'), '(no prompt expected)', '', '--', process.execPath, cliPath, ...args], {env, encoding: 'utf8', timeout: 40_000}, (error, stdout) => {
      resolve({code: error ? ((error as {code?: number}).code ?? null) : 0, screen: stdout.replaceAll('\r\n', '\n')})
    })
  })
}

describe('--jq, as gh api --jq', () => {
  const suite = sandboxSuite()
  it('logs in for the tests', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
  })

  it('get --jq: string results print raw, other values as compact JSON, one per line', async () => {
    const names = await runCli(['get', '/items', '--jq', '.items[] | select(.id > 3) | .name'], suite.user.env)
    assert.equal(names.code, 0, names.stderr)
    assert.equal(names.stdout, 'Item 4\nItem 5\n')
    const mixed = await runCli(['get', '/items', '--jq', '.items[0], .page, "s", null'], suite.user.env)
    assert.equal(mixed.stdout, '{"id":1,"name":"Item 1"}\n1\ns\nnull\n')
  })

  it('with --paginate the filter runs on each page', async () => {
    const result = await runCli(['get', '/items', '-q', 'per_page=2', '--paginate', '--jq', '.items | length'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const counts = result.stdout.trim().split('\n').map(Number)
    assert.ok(counts.length > 1, result.stdout)
    assert.ok(counts.every((count) => count <= 2))
  })

  it('a filter that does not compile exits 2 with jq\'s message; nothing on stdout', async () => {
    const result = await runCli(['get', '/v2/me', '--jq', '.[ | x'], suite.user.env)
    assert.equal(result.code, 2)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^error: --jq: jq: error: syntax error, unexpected '\|'/)
    assert.match(result.stderr, /jq: 1 compile error/)
  })

  it('--jq with --slurp is a usage error', async () => {
    const result = await runCli(['get', '/items', '--paginate', '--slurp', '--jq', '.'], suite.user.env)
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--jq cannot be combined with --slurp/)
  })

  it('-q keeps its meaning; a -q value that reads as a jq filter gets "did you mean --jq" (exit 2, nothing sent)', async () => {
    for (const value of ['.id', '.[] | .name', 'map(.x) | length']) {
      const result = await runCli(['get', '/v2/me', '-q', value], suite.user.env)
      assert.equal(result.code, 2, value)
      assert.equal(result.stderr, `error: -q ${value}: -q adds a query parameter (KEY=VALUE) here\nDid you mean --jq '${value}'?\n`)
    }
    const query = await runCli(['get', '/echo', '-q', 'a=.b|c'], suite.user.env)
    assert.equal(query.code, 0, query.stderr)
  })

  it('--jq on the --json outputs: status, token, providers list/show, introspect, refresh', async () => {
    const env = suite.user.env
    assert.equal((await runCli(['status', '--jq', '.[] | .provider'], env)).stdout, 'sandbox\n')
    assert.equal((await runCli(['token', '--jq', '.provider'], env)).stdout, 'sandbox\n')
    assert.equal((await runCli(['token', '-p', 'sandbox', '--jq', '.scopes | length'], env)).stdout, '4\n')
    assert.equal((await runCli(['providers', 'list', '--jq', '.[] | select(.name == "sandbox") | .name'], env)).stdout, 'sandbox\n')
    assert.equal((await runCli(['providers', 'show', 'sandbox', '--jq', '.name'], env)).stdout, 'sandbox\n')
    assert.equal((await runCli(['introspect', '--jq', '.active'], env)).stdout, 'true\n')
    assert.equal((await runCli(['refresh', '--jq', '.how'], env)).stdout, 'refresh\n')
    const bad = await runCli(['status', '--jq', '.[ | x'], env)
    assert.equal(bad.code, 2)
    assert.equal(bad.stdout, '')
  })

  it('jq is not loaded without --jq', () => {
    const file = join(suite.user.configDir, 'imports')
    const run = (args: string[]): string[] => {
      const result = spawnSync(process.execPath, ['--import', join(root, 'test', 'e2e', 'fixtures', 'record-imports.mjs'), cliPath, ...args], {
        env: {...suite.user.env, RECORD_IMPORTS_FILE: file},
        encoding: 'utf8',
      })
      assert.equal(result.status, 0, result.stderr)
      return readFileSync(file, 'utf8').split('\n').filter(Boolean)
    }
    assert.deepEqual(run(['get', '/v2/me']).filter((url) => url.includes('jq-wasm')), [])
    assert.deepEqual(run(['token', '--json']).filter((url) => url.includes('jq-wasm')), [])
    assert.ok(run(['get', '/v2/me', '--jq', '.id']).some((url) => url.includes('jq-wasm')), 'the recorder sees jq-wasm when --jq is used')
  })
})

describe('gh habits: -X, --scope, refresh, logout', () => {
  const suite = sandboxSuite()

  it('get -X POST names `oauthctl post`; request without -X names -X with an example (exit 2)', async () => {
    const post = await runCli(['get', '-X', 'POST', '/echo'], suite.user.env)
    assert.equal(post.code, 2)
    assert.equal(post.stderr, 'error: `get` has no -X: the method is the command name\nDid you mean `oauthctl post /echo`?\n')
    const options = await runCli(['delete', '-X', 'options', '/echo'], suite.user.env)
    assert.match(options.stderr, /Did you mean `oauthctl request -X OPTIONS \/echo`\?/)
    const request = await runCli(['request', '/echo'], suite.user.env)
    assert.equal(request.code, 2)
    assert.equal(
      request.stderr,
      'error: `request` needs the method: -X METHOD\nFor example: oauthctl request -X OPTIONS /echo  (GET, POST, PUT, PATCH and DELETE have their own commands: oauthctl get /echo)\n',
    )
  })

  it('--scope takes repeats, commas and spaces', async () => {
    const result = await runCli(['login', 'sandbox', '--scope', 'openid,profile', '--scope', 'email offline_access', '--json'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout).scopes, ['openid', 'profile', 'email', 'offline_access'])
  })

  it('refresh: new tokens now (stderr names the new expiry, stdout empty); a narrower --scope narrows; a wider one re-consents', async () => {
    const env = suite.user.env
    const before = (await runCli(['token'], env)).stdout
    const plain = await runCli(['refresh'], env)
    assert.equal(plain.code, 0, plain.stderr)
    assert.equal(plain.stdout, '')
    assert.match(plain.stderr, /^Refreshed: sandbox \(profile default\); the access token expires \d{4}-\d\d-\d\dT[\d:.]+Z; scopes: openid profile email offline_access\.\n$/)
    assert.notEqual((await runCli(['token'], env)).stdout, before)

    const narrow = await runCli(['refresh', 'sandbox', '--scope', 'openid,offline_access', '--json'], env)
    assert.equal(narrow.code, 0, narrow.stderr)
    assert.equal(JSON.parse(narrow.stdout).how, 'narrowed')
    assert.deepEqual(JSON.parse((await runCli(['status', '--json'], env)).stdout)[0].scopes, ['openid', 'offline_access'])

    const wide = await runCli(['refresh', '-p', 'sandbox', '--scope', 'openid offline_access,profile', '--json'], env)
    assert.equal(wide.code, 0, wide.stderr)
    assert.equal(JSON.parse(wide.stdout).how, 'reconsent')
    assert.match(wide.stderr, /The scopes change \(openid offline_access -> openid offline_access profile\): sandbox must ask for consent again/)
    assert.deepEqual(JSON.parse(wide.stdout).scopes.toSorted(), ['offline_access', 'openid', 'profile'])
  })

  it('refresh without a refresh token exits 4 with the login command', async () => {
    const token = (await runCli(['token'], suite.user.env)).stdout.trim()
    assert.equal((await runCli(['login', 'sandbox', '--profile', 'bare', '--with-token'], suite.user.env, token)).code, 0)
    const result = await runCli(['refresh', 'sandbox', '--profile', 'bare'], suite.user.env)
    assert.equal(result.code, 4)
    assert.equal(result.stderr, 'error: the sandbox login (profile bare) has no refresh token, so it cannot be refreshed\nLog in again to get new tokens: oauthctl login sandbox --profile bare\n')
  })

  it('login --with-token on a terminal does not echo the pasted token', () => {
    const token = spawnSync(process.execPath, [cliPath, 'token'], {env: suite.user.env, encoding: 'utf8'}).stdout.trim()
    const {code, screen} = onTerminal(['login', 'sandbox', '--profile', 'pasted', '--with-token'], suite.user.env, 'press Enter', `${token}\r`)
    assert.equal(code, 0, screen)
    assert.match(screen, /Paste the oauthctl sandbox access token .*\(it is not shown\):/)
    assert.ok(!screen.includes(token), 'the token never appears on the terminal')
    assert.ok(!screen.includes(token.slice(0, 8)), 'not even its start')
    assert.match(screen, /Logged in to sandbox/)
  })

  it('Ctrl-C at the hidden prompt exits 130 and stores nothing', () => {
    const {code} = onTerminal(['login', 'sandbox', '--profile', 'cancelled', '--with-token'], suite.user.env, 'press Enter', 'abc\x03')
    assert.equal(code, 130)
    assert.doesNotMatch(spawnSync(process.execPath, [cliPath, 'status'], {env: suite.user.env, encoding: 'utf8'}).stdout, /cancelled/)
  })

  it('logout with several logins and none named: exit 2 listing them when not a terminal; on a terminal it asks', async () => {
    const listed = await runCli(['logout'], suite.user.env)
    assert.equal(listed.code, 2)
    assert.match(listed.stderr, /^error: \d+ logins are stored; name the one to logout:\n {2}oauthctl logout sandbox --profile default\n/)
    assert.match(listed.stderr, / {2}oauthctl logout sandbox --profile pasted\n/)
    const {code, screen} = onTerminal(['logout', '--no-revoke'], suite.user.env, 'Number (', '2\r')
    assert.equal(code, 0, screen)
    assert.match(screen, /logins are stored\. Which one to logout\?\n {2}1\. sandbox \(profile default\)\n {2}2\. sandbox \(profile (\w+)\)\n/)
    const second = /2\. sandbox \(profile (\w+)\)/.exec(screen)![1]
    assert.match(screen, new RegExp(`Logged out of sandbox \\(profile ${second}\\)`))
    const wrong = onTerminal(['logout'], suite.user.env, 'Number (', '9\r')
    assert.equal(wrong.code, 2)
    assert.match(wrong.screen, /error: no login chosen \("9"\)/)
  })
})

describe('without a browser, and a body without a newline on a terminal', () => {
  const suite = sandboxSuite()

  it('a browser command that fails: the ways to go on, with the port for ssh -L; Ctrl-C named', async () => {
    const result = await runCli(['login', 'sandbox', '--timeout', '1'], {...suite.user.env, OAUTHCTL_BROWSER: 'false'})
    assert.equal(result.code, 5)
    const port = /redirect to http:\/\/127\.0\.0\.1:(\d+)\/callback, up to 0:01; Ctrl-C to cancel\)/.exec(result.stderr)?.[1]
    assert.ok(port, result.stderr)
    assert.match(result.stderr, /warning: OAUTHCTL_BROWSER command "false" exited with 1; open the URL above yourself\n/)
    assert.match(result.stderr, /No browser here\? Other ways to go on \(Ctrl-C, then one of\):\n {2}oauthctl login sandbox --device .*\n {2}oauthctl login sandbox --paste /)
    assert.ok(result.stderr.includes(`ssh -L ${port}:127.0.0.1:${port} ${hostname()}\n`), result.stderr)
  })

  it('a countdown on a terminal only', async () => {
    const piped = await runCli(['login', 'sandbox', '--timeout', '2', '--no-browser'], suite.user.env)
    assert.doesNotMatch(piped.stderr, /left \(Ctrl-C to cancel\)/)
    const {code, screen} = onTerminal(['login', 'sandbox', '--timeout', '3', '--no-browser'], suite.user.env)
    assert.equal(code, 5)
    assert.match(screen, /\r\u001b\[2KWaiting for the browser: 0:0[23] left \(Ctrl-C to cancel\)/)
    assert.match(screen, /\r\u001b\[2Kerror: no callback received within 3 s/)
  })

  it('a non-JSON error body ends its line before the error on a terminal; piped it stays byte for byte', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const server = createServer((_req, res) => res.writeHead(404, {'content-type': 'text/plain'}).end('Not Found'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/missing`
      const args = ['get', url, '--allow-host', new URL(url).host]
      const piped = await runCli(args, suite.user.env)
      assert.equal(piped.code, 7)
      assert.equal(piped.stdout, 'Not Found')
      const {code, screen} = await onTerminalAsync(args, suite.user.env)
      assert.equal(code, 7)
      assert.match(screen, /^Not Found\nerror: HTTP 404 Not Found\n/m)
    } finally {
      server.close()
    }
  })
})

describe('network failures exit 7 naming the host', () => {
  // 2 s tokens: due for refresh (half their lifetime) 1.1 s after the login.
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2'])

  it('refresh-on-use, status --check, refresh and login --device with the provider down; the refresh token is kept', async () => {
    const env = suite.user.env
    assert.equal((await runCli(['login', 'sandbox'], env)).code, 0)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const host = new URL(suite.sandbox.issuer).host
    await suite.sandbox.stop()
    const get = await runCli(['get', '/v2/me'], env)
    assert.equal(get.code, 7)
    assert.equal(get.stderr, `error: could not reach ${host} to refresh the sandbox token (ECONNREFUSED); the stored refresh token was kept\nCheck the network (and proxy settings) and that ${host} is up, then run the command again.\n`)
    const check = await runCli(['status', '--check'], env)
    assert.equal(check.code, 7, check.stderr)
    assert.doesNotMatch(check.stderr, /Log in again/)
    assert.equal((await runCli(['refresh'], env)).code, 7)
    const device = await runCli(['login', 'sandbox', '--device', '--profile', 'other'], env)
    assert.equal(device.code, 7)
    assert.equal(device.stderr, `error: could not reach ${host} to start the device login (ECONNREFUSED)\nCheck the network (and proxy settings) and that ${host} is up, then run the command again.\n`)
    assert.doesNotMatch(device.stderr, /refused|client id/)
    assert.match((await runCli(['status'], env)).stdout, /refreshable/, 'the login and its refresh token are kept')
  })
})
