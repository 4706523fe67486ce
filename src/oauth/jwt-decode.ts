import {AuthorizationError, ConfigError, UsageError} from '../errors.js'
import {limitResponseBody} from '../http/body-limit.js'
import type {ProviderPreset} from '../providers/preset.js'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {decodeJwtSegment} from '../util/jwt-claims.js'
import {parseJsonSafely} from '../util/safe-object.js'

/** A JWS compact serialization's protected header and claims; the signature is never kept. */
export interface DecodedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** Only `jose` gets the whole token (to verify); nothing that prints output holds the signature. */
  signed: boolean
}

/**
 * Splits and decodes a JWT (RFC 7519 §7.2) without checking it. The signature is only looked at to say
 * whether there is one.
 *
 * @throws UsageError (exit 2) for anything that is not a JWS compact JWT with JSON object header and claims,
 *   and for an encrypted JWT (JWE, five parts), which cannot be read without the key
 */
export function decodeJwt(text: string): DecodedJwt {
  const token = text.trim()
  const parts = token.split('.')
  if (parts.length === 5) {
    throw new UsageError('this is an encrypted JWT (JWE): its claims cannot be read without the private key')
  }
  const header = parts.length === 3 ? decodeJwtSegment(parts[0]) : undefined
  const claims = parts.length === 3 ? decodeJwtSegment(parts[1]) : undefined
  if (!header || !claims || typeof header.alg !== 'string') {
    throw new UsageError('not a JWT: expected three base64url parts (header.claims.signature) with JSON objects', {
      hint: 'Opaque tokens (most access tokens) carry no claims: ask the provider with `oauthctl introspect`.',
    })
  }
  return {header, claims, signed: parts[2] !== ''}
}

/** Asymmetric JWS algorithms only: `none` and HMAC (whose key is a shared secret) never verify here. */
const VERIFY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']

/**
 * Verifies a JWT against the issuer's published keys (`jwks_uri`): signature, `iss` equal to the
 * provider's issuer, and `exp`/`nbf` (jose's 0 s tolerance plus 30 s); `aud` when one is expected (an ID
 * token's client id).
 *
 * @see RFC 7519 §7.2, RFC 8725 (algorithm allow-list), OpenID Connect Core §3.1.3.7
 * @throws ConfigError (exit 3) when the provider publishes no keys or no issuer; AuthorizationError
 *   (exit 5) when the token does not verify
 */
export async function verifyJwt(
  token: string,
  preset: ProviderPreset,
  options: {fetch: typeof fetch; audience?: string},
): Promise<{issuer: string; kid?: string}> {
  if (!preset.jwksUri || !preset.issuer) {
    throw new ConfigError(`cannot verify: ${preset.displayName} publishes no ${!preset.jwksUri ? 'JWKS (jwks_uri)' : 'issuer'}`, {
      hint: 'Add the provider with --issuer (discovery finds its keys), or decode without --verify.',
    })
  }
  const jose = await import('jose')
  let jwks: Parameters<typeof jose.createLocalJWKSet>[0]
  try {
    const response = await limitResponseBody(
      await options.fetch(preset.jwksUri, {headers: {accept: 'application/json', 'user-agent': DEFAULT_USER_AGENT}, signal: AbortSignal.timeout(30_000)}),
      preset.jwksUri,
    )
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    jwks = parseJsonSafely(await response.text()) as typeof jwks
  } catch (error) {
    throw new ConfigError(`cannot read the keys of ${preset.displayName} at ${preset.jwksUri}: ${(error as Error).message}`, {cause: error})
  }
  try {
    const {protectedHeader} = await jose.jwtVerify(token.trim(), jose.createLocalJWKSet(jwks), {
      issuer: preset.issuer,
      audience: options.audience,
      algorithms: VERIFY_ALGORITHMS,
      clockTolerance: 30,
    })
    return {issuer: preset.issuer, ...(protectedHeader.kid ? {kid: protectedHeader.kid} : {})}
  } catch (error) {
    throw new AuthorizationError(`the token does not verify against ${preset.displayName}'s keys: ${(error as Error).message}`, {
      hint: `Checked: the signature with the keys at ${preset.jwksUri}, iss ${preset.issuer}, exp and nbf${options.audience ? `, aud ${options.audience}` : ''}.`,
      cause: error,
    })
  }
}
