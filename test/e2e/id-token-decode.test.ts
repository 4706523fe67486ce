import assert from 'node:assert/strict'
import {generateKeyPairSync, sign} from 'node:crypto'
import {before, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {storedEntry} from './interactive.js'

/* OpenID Connect details: `token --id-token` and `oauthctl decode` (header and claims, never the
 * signature; verified only with --verify against the issuer's JWKS). */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An ES256 JWT signed by a key the sandbox does not know. */
function foreignJwt(claims: Record<string, unknown>): string {
  const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const input = `${b64({alg: 'ES256', typ: 'JWT', kid: 'foreign'})}.${b64(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), {key: privateKey, dsaEncoding: 'ieee-p1363'}).toString('base64url')}`
}

describe('token --id-token and decode', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let idToken = ''

  before(async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    idToken = (storedEntry(suite.user.configDir, 'sandbox:default') as {idToken?: string} | undefined)?.idToken as string
    assert.ok(idToken)
  })

  it('token --id-token prints the stored ID token and nothing else; --json adds idToken', async () => {
    const plain = await runCli(['token', '--id-token'], suite.user.env)
    assert.equal(plain.code, 0, plain.stderr)
    assert.equal(plain.stdout, `${idToken}\n`)
    assert.equal(plain.stderr, '')
    const json = await runCli(['token', 'sandbox', '--id-token', '--json'], suite.user.env)
    assert.equal(json.code, 0, json.stderr)
    assert.equal(JSON.parse(json.stdout).idToken, idToken)
    const header = await runCli(['token', '--id-token', '--header'], suite.user.env)
    assert.equal(header.code, 2, header.stderr)
  })

  it('decode --id-token shows header and claims, unverified, never the signature', async () => {
    const result = await runCli(['decode', '-p', 'sandbox', '--id-token'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    assert.deepEqual(Object.keys(document), ['header', 'claims', 'verified'])
    assert.equal(document.verified, false)
    assert.equal(document.header.alg, 'ES256')
    assert.equal(document.claims.sub, 'demo')
    assert.equal(document.claims.aud, 'oauthctl')
    assert.equal(document.claims.iss, suite.sandbox.issuer)
    assert.ok(!result.stdout.includes(idToken.split('.')[2]), 'the signature is not printed')
    assert.ok(!result.stdout.includes(idToken), 'the token is not printed')
  })

  it('--verify checks the signature against the sandbox JWKS (provider named, or found by iss)', async () => {
    for (const args of [['-p', 'sandbox'], []]) {
      const result = await runCli(['decode', '-', '--verify', ...args], suite.user.env, `${idToken}\n`)
      assert.equal(result.code, 0, result.stderr)
      const document = JSON.parse(result.stdout)
      assert.equal(document.verified, true)
      assert.equal(document.issuer, suite.sandbox.issuer)
      assert.equal(document.kid, JSON.parse(Buffer.from(idToken.split('.')[0], 'base64url').toString()).kid)
    }
    const stored = await runCli(['decode', '--id-token', '--verify', '--jq', '.verified'], suite.user.env)
    assert.equal(stored.code, 0, stored.stderr)
    assert.equal(stored.stdout, 'true\n')
  })

  it('--verify refuses a tampered token, a foreign signature and alg none: exit 5', async () => {
    const [header, claims, signature] = idToken.split('.')
    const changed = JSON.parse(Buffer.from(claims, 'base64url').toString())
    const tampered = `${header}.${b64({...changed, sub: 'admin'})}.${signature}`
    const foreign = foreignJwt({...changed})
    const none = `${b64({alg: 'none'})}.${b64(changed)}.`
    for (const token of [tampered, foreign, none]) {
      const result = await runCli(['decode', '-', '--verify', '-p', 'sandbox'], suite.user.env, `${token}\n`)
      assert.equal(result.code, 5, result.stderr)
      assert.match(result.stderr, /^error: the token does not verify against oauthctl sandbox's keys: /)
      assert.equal(result.stdout, '')
      // Without --verify the same token decodes, marked unverified.
      const plain = await runCli(['decode', '-'], suite.user.env, `${token}\n`)
      assert.equal(plain.code, 0, plain.stderr)
      assert.equal(JSON.parse(plain.stdout).verified, false)
    }
  })

  it('--verify of a token from an unknown issuer is exit 3', async () => {
    const result = await runCli(['decode', '-', '--verify'], suite.user.env, `${foreignJwt({iss: 'https://elsewhere.example', sub: 'x'})}\n`)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /no provider oauthctl knows has the issuer https:\/\/elsewhere\.example/)
  })

  it('garbage, an opaque stored access token and a JWE are exit 2', async () => {
    for (const [args, input, pattern] of [
      [['garbage'], undefined, /not a JWT: expected three base64url parts/],
      [['-'], 'a.b.c\n', /not a JWT/],
      [['-'], `${b64([1])}.${b64({})}.x\n`, /not a JWT/],
      [['-'], 'aaa.bbb.ccc.ddd.eee\n', /encrypted JWT \(JWE\)/],
      [['-p', 'sandbox'], undefined, /the access token of the sandbox login \(profile default\) is not a JWT/],
    ] as const) {
      const result = await runCli(['decode', ...args], suite.user.env, input)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, pattern)
      assert.equal(result.stdout, '')
    }
  })

  it('the access token of a login decodes with -p (here the OAUTHCTL_TOKEN one: sandbox tokens are opaque)', async () => {
    const jwt = foreignJwt({iss: suite.sandbox.issuer, sub: 'given', scope: 'api'})
    const result = await runCli(['decode', '-p', 'sandbox'], {...suite.user.env, OAUTHCTL_TOKEN: jwt})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout).claims, {iss: suite.sandbox.issuer, sub: 'given', scope: 'api'})
    const verify = await runCli(['decode', '-p', 'sandbox', '--verify'], {...suite.user.env, OAUTHCTL_TOKEN: jwt})
    assert.equal(verify.code, 5, verify.stderr)
  })

  it('a login without an ID token: token --id-token and decode --id-token are exit 4 naming the login', async () => {
    assert.equal((await runCli(['login', 'sandbox', '--scope', 'api', '--profile', 'plain'], suite.user.env)).code, 0)
    for (const args of [['token', 'sandbox', '--profile', 'plain', '--id-token'], ['decode', '-p', 'sandbox', '--profile', 'plain', '--id-token']]) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 4, result.stderr)
      assert.match(result.stderr, /the sandbox login \(profile plain\) has no ID token/)
      assert.match(result.stderr, /oauthctl login sandbox --profile plain --scope openid/)
    }
    const override = await runCli(['token', '--id-token'], {...suite.user.env, OAUTHCTL_TOKEN: 'given-token'})
    assert.equal(override.code, 2, override.stderr)
  })
})
