import {execFile} from 'node:child_process'
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
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
export async function createSandboxCertificates(filesDir?: string): Promise<SandboxCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'oauthctl-mtls-'))
  try {
    const made = await makeCertificates(dir)
    return filesDir ? await copyClientFiles(made, filesDir) : made
  } catch (error) {
    await rm(dir, {recursive: true, force: true})
    throw error
  }
}

/**
 * Copies what a client needs (the CA certificate, the client certificates and their keys; not the CA's or
 * the server's key) to `filesDir` (made 0700; keys 0600), for `oauthctl sandbox --mtls-dir DIR`, and
 * names those copies instead.
 */
async function copyClientFiles(made: SandboxCertificates, filesDir: string): Promise<SandboxCertificates> {
  await mkdir(filesDir, {recursive: true, mode: 0o700})
  const copy = async (from: string, secret: boolean) => {
    const to = join(filesDir, basename(from))
    await writeFile(to, await readFile(from), {mode: secret ? 0o600 : 0o644})
    await chmod(to, secret ? 0o600 : 0o644)
    return to
  }
  return {
    ...made,
    caCert: await copy(made.caCert, false),
    clientCert: await copy(made.clientCert, false),
    clientKey: await copy(made.clientKey, true),
    selfCert: await copy(made.selfCert, false),
    selfKey: await copy(made.selfKey, true),
    otherCert: await copy(made.otherCert, false),
    otherKey: await copy(made.otherKey, true),
  }
}

async function makeCertificates(dir: string): Promise<SandboxCertificates> {
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
