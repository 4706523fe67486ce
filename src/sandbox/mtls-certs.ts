import {execFile} from 'node:child_process'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {ConfigError} from '../errors.js'

const run = promisify(execFile)

/** Subject DN of the CA-signed client certificate: what `oauthctl-mtls` is registered with (RFC 8705 §2.1.2). */
export const MTLS_CLIENT_SUBJECT = 'CN=oauthctl-mtls'
/** Subject of the self-signed client certificate of `oauthctl-mtls-self` (RFC 8705 §2.2). */
export const MTLS_SELF_SUBJECT = 'CN=oauthctl-mtls-self'

/** Paths (in a fresh 0700 directory) of the certificates and keys a `--mtls` sandbox makes at start. */
export interface SandboxCertificates {
  dir: string
  /** The local CA (PEM) that signed the server and client certificates: what the CLI must trust. */
  caCert: string
  serverCert: string
  serverKey: string
  /** CA-signed client certificate (subject {@link MTLS_CLIENT_SUBJECT}) and its key (0600). */
  clientCert: string
  clientKey: string
  /** Self-signed client certificate (subject {@link MTLS_SELF_SUBJECT}) and its key (0600). */
  selfCert: string
  selfKey: string
  /** A CA-signed certificate with another subject, that no client is registered with (for tests). */
  otherCert: string
  otherKey: string
}

/**
 * Makes, with the `openssl` command (argument arrays, no shell), a local CA, a server certificate for
 * 127.0.0.1 / ::1 / localhost and client certificates, all EC P-256, valid for two days, in a new 0700
 * temporary directory; private keys are written 0600.
 *
 * @throws ConfigError (exit 3) when openssl is not installed or fails
 */
export async function createSandboxCertificates(): Promise<SandboxCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'oauthctl-mtls-'))
  const path = (name: string) => join(dir, name)
  const openssl = async (args: string[]) => {
    try {
      await run('openssl', args, {cwd: dir, timeout: 30_000, env: {...process.env, OPENSSL_CONF: '/dev/null'}})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') {
        throw new ConfigError('`oauthctl sandbox --mtls` needs the openssl command to make its certificates, and it is not installed', {
          hint: 'Install openssl (Debian/Ubuntu: apt-get install openssl), or run the sandbox without --mtls.',
        })
      }
      throw new ConfigError(`openssl could not make the sandbox certificates: ${String((error as {stderr?: string}).stderr ?? (error as Error).message).trim()}`)
    }
  }
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  await openssl(['req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=oauthctl sandbox CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  const signed = async (name: string, subject: string, extensions: string) => {
    await openssl(['req', '-new', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject])
    await writeFile(path(`${name}.ext`), `${extensions}\n`)
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomSerial()}`,
      '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`])
  }
  await signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth')
  await signed('client', `/${MTLS_CLIENT_SUBJECT}`, 'extendedKeyUsage=clientAuth')
  await signed('other', '/CN=someone-else', 'extendedKeyUsage=clientAuth')
  await openssl(['req', '-x509', ...newKey, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', `/${MTLS_SELF_SUBJECT}`])
  const {chmod} = await import('node:fs/promises')
  for (const key of ['ca.key', 'server.key', 'client.key', 'self.key', 'other.key']) await chmod(path(key), 0o600)
  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    selfCert: path('self.pem'),
    selfKey: path('self.key'),
    otherCert: path('other.pem'),
    otherKey: path('other.key'),
  }
}

/** Reads one of the files above. */
export function readPem(file: string): Promise<string> {
  return readFile(file, 'utf8')
}

function randomSerial(): string {
  return Array.from({length: 16}, () => Math.floor(Math.random() * 16).toString(16)).join('').replace(/^0/, '1')
}
