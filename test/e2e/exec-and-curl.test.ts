import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, runCli, runProcess, sandboxStats, sandboxSuite, type RunResult} from './harness.js'

/** Pids whose command line (`/proc/PID/cmdline`, readable by every user) contains `secret`. */
function pidsWithInArgv(secret: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`).includes(secret)
      } catch {
        return false // gone meanwhile
      }
    })
}

/** The oauthctl a shell pipeline calls: `"$OAUTHCTL" token --header | curl ...`. */
const oauthctl = `'${process.execPath}' '${cliPath}'`

function runShell(script: string, env: NodeJS.ProcessEnv, input = ''): Promise<RunResult> {
  return runProcess('sh', ['-c', script], {env, input})
}

describe('tokens for other programs never appear in any argv: exec and the curl idioms', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let token: string
  let api: Server
  let url: string
  /** Per request: its Authorization header, and the pids whose argv held the token while it was being served. */
  const seen: {authorization?: string; leaks: string[]}[] = []

  before(async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    token = (await runCli(['token'], suite.user.env)).stdout.trim()
    // While curl waits for this answer, oauthctl, the shell and curl are all running: look at every argv then.
    api = createServer((request, response) => {
      seen.push({authorization: request.headers.authorization, leaks: pidsWithInArgv(token)})
      response.writeHead(200, {'content-type': 'application/json'}).end('{"ok":true}\n')
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/me`
  })
  after(() => new Promise<void>((resolve) => api.close(() => resolve())))

  it('the argv scan finds a token that is on a command line (control)', async () => {
    const child = spawn('sh', ['-c', 'sleep 2', token], {stdio: 'ignore'})
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.deepEqual(pidsWithInArgv(token), [String(child.pid)])
    child.kill()
  })

  const idioms: [string, (url: string) => string][] = [
    ['token --header | curl -H @-', (url) => `${oauthctl} token --header | curl -sS -H @- ${url}`],
    ['token --curl-config | curl -K -', (url) => `${oauthctl} token --curl-config | curl -sS -K - ${url}`],
    [
      'exec -- sh -c (the token read from the environment)',
      (url) => `${oauthctl} exec -- sh -c 'printf "header = \\"Authorization: Bearer %s\\"\\n" "$OAUTH_TOKEN" | curl -sS -K - ${url}'`,
    ],
  ]
  for (const [name, script] of idioms) {
    it(`${name}: the API gets the bearer token, and no process has it in its argv meanwhile`, async () => {
      seen.length = 0
      const result = await runShell(script(url), suite.user.env)
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, '{"ok":true}\n', ''])
      assert.deepEqual(seen, [{authorization: `Bearer ${token}`, leaks: []}])
    })
  }

  it('token --netrc HOST | curl --netrc-file sends the token as the Basic password with the user name', async () => {
    seen.length = 0
    const result = await runShell(`${oauthctl} token --netrc 127.0.0.1 | curl -sS --netrc-file /dev/stdin ${url}`, suite.user.env)
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, '{"ok":true}\n', ''])
    assert.deepEqual(seen, [{authorization: `Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`, leaks: []}])
  })

  it('curl reads back exactly the token from a --curl-config line, quotes and backslashes included', async () => {
    seen.length = 0
    const odd = 'a"b\\c'
    const result = await runShell(`${oauthctl} token --curl-config | curl -sS -K - ${url}`, {...suite.user.env, OAUTHCTL_TOKEN: odd})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(seen[0].authorization, `Bearer ${odd}`)
  })

  it('the output formats exclude each other (exit 2) and --netrc takes a host name only', async () => {
    for (const args of [['--header', '--json'], ['--curl-config', '--header'], ['--netrc', 'h', '--json']]) {
      const result = await runCli(['token', ...args], suite.user.env)
      assert.equal(result.code, 2, args.join(' '))
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /cannot also be provided when using/)
    }
    const bad = await runCli(['token', '--netrc', 'h password evil'], suite.user.env)
    assert.deepEqual([bad.code, bad.stdout], [2, ''])
  })
})

