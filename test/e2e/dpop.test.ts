import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {createDPoPKey} from '../../src/oauth/dpop-key.js'
import {buildDPoPProof, type DPoPKey} from '../../src/http/dpop-proof.js'
import {cliPath, makeUserEnv, root, runCli, sandboxStats, sandboxSuite, startSandboxProcess, type SandboxProcess, type UserEnv} from './harness.js'

interface Stored {
  accessToken: string
  refreshToken?: string
  tokenType?: string
  dpopKey?: DPoPKey
}

function tokenFiles(configDir: string): string[] {
  const dir = join(configDir, 'tokens')
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : []
}

function storedSecrets(configDir: string): Stored {
  const [file] = tokenFiles(configDir)
  return JSON.parse(readFileSync(join(configDir, 'tokens', file as string), 'utf8')).secrets
}

const DPOP_LOGIN = ['login', 'sandbox', '--dpop', '--client-id', 'oauthctl-dpop']

describe('DPoP (RFC 9449) end to end against the sandbox (file store)', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('login --dpop with the DPoP-only client: a DPoP-bound token, its key in the token file only', async () => {
    const login = await runCli(DPOP_LOGIN, suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(login.stdout, '')
    assert.match(login.stderr, /Logged in to sandbox as Demo User \(demo\), profile default\./)
    const secrets = storedSecrets(suite.user.configDir)
    assert.equal(secrets.tokenType, 'DPoP')
    assert.equal(secrets.dpopKey?.alg, 'ES256')
    assert.equal(typeof secrets.dpopKey?.privateJwk.d, 'string')
    const config = readFileSync(join(suite.user.configDir, 'config.json'), 'utf8')
    assert.ok(!config.includes(secrets.dpopKey?.privateJwk.d as string), 'the private key is not in config.json')
    assert.ok(!config.includes(secrets.dpopKey?.publicJwk.x as string), 'no part of the key is in config.json')
    assert.ok(!login.stderr.includes(secrets.dpopKey?.privateJwk.d as string))
  })

  it('status and status --json show the token type', async () => {
    const json = await runCli(['status', '--json'], suite.user.env)
    assert.equal(json.code, 0, json.stderr)
    assert.equal(JSON.parse(json.stdout)[0].tokenType, 'DPoP')
    const human = await runCli(['status'], suite.user.env)
    assert.match(human.stdout, /^ {4}token: expires in \d+m \([^)]+\), refreshable, DPoP-bound; store: file$/m)
    // --check tries the token at userinfo with a proof (and the nonce retry), as an API call would.
    const check = await runCli(['status', '--check', '--json'], suite.user.env)
    assert.equal(check.code, 0, check.stderr)
    assert.deepEqual(JSON.parse(check.stdout)[0].check, {ok: true, method: 'userinfo', detail: `accepted by ${suite.sandbox.issuer}/me`})
  })

  it('get works (fast path): Authorization DPoP with a proof, one retry with the API nonce', async () => {
    const get = await runCli(['get', '/v2/me', '--debug'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
    assert.match(get.stderr, /-> HTTP 401 Unauthorized\n.*answered use_dpop_nonce; retrying once with the nonce it gave\n.*GET .*\/api\/v2\/me \(with token\)\n.*-> HTTP 200 OK/)
    const secrets = storedSecrets(suite.user.configDir)
    assert.ok(!get.stderr.includes(secrets.accessToken), '--debug never shows the token')
  })

  it('the next process starts with the nonce the last one got (dpop-nonces.json): no use_dpop_nonce round trip', async () => {
    const file = join(suite.user.configDir, 'dpop-nonces.json')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const kept = readFileSync(file, 'utf8')
    const secrets = storedSecrets(suite.user.configDir)
    assert.ok(!kept.includes(secrets.accessToken) && !kept.includes(secrets.dpopKey?.privateJwk.d as string), 'only nonces in the file')
    assert.deepEqual(Object.keys(JSON.parse(kept).nonces), [new URL(suite.sandbox.issuer).origin])
    const get = await runCli(['get', '/v2/me', '--debug'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
    assert.equal(get.stderr.match(/\(with token\)/g)?.length, 1, get.stderr)
    assert.doesNotMatch(get.stderr, /use_dpop_nonce/)
  })

  it('a kept nonce the API no longer takes (or a mangled file) costs one retry, as no nonce would', async () => {
    const file = join(suite.user.configDir, 'dpop-nonces.json')
    const origin = new URL(suite.sandbox.issuer).origin
    for (const content of [JSON.stringify({version: 1, nonces: {[origin]: {nonce: 'stale-nonce', at: Date.now()}}}), '{"version":1,"nonces":{"__proto__":{"nonce":"x","at":1}}', 'not json']) {
      writeFileSync(file, content, {mode: 0o600})
      const get = await runCli(['get', '/v2/me', '--debug'], suite.user.env)
      assert.equal(get.code, 0, get.stderr)
      assert.equal(JSON.parse(get.stdout).id, 'demo')
      assert.match(get.stderr, /answered use_dpop_nonce; retrying once/)
      assert.notEqual(JSON.parse(readFileSync(file, 'utf8')).nonces[origin].nonce, 'stale-nonce')
    }
  })

  it('the fast path signs with node:crypto alone: get loads no oclif, openid-client, oauth4webapi or jose', () => {
    const file = join(suite.user.configDir, 'dpop-imports')
    const result = spawnSync(process.execPath, ['--import', join(root, 'test', 'e2e', 'fixtures', 'record-imports.mjs'), cliPath, 'get', '/v2/me'], {
      env: {...suite.user.env, RECORD_IMPORTS_FILE: file},
      encoding: 'utf8',
    })
    assert.equal(result.status, 0, result.stderr)
    const imports = readFileSync(file, 'utf8').split('\n').filter(Boolean)
    assert.ok(imports.some((url) => url.includes('/dist/cli/fast-path.bundle.cjs')), 'the recorder saw the fast path')
    for (const heavy of ['@oclif/core', 'openid-client', 'oauth4webapi', '/jose/', 'oidc-provider', '/dist/sandbox/']) {
      assert.deepEqual(imports.filter((url) => url.includes(heavy)), [], `${heavy} must not be loaded`)
    }
  })

  it('pagination signs every page: get --paginate follows Link next with a proof for each URL', async () => {
    const get = await runCli(['get', '/items', '--paginate'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.match(get.stdout, /"Item 1"/)
    assert.match(get.stdout, /"Item 15"/)
  })

  it('the token sent as Bearer is refused by the demo API', async () => {
    const {accessToken} = storedSecrets(suite.user.configDir)
    const response = await fetch(`${suite.sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${accessToken}`}})
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), {error: 'invalid_token', error_description: 'sender-constrained tokens are not accepted as Bearer'})
  })

  it('a stolen token with a proof by another key is refused', async () => {
    const {accessToken} = storedSecrets(suite.user.configDir)
    const thief = await createDPoPKey()
    const url = `${suite.sandbox.issuer}/api/v2/me`
    const proof = buildDPoPProof({key: thief, method: 'GET', url, accessToken, now: Date.now()})
    const response = await fetch(url, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}})
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), {error: 'invalid_token', error_description: 'the access token is bound to another key'})
    assert.match(response.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_token"/)
  })

  it('a proof replayed with the stolen key pair is refused (jti seen before)', async () => {
    const {accessToken, dpopKey} = storedSecrets(suite.user.configDir)
    const url = `${suite.sandbox.issuer}/api/v2/me`
    const first = await fetch(url, {headers: {authorization: `DPoP ${accessToken}`, dpop: buildDPoPProof({key: dpopKey as DPoPKey, method: 'GET', url, accessToken, now: Date.now()})}})
    assert.equal(first.status, 401)
    const nonce = first.headers.get('dpop-nonce') as string
    const proof = buildDPoPProof({key: dpopKey as DPoPKey, method: 'GET', url, accessToken, nonce, now: Date.now()})
    assert.equal((await fetch(url, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}})).status, 200)
    const replay = await fetch(url, {headers: {authorization: `DPoP ${accessToken}`, dpop: proof}})
    assert.equal(replay.status, 401)
    assert.equal(((await replay.json()) as {error_description: string}).error_description, 'this proof was used before (jti replay)')
  })

  it('refresh keeps the binding: a new token, the same key, and get still works', async () => {
    const before = storedSecrets(suite.user.configDir)
    const refreshes = (await sandboxStats(suite.sandbox.issuer)).refreshGrants
    const refresh = await runCli(['refresh'], suite.user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
    const after = storedSecrets(suite.user.configDir)
    assert.notEqual(after.accessToken, before.accessToken)
    assert.notEqual(after.refreshToken, before.refreshToken)
    assert.deepEqual(after.dpopKey, before.dpopKey)
    assert.equal(after.tokenType, 'DPoP')
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, refreshes + 1)
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    // The old token is gone with the rotation; the new one is bound to the same key.
    const thiefUrl = `${suite.sandbox.issuer}/api/v2/me`
    const asBearer = await fetch(thiefUrl, {headers: {authorization: `Bearer ${after.accessToken}`}})
    assert.equal(asBearer.status, 401)
  })

  it('exec, kubectl-credential and token --header refuse to hand a DPoP-bound token to another program: exit 3', async () => {
    const exec = await runCli(['exec', '--', 'true'], suite.user.env)
    assert.equal(exec.code, 3, exec.stderr)
    assert.equal(exec.stdout, '')
    assert.match(exec.stderr, /the sandbox login \(profile default\) has a DPoP-bound token, which the command "true" cannot use: only oauthctl holds its key/)
    const kubectl = await runCli(['kubectl-credential', 'sandbox'], suite.user.env)
    assert.equal(kubectl.code, 3, kubectl.stderr)
    assert.equal(kubectl.stdout, '')
    assert.match(kubectl.stderr, /which kubectl cannot use/)
    const header = await runCli(['token', '--header'], suite.user.env)
    assert.equal(header.code, 3, header.stderr)
    assert.equal(header.stdout, '')
    assert.match(header.stderr, /which curl cannot use/)
    const plain = await runCli(['token'], suite.user.env)
    assert.equal(plain.code, 0, plain.stderr)
    assert.equal(plain.stdout, `${storedSecrets(suite.user.configDir).accessToken}\n`)
  })

  it('logout deletes the tokens and the key', async () => {
    const logout = await runCli(['logout'], suite.user.env)
    assert.equal(logout.code, 0, logout.stderr)
    assert.deepEqual(tokenFiles(suite.user.configDir), [])
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 4)
  })

  it('the DPoP-only client without --dpop: the server refuses, exit 5, nothing stored', async () => {
    const login = await runCli(['login', 'sandbox', '--client-id', 'oauthctl-dpop', '--profile', 'plain'], suite.user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /did not issue tokens: invalid_grant/)
    assert.deepEqual(tokenFiles(suite.user.configDir), [])
  })

  it('--dpop with --device or --with-token: exit 2 before anything is sent', async () => {
    const device = await runCli([...DPOP_LOGIN, '--device'], suite.user.env)
    assert.equal(device.code, 2, device.stderr)
    assert.match(device.stderr, /DPoP \(--dpop, or a provider with dpop: true\) works with the browser and --paste logins, not with --device/)
    const imported = await runCli([...DPOP_LOGIN, '--with-token'], suite.user.env, 'at-1\n')
    assert.equal(imported.code, 2, imported.stderr)
    assert.deepEqual(tokenFiles(suite.user.configDir), [])
  })

  it('the public client without --dpop still gets a Bearer token', async () => {
    const login = await runCli(['login', 'sandbox', '--client-id', 'oauthctl', '--profile', 'bearer'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const secrets = storedSecrets(suite.user.configDir)
    assert.equal(secrets.dpopKey, undefined)
    assert.equal(secrets.tokenType?.toLowerCase(), 'bearer')
    const json = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout)
    assert.equal(json.find((entry: {profile: string}) => entry.profile === 'bearer').tokenType, 'Bearer')
    assert.equal((await runCli(['get', '/v2/me', '--profile', 'bearer'], suite.user.env)).code, 0)
    assert.equal((await runCli(['logout', '--profile', 'bearer'], suite.user.env)).code, 0)
  })
})

