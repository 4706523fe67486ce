import {createHash, createPrivateKey, randomUUID, sign} from 'node:crypto'
import type {DPoPKey, EcJwk} from '../store/dpop-key-record.js'

export type {DPoPKey} from '../store/dpop-key-record.js'

/* DPoP proofs for API requests (RFC 9449), signed with node:crypto alone: the fast path (`oauthctl get`)
 * loads this module only for a DPoP-bound login, and never needs jose or openid-client for it. The token
 * endpoint's proofs are openid-client's (see oauth/dpop-key.ts). */

export interface ProofInput {
  key: DPoPKey
  /** The HTTP method of the request (`htm`). */
  method: string
  /** The request URL; its query and fragment are dropped for `htu`. */
  url: URL | string
  /** The access token the request carries: its hash becomes `ath`. */
  accessToken?: string
  /** A nonce the server gave in `DPoP-Nonce`. */
  nonce?: string
  /** Epoch milliseconds (for `iat`). */
  now: number
  /** Unique id of this proof; random when not given (tests pin it). */
  jti?: string
}

/** `base64url(bytes)` without padding (RFC 7515 §2). */
function encodeBase64Url(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64url')
}

/**
 * The `htu` claim: the request URI without query and fragment.
 * @see RFC 9449 §4.2 (`htu`), §4.3 check 9 (compared without query and fragment)
 */
export function htuOf(url: URL | string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

/**
 * The `ath` claim: base64url of the SHA-256 of the ASCII access token.
 * @see RFC 9449 §4.2 (`ath`)
 */
export function athOf(accessToken: string): string {
  return encodeBase64Url(createHash('sha256').update(accessToken, 'ascii').digest())
}

/** Only the public members of a JWK, so that a private `d` can never reach a proof header. */
function publicMembers(jwk: EcJwk): EcJwk {
  return {kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y}
}

/**
 * Builds one DPoP proof JWT: header `{typ: "dpop+jwt", alg, jwk}`, claims `jti`, `htm`, `htu`, `iat`,
 * and `ath` (with an access token) and `nonce` (when the server asked for one), signed with the private key.
 * ES256 signatures are the raw `r || s` of RFC 7518 §3.4 (`ieee-p1363`), not DER.
 * @see RFC 9449 §4.2 (proof syntax), §7.1 (proofs for protected resource access carry `ath`), §8 (nonce)
 */
export function buildDPoPProof(input: ProofInput): string {
  const header = {typ: 'dpop+jwt', alg: input.key.alg, jwk: publicMembers(input.key.publicJwk)}
  const claims: Record<string, string | number> = {
    jti: input.jti ?? randomUUID(),
    htm: input.method.toUpperCase(),
    htu: htuOf(input.url),
    iat: Math.floor(input.now / 1000),
  }
  if (input.accessToken !== undefined) claims.ath = athOf(input.accessToken)
  if (input.nonce !== undefined) claims.nonce = input.nonce
  const signingInput = `${encodeBase64Url(JSON.stringify(header))}.${encodeBase64Url(JSON.stringify(claims))}`
  const key = createPrivateKey({key: input.key.privateJwk as import('node:crypto').JsonWebKey, format: 'jwk'})
  const signature = sign('sha256', Buffer.from(signingInput), {key, dsaEncoding: 'ieee-p1363'})
  return `${signingInput}.${encodeBase64Url(signature)}`
}