describe('oauthctl exec', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let token: string
  let dir: string

  before(async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    token = (await runCli(['token'], suite.user.env)).stdout.trim()
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-exec-'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('puts the token in OAUTH_TOKEN, or the variable --env names', async () => {
    const plain = await runCli(['exec', '--', 'sh', '-c', 'printf %s "$OAUTH_TOKEN"'], suite.user.env)
    assert.deepEqual([plain.code, plain.stdout, plain.stderr], [0, token, ''])
    const named = await runCli(['exec', 'sandbox', '--env', 'GITHUB_TOKEN', '--', 'sh', '-c', 'printf "%s|%s" "$GITHUB_TOKEN" "${OAUTH_TOKEN-unset}"'], suite.user.env)
    assert.deepEqual([named.code, named.stdout], [0, `${token}|unset`])
  })

  it("passes stdin through (oclif does not take it as the provider) and returns the command's exit code", async () => {
    const cat = await runCli(['exec', '-p', 'sandbox', '--', 'cat'], suite.user.env, 'piped in\n')
    assert.deepEqual([cat.code, cat.stdout, cat.stderr], [0, 'piped in\n', ''])
    const noProvider = await runCli(['exec', '--', 'cat'], suite.user.env, 'github\n')
    assert.deepEqual([noProvider.code, noProvider.stdout, noProvider.stderr], [0, 'github\n', ''])
    const failing = await runCli(['exec', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], suite.user.env)
    assert.deepEqual([failing.code, failing.stdout, failing.stderr], [3, 'out\n', 'err\n'])
    // Arguments after -- are the command's, even when they look like oauthctl flags.
    const flags = await runCli(['exec', '--', 'sh', '-c', 'printf "%s," "$@"', 'sh', '--env', 'X', '-p', '--'], suite.user.env)
    assert.deepEqual([flags.code, flags.stdout], [0, '--env,X,-p,--,'])
  })

  it('a command killed by a signal gives 128 + its number, a command that is not found 127', async () => {
    const killed = await runCli(['exec', '--', 'sh', '-c', 'kill -KILL $$'], suite.user.env)
    assert.equal(killed.code, 137)
    const missing = await runCli(['exec', '--', 'no-such-command-oauthctl'], suite.user.env)
    assert.deepEqual([missing.code, missing.stdout, missing.stderr], [127, '', 'oauthctl: no-such-command-oauthctl: command not found\n'])
  })

  it('forwards SIGTERM to the command and waits for it, even when it comes the moment the command starts', async () => {
    // Bounded (10 s), so that a lost signal fails the test instead of leaving a shell behind.
    const script = 'trap "echo got-TERM; exit 7" TERM; echo ready; i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; exit 9'
    const child = spawn(process.execPath, [cliPath, 'exec', '--', 'sh', '-c', script], {env: suite.user.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        stdout += chunk
        if (stdout.includes('ready\n')) resolve()
      }),
    )
    child.kill('SIGTERM')
    const code = await new Promise((resolve) => child.on('close', resolve))
    assert.equal(code, 7)
    assert.equal(stdout, 'ready\ngot-TERM\n')
  })

  it('a missing login: exit 4, one line on stderr, and the command never runs', async () => {
    const marker = join(dir, 'ran')
    const result = await runCli(['exec', 'sandbox', '--profile', 'nobody', '--', 'touch', marker], suite.user.env)
    assert.deepEqual([result.code, result.stdout], [4, ''])
    assert.equal(result.stderr, 'oauthctl: not logged in to sandbox (profile nobody). Run: oauthctl login sandbox --profile nobody\n')
    assert.equal(existsSync(marker), false)
  })

  it('a token that cannot be refreshed: exit 4, one line on stderr, and the command never runs', async () => {
    // A token without a refresh token that is past its refresh window (half of its 1 s lifetime) by the time exec runs.
    const imported = JSON.stringify({access_token: token, expires_in: 1})
    assert.equal((await runCli(['login', 'sandbox', '--with-token', '--profile', 'stale'], suite.user.env, imported)).code, 0)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const marker = join(dir, 'ran-stale')
    const result = await runCli(['exec', '-p', 'sandbox', '--profile', 'stale', '--', 'touch', marker], suite.user.env)
    assert.deepEqual([result.code, result.stdout], [4, ''])
    assert.equal(result.stderr.split('\n').length, 2, result.stderr)
    assert.match(result.stderr, /^oauthctl: the sandbox access token has expired and there is no refresh token\. Run: oauthctl login sandbox --profile stale\n$/)
    assert.equal(existsSync(marker), false)
    assert.equal((await runCli(['switch', 'sandbox', 'default'], suite.user.env)).code, 0)
  })

  it('usage errors (exit 2): no command after --, an --env that is not a variable name', async () => {
    for (const args of [['exec', 'sandbox'], ['exec', '--'], ['exec', '--env', 'A-B', '--', 'true'], ['exec', '--env', '1X', '--', 'true'], ['exec', '--env', '', '--', 'true']]) {
      const result = await runCli(args, suite.user.env)
      assert.deepEqual([result.code, result.stdout], [2, ''], args.join(' '))
    }
  })

  it('the token reaches the command through its environment only', async () => {
    writeFileSync(join(dir, 'show.sh'), 'tr "\\0" "\\n" < /proc/$$/cmdline; echo; tr "\\0" "\\n" < /proc/$$/environ | grep -c "^OAUTH_TOKEN="\n')
    const result = await runCli(['exec', '--', 'sh', join(dir, 'show.sh')], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.includes(token), false)
    assert.match(result.stdout, /\n1\n$/)
  })
})

describe('oauthctl exec refreshes first, under the refresh lock, like token', () => {
  // 2 s tokens: the refresh-ahead window is half the lifetime (1 s), so each token is due 1.1 s after it was issued.
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2'])

  it('hands the command a refreshed token when the stored one is within its refresh window', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const before = (await sandboxStats(suite.sandbox.issuer)).refreshGrants
    const due = () => new Promise((resolve) => setTimeout(resolve, 1_100))
    await due()
    const first = await runCli(['exec', '--', 'sh', '-c', 'printf %s "$OAUTH_TOKEN"'], suite.user.env)
    await due()
    const second = await runCli(['exec', '--', 'sh', '-c', 'printf %s "$OAUTH_TOKEN"'], suite.user.env)
    assert.equal(first.code, 0, first.stderr)
    assert.equal(second.code, 0, second.stderr)
    assert.notEqual(first.stdout, second.stdout)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, before + 2)
  })
})
