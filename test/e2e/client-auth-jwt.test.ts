import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCli, sandboxStats, sandboxSuite} from './harness.js'
import {storedEntry} from './interactive.js'

/* private_key_jwt and client_secret_jwt (RFC 7523 §2.2) against the sandbox's two JWT clients, for every
 * grant that authenticates the client: client credentials (and its renewal), code exchange, refresh,
 * introspection and revocation. */

const keys = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-keys-'))
after(() => rmSync(keys, {recursive: true, force: true}))
const PEM = join(keys, 'oauthctl-jwt.pem')
const JWK = join(keys, 'oauthctl-jwt.jwk.json')
const SECRET_JWT = ['--client-id', 'oauthctl-secret-jwt', '--client-auth', 'client-secret-jwt']
const JWT_SECRET = 'sandbox-jwt-secret-0123456789abcdefghijklmnop'

function keyEntry(configDir: string, key: string): {clientKey?: string; clientSecret?: string} | undefined {
  return storedEntry(configDir, key) as {clientKey?: string; clientSecret?: string} | undefined
}

describe('private_key_jwt client authentication', () => {
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2', '--client-keys', keys])

  it('the sandbox writes the private key of oauthctl-jwt as PEM and JWK, 0600', () => {
    assert.equal(statSync(PEM).mode & 0o777, 0o600)
    assert.equal(statSync(JWK).mode & 0o777, 0o600)
    assert.match(suite.sandbox.stderr(), new RegExp(`private_key_jwt client oauthctl-jwt: key written to ${PEM.replace(/[.]/g, '\\.')}`))
  })

  it('login --client-credentials --client-key: the key goes to the credential store, never to config.json or stderr', async () => {
    const result = await runCli(['login', 'sandbox', '--client-credentials', '--client-id', 'oauthctl-jwt', '--client-key', PEM, '--scope', 'api', '--json'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const record = JSON.parse(result.stdout)
    assert.equal(record.grant, 'client_credentials')
    assert.equal(record.clientAuth, 'private_key_jwt')
    assert.equal(record.clientId, 'oauthctl-jwt')
    const d = JSON.parse(readFileSync(JWK, 'utf8')).d as string
    const stored = keyEntry(suite.user.configDir, 'client:sandbox:oauthctl-jwt')?.clientKey
    assert.equal(JSON.parse(stored ?? '{}').d, d)
    assert.equal(JSON.parse(keyEntry(suite.user.configDir, 'sandbox:default')?.clientKey ?? '{}').d, d)
    assert.ok(!readFileSync(join(suite.user.configDir, 'config.json'), 'utf8').includes(d))
    assert.ok(!result.stderr.includes(d) && !result.stdout.includes(d))
    assert.match(result.stderr, /Private key of oauthctl-jwt kept in .* for later logins/)
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'oauthctl-jwt')
  })

  it('the expired token is renewed with a new assertion, without the key file', async () => {
    const first = storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken
    const grants = (await sandboxStats(suite.sandbox.issuer)).grants.client_credentials ?? 0
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const token = await runCli(['token'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.notEqual(token.stdout.trim(), first)
    assert.ok((await sandboxStats(suite.sandbox.issuer)).grants.client_credentials >= grants + 1)
  })

  it('a later login finds the key in the credential store', async () => {
    const result = await runCli(['login', 'sandbox', '--client-credentials', '--client-id', 'oauthctl-jwt', '--client-auth', 'private-key-jwt', '--scope', 'api', '--profile', 'again'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.ok(keyEntry(suite.user.configDir, 'sandbox:again')?.clientKey)
  })

  it('a key the server does not know is refused: exit 5 with invalid_client, nothing stored', async () => {
    const wrong = join(keys, 'wrong.pem')
    writeFileSync(wrong, generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({format: 'pem', type: 'pkcs8'}), {mode: 0o600})
    const result = await runCli(['login', 'sandbox', '--client-credentials', '--client-id', 'oauthctl-jwt', '--client-key', wrong, '--scope', 'api', '--profile', 'wrong'], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /refused the client credentials grant: invalid_client/)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:wrong'), undefined)
  })

  it('a missing or unusable key file is exit 3 naming the file, before anything happens', async () => {
    const missing = join(keys, 'nope.pem')
    const garbage = join(keys, 'garbage.pem')
    writeFileSync(garbage, 'not a key')
    for (const [file, pattern] of [
      [missing, /cannot read the client key file .*nope\.pem: ENOENT/],
      [garbage, /the client key file .*garbage\.pem holds no private key/],
    ] as const) {
      for (const mode of [['--client-credentials'], []]) {
        const result = await runCli(['login', 'sandbox', ...mode, '--client-id', 'oauthctl-jwt', '--client-key', file, '--profile', 'bad', '--no-browser'], suite.user.env)
        assert.equal(result.code, 3, result.stderr)
        assert.match(result.stderr, pattern)
        assert.doesNotMatch(result.stderr, /Open this URL/)
      }
    }
  })

  it('private-key-jwt with no key given or stored is exit 3', async () => {
    const result = await runCli(['login', 'sandbox', '--client-credentials', '--client-id', 'other-client', '--client-auth', 'private-key-jwt', '--profile', 'nokey'], suite.user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /no private key for other-client at oauthctl sandbox \(private_key_jwt\)/)
  })

  it('providers add --client-key keeps the key in the store and sets private_key_jwt', async () => {
    const user = {...suite.user.env, OAUTHCTL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'oauthctl-e2e-'))}
    try {
      const add = await runCli(['providers', 'add', 'sandbox', '--client-id', 'oauthctl-jwt', '--client-key', PEM], user)
      assert.equal(add.code, 0, add.stderr)
      const config = JSON.parse(readFileSync(join(user.OAUTHCTL_CONFIG_DIR, 'config.json'), 'utf8'))
      assert.deepEqual(config.providers.sandbox, {clientId: 'oauthctl-jwt', clientAuth: 'private_key_jwt'})
      assert.ok(keyEntry(user.OAUTHCTL_CONFIG_DIR, 'client:sandbox:oauthctl-jwt')?.clientKey)
      const login = await runCli(['login', 'sandbox', '--scope', 'openid'], user)
      assert.equal(login.code, 0, login.stderr)
      const missing = await runCli(['providers', 'add', 'sandbox', '--client-id', 'oauthctl-jwt', '--client-key', join(keys, 'nope.pem')], user)
      assert.equal(missing.code, 3, missing.stderr)
      assert.match(missing.stderr, /nope\.pem/)
    } finally {
      rmSync(user.OAUTHCTL_CONFIG_DIR, {recursive: true, force: true})
    }
  })
})

describe('private_key_jwt for a person: code exchange, refresh, introspection, revocation', () => {
  const own = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-keys-'))
  after(() => rmSync(own, {recursive: true, force: true}))
  // Default token lifetime: under load, refresh then introspect must not outlive a 2 s token.
  const suite = sandboxSuite(['--auto-approve', '--client-keys', own])

  it('a browser login with the JWK file: code exchange, refresh, introspection and revocation all sign assertions', async () => {
    const env = suite.user.env
    const login = await runCli(['login', 'sandbox', '--client-id', 'oauthctl-jwt', '--client-key', join(own, 'oauthctl-jwt.jwk.json'), '--profile', 'user', '--scope', 'openid,offline_access', '--json'], env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(JSON.parse(login.stdout).clientAuth, 'private_key_jwt')
    assert.equal(JSON.parse(login.stdout).subject, 'demo')
    const before = await sandboxStats(suite.sandbox.issuer)
    const refresh = await runCli(['refresh', '-p', 'sandbox', '--profile', 'user'], env)
    assert.equal(refresh.code, 0, refresh.stderr)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, before.refreshGrants + 1)
    const introspect = await runCli(['introspect', 'sandbox', '--profile', 'user'], env)
    assert.equal(introspect.code, 0, introspect.stderr)
    assert.equal(JSON.parse(introspect.stdout).client_id, 'oauthctl-jwt')
    assert.equal(JSON.parse(introspect.stdout).active, true)
    const logout = await runCli(['logout', 'sandbox', '--profile', 'user'], env)
    assert.equal(logout.code, 0, logout.stderr)
    assert.match(logout.stderr, /Revoked the refresh token and access token at oauthctl sandbox/)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).revocations, before.revocations + 2)
  })

})

describe('client_secret_jwt client authentication', () => {
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2'])

  it('client credentials with an HS256 assertion; renewal signs again with the stored secret', async () => {
    const login = await runCli(['login', 'sandbox', '--client-credentials', ...SECRET_JWT, '--client-secret', JWT_SECRET, '--scope', 'api', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(JSON.parse(login.stdout).clientAuth, 'client_secret_jwt')
    const first = storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'oauthctl-secret-jwt')
    assert.notEqual(storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken, first)
  })

  it('a browser login and refresh with client_secret_jwt', async () => {
    const login = await runCli(['login', 'sandbox', ...SECRET_JWT, '--client-secret', JWT_SECRET, '--profile', 'user', '--scope', 'openid,offline_access'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const refresh = await runCli(['refresh', '-p', 'sandbox', '--profile', 'user'], suite.user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
  })

  it('a wrong secret is exit 5 with invalid_client', async () => {
    const result = await runCli(['login', 'sandbox', '--client-credentials', ...SECRET_JWT, '--client-secret', 'wrong-secret-wrong-secret-wrong-secret', '--scope', 'api', '--profile', 'wrong'], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /invalid_client/)
  })
})

describe('providers add --register with a JWT client authentication (RFC 7591 + RFC 7523): register, login, get', () => {
  const own = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-keys-'))
  after(() => rmSync(own, {recursive: true, force: true}))
  const suite = sandboxSuite(['--auto-approve'])
  const keyFile = join(own, 'registered.pem')
  writeFileSync(keyFile, generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({format: 'pem', type: 'pkcs8'}), {mode: 0o600})

  it('--client-auth private-key-jwt --client-key: registers the public key, keeps the private one in the store; login and get sign assertions', async () => {
    const before = await sandboxStats(suite.sandbox.issuer)
    const add = await runCli(['providers', 'add', 'corp-pkjwt', '--issuer', suite.sandbox.issuer, '--api-base', `${suite.sandbox.issuer}/api`, '--register', '--client-auth', 'private-key-jwt', '--client-key', keyFile, '--json'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.match(add.stderr, /Registered oauthctl as client (\S+) \(confidential, private_key_jwt; its public key registered, the private key kept in the secret store\)/)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).registrations, before.registrations + 1)
    const entry = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8')).providers['corp-pkjwt']
    assert.equal(entry.clientAuth, 'private_key_jwt')
    const show = await runCli(['providers', 'show', 'corp-pkjwt'], suite.user.env)
    assert.equal(show.code, 0, show.stderr)
    assert.match(show.stdout, /^ {2}Client authentication: +a signed JWT assertion \(private_key_jwt, RFC 7523 §2\.2\): login --client-key$/m)
    assert.doesNotMatch(show.stdout, /form body/)
    const stored = JSON.parse(keyEntry(suite.user.configDir, `client:corp-pkjwt:${entry.clientId}`)?.clientKey ?? '{}')
    assert.match(stored.d ?? '', /^[\w-]{40,}$/)
    for (const text of [readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'), add.stdout, add.stderr]) assert.ok(!text.includes(stored.d))
    const login = await runCli(['login', 'corp-pkjwt', '--scope', 'openid,offline_access', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(JSON.parse(login.stdout).clientAuth, 'private_key_jwt')
    const refresh = await runCli(['refresh', 'corp-pkjwt'], suite.user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
    const me = await runCli(['get', '/v2/me', '-p', 'corp-pkjwt'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'demo')
  })

  it('--client-auth client-secret-jwt: the issued secret goes to the store; login and get sign HS256 assertions', async () => {
    const add = await runCli(['providers', 'add', 'corp-sjwt', '--issuer', suite.sandbox.issuer, '--api-base', `${suite.sandbox.issuer}/api`, '--register', '--client-auth', 'client-secret-jwt'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.match(add.stderr, /Registered oauthctl as client \S+ \(confidential, client_secret_jwt; secret kept in the secret store\)/)
    const entry = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8')).providers['corp-sjwt']
    assert.equal(entry.clientAuth, 'client_secret_jwt')
    const show = await runCli(['providers', 'show', 'corp-sjwt'], suite.user.env)
    assert.equal(show.code, 0, show.stderr)
    assert.match(show.stdout, /^ {2}Client authentication: +an HMAC-signed JWT assertion \(client_secret_jwt, RFC 7523 §2\.2; the secret signs it and is never sent\): login --client-secret$/m)
    assert.doesNotMatch(show.stdout, /form body/)
    const secret = keyEntry(suite.user.configDir, `client:corp-sjwt:${entry.clientId}`)?.clientSecret
    assert.match(secret ?? '', /^\S{20,}$/)
    assert.ok(!readFileSync(join(suite.user.configDir, 'config.json'), 'utf8').includes(secret as string))
    const login = await runCli(['login', 'corp-sjwt', '--scope', 'openid,offline_access', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(JSON.parse(login.stdout).clientAuth, 'client_secret_jwt')
    const me = await runCli(['get', '/v2/me', '-p', 'corp-sjwt'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'demo')
  })

  it('what --register cannot ask for is a usage error before anything is registered (exit 2)', async () => {
    const before = (await sandboxStats(suite.sandbox.issuer)).registrations
    const cases: [string[], RegExp][] = [
      [['--client-auth', 'private-key-jwt'], /needs --client-key <file>: its public key is what gets registered/],
      [['--client-auth', 'client-secret-jwt', '--client-key', keyFile], /--client-key is for private-key-jwt/],
      [['--client-auth', 'basic'], /--client-auth may only ask for private-key-jwt or client-secret-jwt/],
    ]
    for (const [flags, message] of cases) {
      const result = await runCli(['providers', 'add', 'corp-bad', '--issuer', suite.sandbox.issuer, '--register', ...flags], suite.user.env)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
    }
    assert.equal((await sandboxStats(suite.sandbox.issuer)).registrations, before)
  })
})
