import assert from 'node:assert/strict'
import {createPrivateKey, generateKeyPairSync, sign} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {storedEntry} from './interactive.js'

/* RFC 7523 §2.1 JWT bearer grant: `login --jwt-bearer <file|->` with a ready assertion, and
 * `--jwt-bearer-sign` where oauthctl signs it with the client key (service accounts) and renews by signing
 * again. The sandbox trusts assertions signed with oauthctl-jwt's key. */

const keys = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-keys-'))
after(() => rmSync(keys, {recursive: true, force: true}))
const PEM = join(keys, 'oauthctl-jwt.pem')
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function assertionFor(claims: Record<string, unknown>, pem = readFileSync(PEM, 'utf8')): string {
  const input = `${b64({alg: 'ES256', typ: 'JWT'})}.${b64(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), {key: createPrivateKey(pem), dsaEncoding: 'ieee-p1363'}).toString('base64url')}`
}

describe('login --jwt-bearer', () => {
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '2', '--client-keys', keys])
  const client = () => ['--client-id', 'oauthctl-jwt', '--client-key', PEM]

  it('--jwt-bearer-sign: oauthctl signs iss/sub/aud/scope, stores the login for the subject, and renews by signing again', async () => {
    const login = await runCli(['login', 'sandbox', '--jwt-bearer-sign', ...client(), '--subject', 'alice', '--scope', 'api', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const record = JSON.parse(login.stdout)
    assert.equal(record.grant, 'jwt_bearer')
    assert.equal(record.subject, 'alice')
    assert.equal(record.assertionSigned, true)
    assert.deepEqual(record.scopes, ['api'])
    assert.match(suite.sandbox.stderr(), /JWT bearer: oauthctl-jwt got a token for alice \(assertion by oauthctl-jwt\)/)
    const me = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'alice')
    const first = storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const token = await runCli(['token'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.notEqual(token.stdout.trim(), first)
  })

  it('--jwt-bearer - with a ready assertion from stdin; it cannot be renewed: exit 4 asking for a new one', async () => {
    const now = Math.floor(Date.now() / 1000)
    const assertion = assertionFor({iss: 'oauthctl-jwt', sub: 'bob', aud: suite.sandbox.issuer, iat: now, exp: now + 60, scope: 'api'})
    const login = await runCli(['login', 'sandbox', '--jwt-bearer', '-', ...client(), '--profile', 'given'], suite.user.env, `${assertion}\n`)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Logged in to sandbox as bob, profile given/)
    assert.ok(!login.stderr.includes(assertion))
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const token = await runCli(['token', 'sandbox', '--profile', 'given'], suite.user.env)
    assert.equal(token.code, 4, token.stderr)
    assert.match(token.stderr, /^error: the sandbox token from a JWT assertion expired; oauthctl cannot make a new assertion/)
    assert.match(token.stderr, /--jwt-bearer <new assertion file \| ->/)
  })

  it('refusals: a foreign key, an expired assertion, a wrong audience are exit 5; a missing file exit 3', async () => {
    const now = Math.floor(Date.now() / 1000)
    const foreign = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({format: 'pem', type: 'pkcs8'}) as string
    for (const [assertion, pattern] of [
      [assertionFor({iss: 'oauthctl-jwt', sub: 'x', aud: suite.sandbox.issuer, iat: now, exp: now + 60}, foreign), /invalid_grant: the assertion does not verify/],
      [assertionFor({iss: 'oauthctl-jwt', sub: 'x', aud: suite.sandbox.issuer, iat: now - 600, exp: now - 300}), /invalid_grant: the assertion does not verify: .*exp/],
      [assertionFor({iss: 'oauthctl-jwt', sub: 'x', aud: 'https://elsewhere.example', iat: now, exp: now + 60}), /invalid_grant: the assertion does not verify: .*aud/],
      [assertionFor({iss: 'stranger', sub: 'x', aud: suite.sandbox.issuer, iat: now, exp: now + 60}), /invalid_grant: the assertion issuer is not trusted/],
    ] as const) {
      const result = await runCli(['login', 'sandbox', '--jwt-bearer', '-', ...client(), '--profile', 'bad'], suite.user.env, `${assertion}\n`)
      assert.equal(result.code, 5, result.stderr)
      assert.match(result.stderr, /refused the assertion \(RFC 7523 grant\): /)
      assert.match(result.stderr, pattern)
    }
    assert.equal(storedEntry(suite.user.configDir, 'sandbox:bad'), undefined)
    const missing = await runCli(['login', 'sandbox', '--jwt-bearer', join(keys, 'nope.jwt'), ...client(), '--profile', 'bad'], suite.user.env)
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(missing.stderr, /cannot read the assertion file .*nope\.jwt: ENOENT/)
  })

  it('--jwt-bearer-sign without a key is exit 3; with --device it is a usage error', async () => {
    const nokey = await runCli(['login', 'sandbox', '--jwt-bearer-sign', '--client-id', 'someone-else', '--profile', 'nokey'], suite.user.env)
    assert.equal(nokey.code, 3, nokey.stderr)
    assert.match(nokey.stderr, /--jwt-bearer-sign needs the private key of someone-else/)
    const both = await runCli(['login', 'sandbox', '--jwt-bearer-sign', '--device'], suite.user.env)
    assert.equal(both.code, 2, both.stderr)
  })
})
