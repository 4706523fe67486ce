import {readFile} from 'node:fs/promises'
import {ConfigError, UsageError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import type {TokenStore} from '../store/token-store.js'
import {clientSecretKey} from './client-secret.js'

/** `--cert`, `--key` and `--cacert` as given (paths). */
export interface ClientCertificateFiles {
  cert?: string
  key?: string
  ca?: string
}

/**
 * Reads the TLS client certificate of an mTLS login (RFC 8705): `--cert` (PEM certificate, optionally
 * followed by its chain), `--key` (its PEM private key) and `--cacert` (PEM CA certificates the server's
 * certificate must chain to, instead of the system's). Undefined when neither `--cert` nor `--key` is given.
 *
 * @throws UsageError (exit 2) when only one of `--cert` / `--key` is given, or `--cacert` alone
 * @throws ConfigError (exit 3) naming the file that cannot be read or holds no certificate / key, or when
 *   the key is not the certificate's
 */
export async function readClientCertificateFiles(files: ClientCertificateFiles): Promise<ClientCertificate | undefined> {
  if (files.cert === undefined && files.key === undefined) {
    if (files.ca !== undefined) throw new UsageError('--cacert goes with --cert and --key (the TLS client certificate of an mTLS login)')
    return undefined
  }
  if (files.cert === undefined || files.key === undefined) {
    throw new UsageError(`--cert and --key go together: give ${files.cert === undefined ? '--cert <certificate PEM file>' : '--key <private key PEM file>'} too`)
  }
  const [cert, key, ca] = await Promise.all([
    readPemFile(files.cert, '--cert'),
    readPemFile(files.key, '--key'),
    files.ca === undefined ? undefined : readPemFile(files.ca, '--cacert'),
  ])
  registerSecret(key)
  return checkClientCertificate({cert, key, ...(ca === undefined ? {} : {ca})}, files)
}

/**
 * Checks that the PEM texts are a certificate, a private key and that the key is the certificate's.
 * @throws ConfigError (exit 3) naming the files
 */
export async function checkClientCertificate(given: ClientCertificate, names: ClientCertificateFiles = {}): Promise<ClientCertificate> {
  const {X509Certificate, createPrivateKey} = await import('node:crypto')
  let certificate: InstanceType<typeof X509Certificate>
  try {
    certificate = new X509Certificate(given.cert)
  } catch {
    throw new ConfigError(`the certificate file ${names.cert ?? ''} holds no PEM certificate`.replace('  ', ' '), {
      hint: 'Give --cert a PEM file that starts with -----BEGIN CERTIFICATE-----.',
    })
  }
  let key: ReturnType<typeof createPrivateKey>
  try {
    key = createPrivateKey(given.key)
  } catch {
    throw new ConfigError(`the key file ${names.key ?? ''} holds no PEM private key`.replace('  ', ' '), {
      hint: 'Give --key the unencrypted PEM private key of the certificate (BEGIN PRIVATE KEY, RSA or EC PRIVATE KEY).',
    })
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new ConfigError(`the private key ${names.key ?? ''} does not belong to the certificate ${names.cert ?? ''}`.replace(/ {2,}/g, ' '), {
      hint: `The certificate is for "${certificate.subject.replace(/\n/g, ', ')}"; pass the key it was issued for.`,
    })
  }
  if (given.ca !== undefined) {
    try {
      new X509Certificate(given.ca)
    } catch {
      throw new ConfigError(`the CA file ${names.ca ?? ''} holds no PEM certificate`.replace('  ', ' '), {hint: 'Give --cacert the PEM certificate of the CA that signed the server certificate.'})
    }
  }
  return given
}

async function readPemFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read the ${flag} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: `Pass ${flag} with a readable PEM file.`,
    })
  }
}

/** The certificate kept for `clientId` at `provider` by an earlier mTLS login (beside its secret or key). */
export async function readStoredClientCertificate(store: TokenStore, provider: string, clientId: string): Promise<ClientCertificate | undefined> {
  const entry = await store.get(clientSecretKey(provider, clientId))
  registerSecret(entry?.clientCert?.key)
  return entry?.clientCert
}

/** Keeps a client's certificate and key in the credential store for later logins of that client id. */
export async function rememberClientCertificate(store: TokenStore, provider: string, clientId: string, clientCert: ClientCertificate): Promise<string> {
  const previous = await store.get(clientSecretKey(provider, clientId))
  await store.set(clientSecretKey(provider, clientId), {...previous, accessToken: previous?.accessToken ?? '', clientCert})
  return `TLS client certificate of ${clientId} kept in ${store.location} for later logins (the certificate and key files are no longer needed).`
}
