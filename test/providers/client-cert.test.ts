import assert from 'node:assert/strict'
import {rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ConfigError, UsageError} from '../../src/errors.js'
import {readClientCertificateFiles} from '../../src/providers/client-cert.js'
import {redact} from '../../src/redact.js'
import {createSandboxCertificates, type SandboxCertificates} from '../../src/sandbox/mtls-certs.js'

describe('readClientCertificateFiles: --cert, --key and --cacert of an mTLS login', () => {
  let files: SandboxCertificates
  before(async () => {
    files = await createSandboxCertificates()
  })
  after(() => rmSync(dirname(files.caCert), {recursive: true, force: true}))

  it('reads a matching pair and the CA, and registers the key as a secret', async () => {
    const read = await readClientCertificateFiles({cert: files.clientCert, key: files.clientKey, ca: files.caCert})
    assert.match(read?.cert ?? '', /^-----BEGIN CERTIFICATE-----/)
    assert.match(read?.ca ?? '', /^-----BEGIN CERTIFICATE-----/)
    assert.equal(redact(`x ${read?.key} y`), 'x [redacted] y')
  })

  it('gives nothing when no flag is given', async () => {
    assert.equal(await readClientCertificateFiles({}), undefined)
  })

  it('--cert without --key, --key without --cert and --cacert alone are usage errors (exit 2)', async () => {
    await assert.rejects(readClientCertificateFiles({cert: files.clientCert}), (error) => error instanceof UsageError && /give --key/.test(error.message))
    await assert.rejects(readClientCertificateFiles({key: files.clientKey}), (error) => error instanceof UsageError && /give --cert/.test(error.message))
    await assert.rejects(readClientCertificateFiles({ca: files.caCert}), UsageError)
  })

  it('a key of another certificate, a certificate file that is a key, an unreadable file: exit 3 naming the file', async () => {
    await assert.rejects(readClientCertificateFiles({cert: files.clientCert, key: files.selfKey}), (error) => error instanceof ConfigError && error.message.includes(`the private key ${files.selfKey} does not belong to the certificate ${files.clientCert}`))
    await assert.rejects(readClientCertificateFiles({cert: files.clientKey, key: files.clientKey}), (error) => error instanceof ConfigError && /holds no PEM certificate/.test(error.message))
    await assert.rejects(readClientCertificateFiles({cert: files.clientCert, key: join(files.dir, 'missing.key')}), (error) => error instanceof ConfigError && /cannot read the --key file .*missing\.key: ENOENT/.test(error.message))
    const garbage = join(files.dir, 'garbage.pem')
    writeFileSync(garbage, 'not a certificate\n')
    await assert.rejects(readClientCertificateFiles({cert: files.clientCert, key: files.clientKey, ca: garbage}), (error) => error instanceof ConfigError && /the CA file .*garbage\.pem holds no PEM certificate/.test(error.message))
  })

  it('the sandbox writes its keys 0600 in a 0700 directory', async () => {
    const {statSync} = await import('node:fs')
    assert.equal(statSync(files.dir).mode & 0o777, 0o700)
    for (const key of [files.clientKey, files.selfKey, files.otherKey, files.serverKey]) assert.equal(statSync(key).mode & 0o777, 0o600)
  })
})
