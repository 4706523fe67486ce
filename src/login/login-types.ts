import type {LoginRecord} from '../config.js'
import type {ClientAuthMethod} from '../providers/preset.js'
import type {Target} from '../session/session.js'
import type {Identity} from '../oauth/token-response.js'
import type {AuthorizationRequestOptions} from './authorization-request.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import type {ClientCertificateFiles} from '../providers/client-cert.js'

/* The shapes `login` takes and gives, shared by the dispatcher (login.ts) and the ways of obtaining tokens
 * (login-modes.ts) without either importing the other. */

/**
 * How `login` obtains tokens: `browser` (loopback listener, the default), `device` (RFC 8628), `paste`
 * (the redirect URL pasted on stdin), `token` (an existing token on stdin), `client-credentials` (no
 * person involved).
 */
export type LoginMode = 'browser' | 'device' | 'paste' | 'token' | 'client-credentials'

export interface LoginInput {
  target: Target
  scopes?: string[]
  port?: number
  timeoutMs: number
  openBrowser: boolean
  clientId?: string
  clientSecret?: string
  /** Provider options by `login` flag name (`tenant`, `host`, `login-host`); undefined ones are ignored. */
  providerFlags?: Record<string, string | undefined>
  /** Provider option values by key, under `providerFlags`: a re-consent passes the stored login's own (refresh --scope). */
  optionValues?: Record<string, string>
  /** How to obtain the tokens (login-modes.ts); default `browser`. */
  mode?: LoginMode
  /** `--pkce`: send PKCE even where the preset has it off (LinkedIn apps enabled for the native flow). */
  pkce?: boolean
  /** How the client authenticates at the token endpoint, instead of the preset's (`--client-auth`). */
  clientAuth?: ClientAuthMethod
  /** `--dpop`: bind the tokens to a new DPoP key (RFC 9449), as a provider with `dpop: true` always does. */
  dpop?: boolean
  /** PAR, JAR, JARM, resource indicators and RAR flags (authorization-request.ts). */
  request?: AuthorizationRequestOptions
  /** `--client-key`: file with the private key for `private_key_jwt` (implies it when no `--client-auth`). */
  clientKeyFile?: string
  /** The key of `clientKeyFile`, read and normalised (client-key.ts); set by `login`, not by flags. */
  clientKey?: string
  /** `--cert`, `--key`, `--cacert`: the TLS client certificate of an mTLS login (RFC 8705). */
  certFiles?: ClientCertificateFiles
  /** The certificate of `certFiles`, read and checked (client-cert.ts); set by `login`, not by flags. */
  clientCert?: ClientCertificate
}

export interface LoginResult {
  record: LoginRecord
  identity: Identity
  storeKind: string
  storeLocation: string
}

/**
 * The `--port` a browser or paste login put in its redirect_uri, kept with the login (LoginRecord.port);
 * none for a device login, and none for 0 (an ephemeral port, which no redirect registration names).
 */
export function portOfRedirect(input: Pick<LoginInput, 'port' | 'mode'>): {port?: number} {
  const fixed = input.port !== undefined && input.port > 0
  return fixed && (input.mode === undefined || input.mode === 'browser' || input.mode === 'paste') ? {port: input.port} : {}
}
