import assert from 'node:assert/strict'
import {readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {makeUserEnv, runCli, sandboxStats, sandboxSuite} from './harness.js'

function storedSecrets(configDir: string): {accessToken: string; refreshToken?: string} {
  const dir = join(configDir, 'tokens')
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.json'))
  return JSON.parse(readFileSync(join(dir, file), 'utf8')).secrets
}

describe('end to end against `oauthctl sandbox` (file store)', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('logs in: empty stdout, the URL and the user on stderr', async () => {
    const result = await runCli(['login', 'sandbox'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, new RegExp(`${suite.sandbox.issuer}/auth\\?`))
    assert.match(result.stderr, /code_challenge_method=S256/)
    assert.match(result.stderr, /Logged in to sandbox as Demo User \(demo\), profile default\./)
    assert.match(result.stderr, /Tokens stored in .*tokens/)
  })

  it('token prints the access token and a newline, nothing else', async () => {
    const result = await runCli(['token'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.match(result.stdout, /^[\w-]{20,}\n$/)
    assert.equal(result.stdout.trim(), storedSecrets(suite.user.configDir).accessToken)
  })

  it('get /v2/me prints JSON from the protected API', async () => {
    const result = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const me = JSON.parse(result.stdout)
    assert.equal(me.id, 'demo')
    assert.equal(me.localizedFirstName, 'Demo')
  })

  it('get of an API error writes the body on stdout and exits 7', async () => {
    const result = await runCli(['get', '/status/404'], suite.user.env)
    assert.equal(result.code, 7)
    assert.deepEqual(JSON.parse(result.stdout), {status: 404})
    assert.match(result.stderr, /HTTP 404/)
  })

  it('status lists the login without any secret', async () => {
    const token = storedSecrets(suite.user.configDir).accessToken
    const json = await runCli(['status', '--json'], suite.user.env)
    assert.equal(json.code, 0)
    const [entry] = JSON.parse(json.stdout)
    assert.equal(entry.provider, 'sandbox')
    assert.equal(entry.profile, 'default')
    assert.equal(entry.subject, 'demo')
    assert.equal(entry.store, 'file')
    assert.equal(entry.default, true)
    assert.ok(entry.scopes.includes('offline_access'))
    assert.ok(!json.stdout.includes(token))
    const human = await runCli(['status'], suite.user.env)
    assert.equal(human.stderr, '')
    assert.match(human.stdout, /^\* sandbox, profile "default": Demo User \(demo\)$/m)
    assert.match(human.stdout, /^\* the default login: used when no provider is named$/m)
    assert.ok(!human.stdout.includes(token))
  })

  it('keeps the config and token files private', () => {
    assert.equal(statSync(join(suite.user.configDir, 'config.json')).mode & 0o777, 0o600)
    assert.equal(statSync(join(suite.user.configDir, 'tokens')).mode & 0o777, 0o700)
  })

  it('logout removes the tokens; get then exits 4 naming the login command', async () => {
    const out = await runCli(['logout'], suite.user.env)
    assert.equal(out.code, 0, out.stderr)
    assert.equal(out.stdout, '')
    assert.deepEqual(readdirSync(join(suite.user.configDir, 'tokens')).filter((f) => f.endsWith('.json')), [])
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 4)
    assert.equal(get.stdout, '')
    assert.match(get.stderr, /oauthctl login/)
    const named = await runCli(['get', '-p', 'sandbox', '/v2/me'], suite.user.env)
    assert.equal(named.code, 4)
    assert.match(named.stderr, /Run: oauthctl login sandbox/)
  })
})

describe('refresh with rotation (short access-token lifetime)', () => {
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2'])

  it('refreshes ahead of expiry, saves the rotated refresh token, and the API accepts the new token', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const first = storedSecrets(suite.user.configDir)
    assert.ok(first.refreshToken, 'a refresh token was issued')
    const before = (await sandboxStats(suite.sandbox.issuer)).refreshGrants

    // A 2 s token is refreshed once less than half its lifetime is left (not 60 s ahead: see refreshWindowMs).
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const token = await runCli(['token'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    const second = storedSecrets(suite.user.configDir)
    assert.notEqual(second.accessToken, first.accessToken)
    assert.notEqual(second.refreshToken, first.refreshToken, 'the rotated refresh token was saved')
    assert.equal(token.stdout.trim(), second.accessToken)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, before + 1)

    await new Promise((resolve) => setTimeout(resolve, 2100))
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
    assert.notEqual(storedSecrets(suite.user.configDir).refreshToken, second.refreshToken)
  })

  it('--debug shows what happens but never a token or a code', async () => {
    const login = await runCli(['login', 'sandbox', '--profile', 'debug', '--debug'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /debug: callback received: http:\/\/127\.0\.0\.1:\d+\/callback\?code=\[redacted\]/)
    assert.doesNotMatch(login.stderr, /[?&]code=(?!\[redacted\])/)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const get = await runCli(['get', '--profile', 'debug', '/v2/me', '--debug'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.match(get.stderr, /debug: refreshing sandbox:debug/)
    assert.match(get.stderr, /debug: GET .*\/api\/v2\/me \(with token\)/)
    assert.match(get.stderr, /debug: -> HTTP 200/)
    const dir = join(suite.user.configDir, 'tokens')
    for (const file of readdirSync(dir)) {
      const {secrets} = JSON.parse(readFileSync(join(dir, file), 'utf8'))
      for (const secret of [secrets.accessToken, secrets.refreshToken, secrets.idToken].filter(Boolean)) {
        assert.ok(!login.stderr.includes(secret) && !get.stderr.includes(secret), 'a stored secret appeared on stderr')
      }
    }
  })

  it('a rejected refresh token exits 4 and names the login command, keeping the record', async () => {
    const dir = join(suite.user.configDir, 'tokens')
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.json'))
    const stored = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    const secrets = {...stored.secrets, refreshToken: 'not-a-valid-refresh-token', expiresAt: Date.now() - 1000}
    writeFileSync(join(dir, file), JSON.stringify({...stored, secrets}), {mode: 0o600})
    const result = await runCli(['token'], suite.user.env)
    assert.equal(result.code, 4)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /refresh token was rejected \(invalid_grant/)
    assert.match(result.stderr, /Run: oauthctl login sandbox/)
  })
})

describe('empty client credentials in the environment or on the command line', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('an empty OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET or --client-secret counts as not given (was exit 1: "clientSecret" must not be empty)', async () => {
    const empty = await runCli(['login', 'sandbox', '--profile', 'emptyenv'], {...suite.user.env, OAUTHCTL_CLIENT_ID: '', OAUTHCTL_CLIENT_SECRET: ''})
    assert.equal(empty.code, 0, empty.stderr)
    assert.match(empty.stderr, /Logged in to sandbox as Demo User \(demo\), profile emptyenv\./)
    const flag = await runCli(['login', 'sandbox', '--profile', 'emptyflag', '--client-secret', ''], suite.user.env)
    assert.equal(flag.code, 0, flag.stderr)
    // A confidential client's empty variable falls back to the secret kept in the store.
    assert.equal((await runCli(['login', 'sandbox', '--profile', 'machine', '--client-credentials', '--client-id', 'oauthctl-machine', '--client-secret', 'sandbox-secret', '--scope', 'api'], suite.user.env)).code, 0)
    const machine = await runCli(['login', 'sandbox', '--profile', 'machine', '--client-credentials', '--client-id', 'oauthctl-machine', '--scope', 'api'], {...suite.user.env, OAUTHCTL_CLIENT_SECRET: ''})
    assert.equal(machine.code, 0, machine.stderr)
  })
})
