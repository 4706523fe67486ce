import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {spawn} from 'node:child_process'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, makeUserEnv, runCli} from './harness.js'

describe('bad input gets a clear message and a documented exit code', () => {
  let user: ReturnType<typeof makeUserEnv>
  before(() => {
    // Nothing listens on this issuer: these commands must fail before any network call.
    user = makeUserEnv('http://127.0.0.1:9')
  })
  after(() => user.cleanup())

  it('unknown flag: exit 2, names the flag', async () => {
    const result = await runCli(['token', '--bogus'], user.env)
    assert.equal(result.code, 2)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /--bogus/)
  })

  it('unknown provider: exit 3 listing the known ones', async () => {
    const result = await runCli(['login', 'nosuch', '--no-browser'], user.env)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /unknown provider "nosuch"/)
    assert.match(result.stderr, /sandbox/)
  })

  it('not logged in: token and get exit 4 with the login command', async () => {
    for (const args of [['token'], ['get', '/v2/me'], ['token', 'github']]) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 4, args.join(' '))
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /oauthctl login/)
    }
  })

  it('status with no logins says so on stderr and exits 4 (--json still prints [])', async () => {
    const result = await runCli(['status'], user.env)
    assert.equal(result.code, 4)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^error: not logged in to any provider\nRun `oauthctl login <provider>`/)
    const json = await runCli(['status', '--json'], user.env)
    assert.equal(json.code, 4)
    assert.deepEqual(JSON.parse(json.stdout), [])
  })

  it('a provider that needs the user\'s app: exit 3 before any browser opens, with the redirect URI', async () => {
    const marker = join(user.configDir, 'browser-opened')
    const env: NodeJS.ProcessEnv = {...user.env, OAUTHCTL_BROWSER: `"${process.execPath}" -e "require('fs').writeFileSync('${marker}','x')"`}
    const result = await runCli(['login', 'linkedin'], env)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /LinkedIn needs a client id/)
    assert.match(result.stderr, /http:\/\/127\.0\.0\.1:8085\/callback/)
    assert.match(result.stderr, /linkedin\.com\/developers/)
    assert.equal(existsSync(marker), false)
  })

  it('a config dir that cannot be written: exit 3 before any browser opens', async () => {
    const blocker = join(user.configDir, 'a-file')
    writeFileSync(blocker, 'not a directory')
    const marker = join(user.configDir, 'browser-opened-2')
    const env: NodeJS.ProcessEnv = {
      ...user.env,
      OAUTHCTL_CONFIG_DIR: join(blocker, 'oauthctl'),
      OAUTHCTL_BROWSER: `"${process.execPath}" -e "require('fs').writeFileSync('${marker}','x')"`,
    }
    const result = await runCli(['login', 'sandbox'], env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /cannot (read|write) .*a-file\/oauthctl.* \(ENOTDIR\)/)
    assert.match(result.stderr, /OAUTHCTL_CONFIG_DIR/)
    assert.equal(existsSync(marker), false)
  })

  it('a bad OAUTHCTL_STORE value: exit 3', async () => {
    const result = await runCli(['login', 'sandbox', '--no-browser'], {...user.env, OAUTHCTL_STORE: 'vault'})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /OAUTHCTL_STORE/)
  })

  it('--port already in use: exit 3 naming the port', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const result = await runCli(['login', 'sandbox', '--no-browser', '--port', String(port)], user.env)
      assert.equal(result.code, 3)
      assert.match(result.stderr, new RegExp(`port ${port}`))
    } finally {
      blocker.close()
    }
  })

  it('no callback before --timeout: exit 5, the URL was printed', async () => {
    const result = await runCli(['login', 'sandbox', '--no-browser', '--timeout', '1'], user.env)
    assert.equal(result.code, 5)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /http:\/\/127\.0\.0\.1:9\/auth\?/)
    assert.match(result.stderr, /no callback received within 1 s/)
  })

  it('a repeatable flag before the argument does not swallow it (regression: oclif flags were greedy)', async () => {
    const result = await runCli(['login', '--scope', 'openid', '--scope', 'email', '--no-browser', '--timeout', '1', 'sandbox'], user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /scope=openid\+email&/)
  })

  it('Ctrl-C while waiting for the browser: exit 130, the listener is closed, nothing stored', async () => {
    const child = spawn(process.execPath, [cliPath, 'login', 'sandbox', '--no-browser'], {env: user.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const redirect = await new Promise<string>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk
        const match = /redirect_uri=([^&\s]+)/.exec(stderr)
        if (match && stderr.includes('Waiting for the redirect')) resolve(decodeURIComponent(match[1]))
      })
    })
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (exitCode) => resolve(exitCode))
      child.kill('SIGINT')
    })
    assert.equal(code, 130)
    assert.equal(stdout, '')
    assert.match(stderr, /interrupted/)
    await assert.rejects(fetch(`${redirect}?code=x&state=y`), 'the listener is gone')
    assert.equal(existsSync(join(user.configDir, 'tokens')), false)
  })

  it('a corrupt config file: exit 3 naming the file, and the file is left as it was', async () => {
    const file = join(user.configDir, 'config.json')
    writeFileSync(file, '{"logins": [1, 2')
    for (const args of [['status'], ['token'], ['login', 'sandbox', '--no-browser', '--timeout', '1']]) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 3, args.join(' '))
      assert.match(result.stderr, /config\.json is not valid JSON/)
    }
    writeFileSync(file, '{"logins": []}')
    const wrongType = await runCli(['status'], user.env)
    assert.equal(wrongType.code, 3)
    assert.match(wrongType.stderr, /"logins" must be an object/)
    assert.equal(readFileSync(file, 'utf8'), '{"logins": []}')
  })
})
