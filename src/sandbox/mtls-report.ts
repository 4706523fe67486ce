import type {MtlsSandbox} from './mtls.js'
import {MTLS_CLIENT_ID, MTLS_SELF_CLIENT_ID} from './mtls-ids.js'

/** The provider name the `--mtls` instructions use for the sandbox's HTTPS side. */
export const MTLS_PROVIDER_NAME = 'sandbox-mtls'

/**
 * What `oauthctl sandbox --mtls` tells people (stderr): where the HTTPS listener is, the files it made,
 * and the exact commands that define the provider (from discovery, with the demo API on the HTTPS
 * listener) and log in with the CA-signed or the self-signed client certificate.
 */
export function describeMtlsSandbox(issuer: string, mtls: Pick<MtlsSandbox, 'origin' | 'certificates'>): string[] {
  const files = mtls.certificates
  return [
    `mTLS (RFC 8705) listener at ${mtls.origin} (endpoint aliases and the demo API; it asks for a client certificate)`,
    `  CA certificate:              ${files.caCert}`,
    `  client certificate and key:  ${files.clientCert} ${files.clientKey} (${MTLS_CLIENT_ID}, tls_client_auth)`,
    `  self-signed certificate/key: ${files.selfCert} ${files.selfKey} (${MTLS_SELF_CLIENT_ID}, self_signed_tls_client_auth)`,
    'Use them with:',
    `  oauthctl providers add ${MTLS_PROVIDER_NAME} --issuer ${issuer} --api-base ${mtls.origin}/api`,
    `  oauthctl login ${MTLS_PROVIDER_NAME} --client-id ${MTLS_CLIENT_ID} --client-auth tls-client-auth --cert ${files.clientCert} --key ${files.clientKey} --cacert ${files.caCert}`,
  ]
}
