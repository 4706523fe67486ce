/* The stored shape of a login's TLS client certificate, apart from the code that reads and checks key files,
 * so that reading a token record (every `oauthctl get`) loads no crypto. */

/**
 * A TLS client certificate and its private key (PEM), with the CA certificates (PEM) that the server's
 * certificate must chain to when they are not the system's: kept in the credential store beside the tokens
 * it binds (never in config.json), presented on every request to the provider's token endpoints and, for
 * certificate-bound tokens, to its API.
 * @see RFC 8705 §2 (client authentication), §3 (certificate-bound access tokens)
 */
export interface ClientCertificate {
  /** The certificate (chain), PEM. */
  cert: string
  /** Its private key, PEM. Secret. */
  key: string
  /** Extra trusted CA certificates (`--cacert`), PEM. */
  ca?: string
}

/** True when `value` has the shape of a stored {@link ClientCertificate}. */
export function isClientCertificate(value: unknown): value is ClientCertificate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  return typeof record.cert === 'string' && typeof record.key === 'string' && (record.ca === undefined || typeof record.ca === 'string')
}