describe('DPoP from a provider definition', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('providers add --dpop on a server whose metadata offers ES256: every login is DPoP-bound', async () => {
    const add = await runCli(['providers', 'add', 'dpop-sandbox', '--issuer', suite.sandbox.issuer, '--client-id', 'oauthctl-dpop', '--dpop'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    assert.equal(config.providers['dpop-sandbox'].dpop, true)
    const login = await runCli(['login', 'dpop-sandbox'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(storedSecrets(suite.user.configDir).tokenType, 'DPoP')
    const get = await runCli(['get', '/api/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
    assert.equal((await runCli(['logout'], suite.user.env)).code, 0)
  })

  it('a hand-edited "dpop" that is not a boolean is a configuration error (exit 3)', async () => {
    const env = makeUserEnv(suite.sandbox.issuer)
    try {
      const {writeFileSync, mkdirSync} = await import('node:fs')
      mkdirSync(env.configDir, {recursive: true})
      writeFileSync(join(env.configDir, 'config.json'), JSON.stringify({providers: {sandbox: {dpop: 'yes'}}}), {mode: 0o600})
      const login = await runCli(['login', 'sandbox'], env.env)
      assert.equal(login.code, 3, login.stderr)
      assert.match(login.stderr, /providers\.sandbox\.dpop/)
    } finally {
      env.cleanup()
    }
  })
})

// scripts/test.mjs runs the suite inside a private D-Bus session with an unlocked gnome-keyring.
const haveSecretService = process.env.OAUTHCTL_TEST_KEYRING_SESSION === '1' && Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
const skipKeyring = !haveSecretService && process.env.CI !== 'true' ? 'no Secret Service session (run through scripts/test.mjs with gnome-keyring installed)' : false

describe('DPoP with the OS keyring (gnome-keyring Secret Service)', {skip: skipKeyring}, () => {
  let sandbox: SandboxProcess
  let user: UserEnv

  before(async () => {
    assert.ok(haveSecretService, 'a Secret Service session is required under CI')
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer, {OAUTHCTL_STORE: 'keyring'})
  })
  after(async () => {
    await sandbox?.stop()
    user?.cleanup()
  })

  it('the key is kept in the keyring with the tokens: no token file, get and refresh work, logout removes it', async () => {
    const login = await runCli(DPOP_LOGIN, user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Tokens stored in OS keyring/)
    assert.deepEqual(tokenFiles(user.configDir), [])
    assert.equal((await runCli(['get', '/v2/me'], user.env)).code, 0)
    assert.equal((await runCli(['refresh'], user.env)).code, 0)
    const me = await runCli(['get', '/v2/me'], user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'demo')
    assert.equal((await runCli(['logout'], user.env)).code, 0)
    assert.equal((await runCli(['get', '/v2/me'], user.env)).code, 4)
  })
})
