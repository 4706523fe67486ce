import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {storedKeys} from './interactive.js'

const CONFIDENTIAL = ['--client-id', 'oauthctl-confidential', '--client-secret', 'sandbox-confidential-secret', '--client-auth', 'basic']

/** Registers (RFC 7591) a public loopback client whose request objects are signed with `publicJwk`. */
async function registerJarClient(issuer: string, publicJwk: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${issuer}/reg`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      jwks: {keys: [publicJwk]},
      request_object_signing_alg: 'ES256',
    }),
  })
  assert.equal(response.status, 201, await response.clone().text())
  return ((await response.json()) as {client_id: string}).client_id
}

describe('signed request objects (RFC 9101 JAR)', () => {
  const suite = sandboxSuite()
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-jar-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  // First: the logins below save their client id, secret and client authentication for the sandbox.
  it('what is missing is explained (exit 3) before any browser opens', async () => {
    const notPem = join(dir, 'not-a-key.pem')
    writeFileSync(notPem, 'hello\n')
    const cases: [string[], RegExp][] = [
      [['--jar'], /^error: a signed request object \(--jar\) for oauthctl sandbox needs a signing key, and this client has neither a secret nor a key\n/],
      [['--jar', '--client-secret', 'x'], /and this client has a secret but authenticates as a public client \(client auth "none"\)\nAdd --client-auth basic/],
      [['--jar-key', join(dir, 'missing.pem')], /^error: cannot use the --jar-key .*missing\.pem: no such file\n/],
      [['--jar-key', notPem], /^error: cannot use the --jar-key .*not-a-key\.pem: not a PEM private key\n/],
    ]
    for (const [flags, message] of cases) {
      const result = await runCli(['login', 'sandbox', '--profile', 'missing', ...flags], suite.user.env)
      assert.equal(result.code, 3, `${flags.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
      assert.doesNotMatch(result.stderr, /Open this URL|Opening your browser/)
    }
    assert.ok(!storedKeys(suite.user.configDir).includes('sandbox:missing'))
  })

  it('a confidential client signs with its secret (HS256): the URL carries only client_id and request', async () => {
    const login = await runCli(['login', 'sandbox', '--jar', ...CONFIDENTIAL, '--scope', 'openid'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /\/auth\?client_id=oauthctl-confidential&request=eyJ[\w-]+\.[\w-]+\.[\w-]+\n/)
    assert.doesNotMatch(login.stderr, /sandbox-confidential-secret/)
    assert.match(login.stderr, /Logged in to sandbox as demo, profile default\./)
  })

  it('PAR and JAR together: the request object is pushed', async () => {
    const login = await runCli(['login', 'sandbox', '--profile', 'both', '--par', '--jar', ...CONFIDENTIAL], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /\/auth\?request_uri=urn%3A[^&\s]+&client_id=oauthctl-confidential\n/)
  })

  it('--jar-key signs with a private key registered for the client', async () => {
    const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
    const keyFile = join(dir, 'jar.pem')
    writeFileSync(keyFile, privateKey.export({type: 'sec1', format: 'pem'}), {mode: 0o600})
    const clientId = await registerJarClient(suite.sandbox.issuer, publicKey.export({format: 'jwk'}))
    const login = await runCli(['login', 'sandbox', '--profile', 'keyed', '--client-id', clientId, '--jar-key', keyFile, '--par'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.ok(storedKeys(suite.user.configDir).includes('sandbox:keyed'))

    // Another key than the registered one: the server refuses the pushed request (exit 5), nothing stored.
    const other = join(dir, 'other.pem')
    writeFileSync(other, generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}))
    const wrong = await runCli(['login', 'sandbox', '--profile', 'wrong-key', '--client-id', clientId, '--jar-key', other, '--par'], suite.user.env)
    assert.equal(wrong.code, 5, wrong.stderr)
    assert.match(wrong.stderr, /invalid_request_object/)
    assert.ok(!storedKeys(suite.user.configDir).includes('sandbox:wrong-key'))
  })
})
