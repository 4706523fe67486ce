import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, sandboxStats, sandboxSuite, startSandboxProcess, type SandboxProcess} from './harness.js'
import {callWithToken, spawnCli, spawnCliOnTerminal, storedEntry, storedKeys} from './interactive.js'

const MACHINE = ['--client-credentials', '--client-id', 'oauthctl-machine', '--scope', 'api']

describe('login --client-credentials, renewed without a refresh token (access-token TTL 2 s)', () => {
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2'])

  it('logs in with the confidential client; the secret is kept in the store, never in config.json', async () => {
    const result = await runCli(['login', 'sandbox', ...MACHINE, '--client-secret', 'sandbox-secret', '--json'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const record = JSON.parse(result.stdout)
    assert.equal(record.grant, 'client_credentials')
    assert.equal(record.clientId, 'oauthctl-machine')
    assert.equal(record.hasRefreshToken, false)
    assert.deepEqual(record.scopes, ['api'])
    assert.match(result.stderr, /Logged in to sandbox as client oauthctl-machine/)
    assert.ok(!readFileSync(join(suite.user.configDir, 'config.json'), 'utf8').includes('sandbox-secret'))
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:default')?.clientSecret, 'sandbox-secret')
    assert.ok(!result.stderr.includes('sandbox-secret'))
  })

  it('token and get renew the expired token with the client credentials grant', async () => {
    const first = storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken
    const grants = (await sandboxStats(suite.sandbox.issuer)).grants.client_credentials ?? 0
    await new Promise((resolve) => setTimeout(resolve, 2100))
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', first as string), 401, 'the first token has expired')
    const token = await runCli(['token'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.equal(token.stderr, '')
    assert.notEqual(token.stdout.trim(), first)
    assert.equal(token.stdout.trim(), storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).grants.client_credentials, grants + 1)

    await new Promise((resolve) => setTimeout(resolve, 2100))
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'oauthctl-machine')
    // At least one renewal; on a loaded machine a 2 s token (whole seconds: maybe only 1 s left) can also
    // expire in flight, answer 401 and be renewed once more, which is the retry working, not a failure.
    const after = (await sandboxStats(suite.sandbox.issuer)).grants.client_credentials
    assert.ok(after >= grants + 2 && after <= grants + 3, `client_credentials grants: ${after - grants}`)
  })

  it('a later login finds the secret in the store', async () => {
    const result = await runCli(['login', 'sandbox', ...MACHINE, '--profile', 'again'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:again')?.clientSecret, 'sandbox-secret')
  })

  it('a wrong secret exits 5 with the provider error; an unknown client without secret exits 3', async () => {
    const wrong = await runCli(['login', 'sandbox', ...MACHINE, '--client-secret', 'wrong-secret', '--profile', 'wrong'], suite.user.env)
    assert.equal(wrong.code, 5, wrong.stderr)
    assert.match(wrong.stderr, /invalid_client/)
    const missing = await runCli(['login', 'sandbox', '--client-credentials', '--client-id', 'nobody', '--profile', 'nobody'], suite.user.env)
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(missing.stderr, /no client secret for nobody/)
  })
})

/** The user's browser, elsewhere: follows the sandbox's redirects up to the unreachable loopback URI, and returns that address. */
async function browseToRedirect(authorizeUrl: string, redirectUri: string): Promise<string> {
  let url = authorizeUrl
  const cookies = new Map<string, string>()
  for (let hop = 0; hop < 20 && !url.startsWith(redirectUri); hop++) {
    const response = await fetch(url, {redirect: 'manual', headers: {cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')}})
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const [name, value] = (pair as string).split('=')
      cookies.set(name as string, value ?? '')
    }
    await response.body?.cancel()
    url = new URL(response.headers.get('location') as string, url).href
  }
  assert.ok(url.startsWith(`${redirectUri}?`), url)
  return url
}

describe('login --with-token and --paste', () => {
  let sandbox: SandboxProcess
  let donor: ReturnType<typeof makeUserEnv>
  let user: ReturnType<typeof makeUserEnv>
  let donorToken: string

  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    donor = makeUserEnv(sandbox.issuer)
    user = makeUserEnv(sandbox.issuer)
    assert.equal((await runCli(['login', 'sandbox'], donor.env)).code, 0)
    donorToken = (await runCli(['token'], donor.env)).stdout.trim()
  })
  after(async () => {
    await sandbox.stop()
    donor.cleanup()
    user.cleanup()
  })

  it('imports a bare token from stdin after the API accepted it', async () => {
    const result = await runCli(['login', 'sandbox', '--with-token'], user.env, `${donorToken}\n`)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Logged in to sandbox as Demo User \(demo\)/)
    assert.ok(!result.stderr.includes(donorToken))
    assert.equal((await runCli(['token'], user.env)).stdout, `${donorToken}\n`)
    const [entry] = JSON.parse((await runCli(['status', '--json'], user.env)).stdout)
    assert.equal(entry.grant, 'import')
    assert.equal(entry.expiresAt, null)
  })

  it('imports a JSON token response with its expiry', async () => {
    const json = JSON.stringify({access_token: donorToken, expires_in: 600, scope: 'openid profile'})
    const result = await runCli(['login', 'sandbox', '--with-token', '--profile', 'json'], user.env, json)
    assert.equal(result.code, 0, result.stderr)
    const entry = JSON.parse((await runCli(['status', '--json'], user.env)).stdout).find((e: {profile: string}) => e.profile === 'json')
    assert.deepEqual(entry.scopes, ['openid', 'profile'])
    const expiresIn = Date.parse(entry.expiresAt) - Date.now()
    assert.ok(expiresIn > 590_000 && expiresIn <= 600_000, String(expiresIn))
  })

  it('a token the API rejects exits 5 and stores nothing; no token on stdin exits 2', async () => {
    const bad = await runCli(['login', 'sandbox', '--with-token', '--profile', 'bad'], user.env, 'not-a-valid-token-123\n')
    assert.equal(bad.code, 5, bad.stderr)
    assert.match(bad.stderr, /rejected the token \(HTTP 401/)
    assert.equal(storedEntry(user.configDir, 'sandbox:bad'), undefined)
    const empty = await runCli(['login', 'sandbox', '--with-token', '--profile', 'empty'], user.env, '')
    assert.equal(empty.code, 2, empty.stderr)
    assert.match(empty.stderr, /stdin ended without one/)
  })

  it('--paste: reads the redirect URL the browser ended on and exchanges the code', async () => {
    const cli = spawnCli(['login', 'sandbox', '--no-browser', '--paste', '--profile', 'pasted'], user.env)
    const [, authorizeUrl] = await cli.waitForStderr(/^\s+(http\S+\/auth\?\S+)$/m)
    const [, redirectUri] = await cli.waitForStderr(/goes to (http:\/\/127\.0\.0\.1:\d+\/callback)\?code/)
    await cli.waitForStderr(/paste it here/)
    const url = await browseToRedirect(authorizeUrl as string, redirectUri as string)
    cli.child.stdin.end(`${url}\n`)
    assert.equal(await cli.exited, 0, cli.stderr())
    assert.equal(cli.stdout(), '')
    assert.match(cli.stderr(), /Logged in to sandbox as Demo User \(demo\), profile pasted\./)
    const token = storedEntry(user.configDir, 'sandbox:pasted')?.accessToken as string
    assert.equal(await callWithToken(sandbox.issuer, '/api/v2/me', token), 200)
  })

  it('--paste on a terminal: the pasted address (it carries the code) is not echoed', async () => {
    const cli = spawnCliOnTerminal(['login', 'sandbox', '--no-browser', '--paste', '--profile', 'onterminal'], user.env)
    const [, authorizeUrl] = await cli.waitForStderr(/^\s+(http\S+\/auth\?\S+)\r?$/m)
    const [, redirectUri] = await cli.waitForStderr(/goes to (http:\/\/127\.0\.0\.1:\d+\/callback)\?code/)
    await cli.waitForStderr(/paste it here, then press Enter \(it is not shown: it carries the login code\):/)
    const url = await browseToRedirect(authorizeUrl as string, redirectUri as string)
    const code = new URL(url).searchParams.get('code') as string
    cli.child.stdin.write(`${url}\r`)
    assert.equal(await cli.exited, 0, cli.stderr())
    const screen = cli.stderr()
    assert.match(screen, /Logged in to sandbox as Demo User \(demo\), profile onterminal\./)
    assert.ok(!screen.includes(code), 'the code never appears on the terminal')
    assert.ok(!screen.includes(url), 'nor the pasted address')
    assert.ok(storedEntry(user.configDir, 'sandbox:onterminal')?.accessToken)
  })

  for (const [name, paste, message] of [
    ['a wrong state', (redirect: string) => `${redirect}?code=abc&state=not-this-login&iss=ISS`, /state does not match/],
    ['a malformed paste', () => 'I clicked allow', /not a URL/],
    ['another redirect URI', () => 'http://127.0.0.1:1/elsewhere?code=abc&state=x', /not the redirect of this login/],
  ] as const) {
    it(`--paste: ${name} exits 5 and stores nothing`, async () => {
      const cli = spawnCli(['login', 'sandbox', '--no-browser', '--paste', '--profile', 'badpaste'], user.env)
      const [, redirectUri] = await cli.waitForStderr(/goes to (http:\/\/127\.0\.0\.1:\d+\/callback)\?code/)
      cli.child.stdin.end(`${paste(redirectUri as string).replace('ISS', encodeURIComponent(sandbox.issuer))}\n`)
      assert.equal(await cli.exited, 5, cli.stderr())
      assert.match(cli.stderr(), message)
      assert.equal(storedEntry(user.configDir, 'sandbox:badpaste'), undefined)
    })
  }
})

describe('logout revocation, introspection, status --check and UMA against the sandbox', () => {
  const suite = sandboxSuite(['--auto-approve'])
  const login = async (profile = 'default') => {
    const result = await runCli(['login', 'sandbox', '--profile', profile], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    return storedEntry(suite.user.configDir, `sandbox:${profile}`) as {accessToken: string; refreshToken?: string}
  }

  it('introspect prints the provider view of the token as JSON, never the token', async () => {
    const {accessToken} = await login()
    const result = await runCli(['introspect'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const info = JSON.parse(result.stdout)
    assert.equal(info.active, true)
    assert.equal(info.sub, 'demo')
    assert.equal(info.client_id, 'oauthctl')
    assert.match(info.scope, /openid/)
    assert.equal(typeof info.exp, 'number')
    assert.equal(info.jti, undefined)
    assert.ok(!result.stdout.includes(accessToken))
  })

  it('status --check confirms a working token (exit 0) and reports a revoked one (exit 4)', async () => {
    const ok = await runCli(['status', '--check', '--json'], suite.user.env)
    assert.equal(ok.code, 0, ok.stderr)
    assert.deepEqual(JSON.parse(ok.stdout)[0].check, {ok: true, method: 'userinfo', detail: `accepted by ${suite.sandbox.issuer}/me`})

    const {accessToken} = await login('revoked')
    const revoke = await fetch(`${suite.sandbox.issuer}/token/revocation`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({token: accessToken, client_id: 'oauthctl'}),
    })
    assert.equal(revoke.status, 200)
    const failed = await runCli(['status', '--check', '--json'], suite.user.env)
    assert.equal(failed.code, 4, failed.stderr)
    const checks = Object.fromEntries(JSON.parse(failed.stdout).map((e: {profile: string; check: unknown}) => [e.profile, e.check]))
    assert.equal(checks.default.ok, true)
    assert.equal(checks.revoked.ok, false)
    assert.match(failed.stderr, /1 of 2 logins failed the check: sandbox \[revoked\]/)
    const human = await runCli(['status', '--check'], suite.user.env)
    assert.equal(human.code, 4)
    assert.match(human.stdout, /check: FAILED \(userinfo: rejected by .*HTTP 401/)
    assert.match(human.stderr, /1 of 2 logins failed the check/)
    assert.equal((await runCli(['logout', 'sandbox', '--profile', 'revoked', '--no-revoke'], suite.user.env)).code, 0)
  })

  it('get of a UMA-protected resource exchanges the ticket for an RPT, caches it and retries', async () => {
    const uma = 'urn:ietf:params:oauth:grant-type:uma-ticket'
    const before = (await sandboxStats(suite.sandbox.issuer)).grants[uma] ?? 0
    const first = await runCli(['get', '/uma/resource'], suite.user.env)
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual(JSON.parse(first.stdout), {resource: 'resource', owner: 'demo', sharedWith: 'demo', via: 'rpt'})
    assert.equal((await sandboxStats(suite.sandbox.issuer)).grants[uma], before + 1)
    assert.ok(storedKeys(suite.user.configDir).includes(`uma:sandbox:default:${suite.sandbox.issuer}`))
    const second = await runCli(['get', '/uma/resource'], suite.user.env)
    assert.equal(second.code, 0, second.stderr)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).grants[uma], before + 1, 'the cached RPT was used')
    const denied = await runCli(['get', '/uma/denied'], suite.user.env)
    assert.equal(denied.code, 5, denied.stderr)
    assert.match(denied.stderr, /refused the permission ticket: request_denied/)
  })

  it('logout revokes refresh and access token at the provider before deleting them', async () => {
    const {accessToken, refreshToken} = storedEntry(suite.user.configDir, 'sandbox:default') as {accessToken: string; refreshToken: string}
    assert.ok(refreshToken)
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', accessToken), 200)
    const before = (await sandboxStats(suite.sandbox.issuer)).revocations
    const result = await runCli(['logout'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Revoked the refresh token and access token at oauthctl sandbox\./)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).revocations, before + 2)
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', accessToken), 401, 'the sandbox rejects the revoked token')
    const refresh = await fetch(`${suite.sandbox.issuer}/token`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'oauthctl'}),
    })
    assert.equal(refresh.status, 400, 'the revoked refresh token no longer works')
    assert.deepEqual(storedKeys(suite.user.configDir), [], 'tokens and the cached RPT are gone')
  })

  it('logout --no-revoke only forgets the token', async () => {
    const {accessToken} = await login()
    const before = (await sandboxStats(suite.sandbox.issuer)).revocations
    const result = await runCli(['logout', '--no-revoke'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /Revoked/)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).revocations, before)
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', accessToken), 200)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:default'), undefined)
  })

  it('a failed revocation warns and still removes the login; --strict exits 5 and keeps it', async () => {
    const {accessToken} = await login()
    const file = join(suite.user.configDir, 'config.json')
    const config = JSON.parse(readFileSync(file, 'utf8'))
    config.providers = {sandbox: {revocationEndpoint: `${suite.sandbox.issuer}/sandbox/no-such-endpoint`}}
    writeFileSync(file, JSON.stringify(config), {mode: 0o600})

    const strict = await runCli(['logout', '--strict'], suite.user.env)
    assert.equal(strict.code, 5, strict.stderr)
    assert.match(strict.stderr, /could not revoke/)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken, accessToken, 'kept for a retry')

    const lenient = await runCli(['logout'], suite.user.env)
    assert.equal(lenient.code, 0, lenient.stderr)
    assert.match(lenient.stderr, /warning: could not revoke the tokens at oauthctl sandbox/)
    assert.match(lenient.stderr, /Logged out of sandbox/)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:default'), undefined)
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', accessToken), 200, 'not revoked')
  })

  it('logout of a client credentials login revokes its token with the client secret', async () => {
    const login = await runCli(['login', 'sandbox', ...MACHINE, '--client-secret', 'sandbox-secret', '--profile', 'machine'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const {accessToken} = storedEntry(suite.user.configDir, 'sandbox:machine') as {accessToken: string}
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    delete config.providers
    writeFileSync(join(suite.user.configDir, 'config.json'), JSON.stringify(config), {mode: 0o600})
    const result = await runCli(['logout', 'sandbox', '--profile', 'machine'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Revoked the access token/)
    assert.equal(await callWithToken(suite.sandbox.issuer, '/api/v2/me', accessToken), 401)
  })

  it('introspect exits 3 for a provider without an introspection endpoint', async () => {
    const file = join(suite.user.configDir, 'config.json')
    const config = JSON.parse(readFileSync(file, 'utf8'))
    config.providers = {
      plain: {displayName: 'Plain', authorizationEndpoint: `${suite.sandbox.issuer}/auth`, tokenEndpoint: `${suite.sandbox.issuer}/token`, apiBase: `${suite.sandbox.issuer}/api`},
    }
    writeFileSync(file, JSON.stringify(config), {mode: 0o600})
    const imported = await runCli(['login', 'plain', '--with-token'], suite.user.env, 'some-opaque-token-123\n')
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(imported.stderr, /warning: the token could not be validated/)
    const result = await runCli(['introspect', 'plain'], suite.user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Plain has no token introspection endpoint/)
  })
})
