import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createSecureContext, type SecureContext} from 'node:tls'

/**
 * A certificate authority made at test time with the openssl CLI, trusted only by the child processes
 * that get its file as NODE_EXTRA_CA_CERTS. It issues one leaf certificate per provider host name, so the
 * CLI verifies `www.linkedin.com` exactly as it would at LinkedIn, TLS checks included.
 */
export interface TestCa {
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string
  /** A TLS server context with a leaf certificate for `host`, made on first use. */
  contextFor(host: string): SecureContext
  cleanup(): void
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, {stdio: 'ignore'})
}

export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-twin-ca-'))
  const caKey = join(dir, 'ca.key')
  const caFile = join(dir, 'ca.pem')
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=oauthctl twin test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', caKey, '-out', caFile])
  const contexts = new Map<string, SecureContext>()
  return {
    caFile,
    contextFor(host) {
      let context = contexts.get(host)
      if (context) return context
      const base = join(dir, host.replace(/[^\w.-]/g, '_'))
      writeFileSync(`${base}.ext`, `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`)
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${host}`,
        '-keyout', `${base}.key`, '-out', `${base}.csr`])
      openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '2',
        '-extfile', `${base}.ext`, '-out', `${base}.pem`])
      context = createSecureContext({key: readFileSync(`${base}.key`), cert: readFileSync(`${base}.pem`)})
      contexts.set(host, context)
      return context
    },
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}
