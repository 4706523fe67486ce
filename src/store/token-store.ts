import {isDPoPKey, type DPoPKey} from './dpop-key-record.js'
import {isClientCertificate, type ClientCertificate} from './client-cert-record.js'

/**
 * The secrets of one login (one provider + profile). Everything else about a login (subject, scopes,
 * expiry, which store) is non-secret metadata kept in the config file.
 *
 * The whole record is written as one value so that a crash can never leave an access token from one
 * refresh next to a refresh token from another.
 */
export interface TokenSecrets {
  accessToken: string
  refreshToken?: string
  idToken?: string
  /** Epoch milliseconds; absent when the provider did not say (`expires_in` missing). */
  expiresAt?: number
  /** Epoch milliseconds when the token was issued (with `expiresAt`: its lifetime, for the refresh-ahead window). */
  obtainedAt?: number
  tokenType?: string
  /** Client secret given on the command line or obtained by dynamic registration (OAuth 1.0a: the consumer secret). */
  clientSecret?: string
  /** The key pair a DPoP-bound token is bound to (RFC 9449): kept with the tokens, deleted with them. */
  dpopKey?: DPoPKey
  /** OAuth 1.0a: the token secret that signs every request with the token (RFC 5849 §2.3); never printed. */
  tokenSecret?: string
  /** Private JWK (JSON) of a `private_key_jwt` client (RFC 7523 §2.2), from `--client-key`. */
  clientKey?: string
  /** The TLS client certificate and key of an mTLS login (RFC 8705), from `--cert`/`--key`/`--cacert`. */
  clientCert?: ClientCertificate
}

export type StoreKind = 'keyring' | 'file' | 'memory'

/** Where secrets live. Keys are `<provider>:<profile>` (or another stable, printable id). */
export interface TokenStore {
  readonly kind: StoreKind
  /** Human-readable location, for `status` and the login message ("OS keyring (service oauthctl)"). */
  readonly location: string
  get(key: string): Promise<TokenSecrets | undefined>
  set(key: string, secrets: TokenSecrets): Promise<void>
  /** Returns true when something was deleted. */
  delete(key: string): Promise<boolean>
  /**
   * Checks that a record of about `bytes` could be written for `key` now (permissions, free space), without
   * changing what is stored. Optional: stores that cannot tell (the OS keyring) leave it out.
   * @throws CredentialStoreError naming what failed
   */
  checkWritable?(key: string, bytes: number): Promise<void>
}

/** The keyring service name every entry is stored under. */
export const KEYRING_SERVICE = 'oauthctl'

/**
 * True when `value` has the shape of a {@link TokenSecrets} record. Stores call this on what they read back,
 * so a hand-edited or truncated entry is reported as corrupt instead of flowing on as `undefined` tokens.
 */
export function isTokenSecrets(value: unknown): value is TokenSecrets {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  const optionalString = (name: string) => record[name] === undefined || typeof record[name] === 'string'
  return (
    typeof record.accessToken === 'string' &&
    optionalString('refreshToken') &&
    optionalString('idToken') &&
    optionalString('tokenType') &&
    optionalString('clientSecret') &&
    (record.dpopKey === undefined || isDPoPKey(record.dpopKey)) &&
    optionalString('tokenSecret') &&
    optionalString('clientKey') &&
    (record.clientCert === undefined || isClientCertificate(record.clientCert)) &&
    optionalFiniteNumber(record.expiresAt) &&
    optionalFiniteNumber(record.obtainedAt)
  )
}

function optionalFiniteNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value))
}
