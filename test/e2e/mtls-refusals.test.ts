import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {createSandboxCertificates, type SandboxCertificates} from '../../src/sandbox/mtls-certs.js'
import {makeUserEnv, runCli, startSandboxProcess, type SandboxProcess, type UserEnv} from './harness.js'

/* mTLS (RFC 8705) refusals that need no mTLS sandbox: a server whose metadata says no, and a sandbox that
 * cannot make its certificates. */

let made: SandboxCertificates
before(async () => {
  made = await createSandboxCertificates()
})
after(() => rmSync(made.dir, {recursive: true, force: true}))
const tlsArgs = () => ['--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth', '--cert', made.clientCert, '--key', made.clientKey, '--cacert', made.caCert]

describe('a server without mTLS', () => {
  let plain: SandboxProcess
  let user: UserEnv
  before(async () => {
    plain = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(plain.issuer)
    const added = await runCli(['providers', 'add', 'plain', '--issuer', plain.issuer], user.env)
    assert.equal(added.code, 0, added.stderr)
  })
  after(async () => {
    await plain?.stop()
    user?.cleanup()
  })

  it('login --client-auth tls-client-auth at a server whose metadata does not list it: exit 3 before any browser', async () => {
    const result = await runCli(['login', 'plain', ...tlsArgs()], user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /does not offer tls_client_auth client authentication/)
    assert.doesNotMatch(result.stderr, /Open this URL/)
  })

  it('a certificate for a server that does no mTLS at all: exit 3', async () => {
    const result = await runCli(['login', 'plain', '--client-id', 'oauthctl', '--cert', made.clientCert, '--key', made.clientKey], user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /does not do mutual TLS/)
  })
})
describe('oauthctl sandbox --mtls without openssl', () => {
  it('says openssl is needed (exit 3) and starts nothing', async () => {
    const user = makeUserEnv('http://127.0.0.1:9')
    try {
      const result = await runCli(['sandbox', '--port', '0', '--mtls'], {...user.env, PATH: user.configDir})
      assert.equal(result.code, 3, result.stderr)
      assert.match(result.stderr, /`oauthctl sandbox --mtls` needs the openssl command to make its certificates, and it is not installed/)
      assert.equal(result.stdout, '')
    } finally {
      user.cleanup()
    }
  })
})
