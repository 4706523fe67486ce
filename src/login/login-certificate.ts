import {ConfigError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {isTlsClientAuth} from '../providers/preset.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import type {TokenStore} from '../store/token-store.js'

/**
 * The TLS client certificate of a login (RFC 8705): the one given with `--cert`/`--key` (read and checked by
 * `login` before anything else), else the one an earlier login of this client id kept in the credential
 * store. With a certificate, the server's metadata must allow mutual TLS (exit 3 before any browser); an
 * mTLS authentication method without any certificate is exit 3 too.
 *
 * @throws ConfigError (exit 3)
 */
export async function resolveLoginCertificate(
  store: TokenStore,
  preset: ProviderPreset,
  clientId: string,
  given: ClientCertificate | undefined,
): Promise<ClientCertificate | undefined> {
  const {readStoredClientCertificate} = await import('../providers/client-cert.js')
  const clientCert = given ?? (await readStoredClientCertificate(store, preset.name, clientId))
  if (!clientCert) {
    if (isTlsClientAuth(preset.clientAuth)) {
      throw new ConfigError(`${preset.clientAuth} needs the TLS client certificate of ${clientId}`, {
        hint: 'Pass --cert <certificate PEM file> and --key <private key PEM file> (kept in the credential store for later logins).',
      })
    }
    return undefined
  }
  const {checkMtlsOffered} = await import('../providers/mtls-metadata.js')
  checkMtlsOffered(preset)
  return clientCert
}

/** The login-record fields of a login made with a certificate: its tokens are treated as certificate-bound. */
export function certificateRecordOf(clientCert: ClientCertificate | undefined): {certificateBound?: true} {
  return clientCert ? {certificateBound: true} : {}
}
