import {createHash, createPublicKey, randomBytes, timingSafeEqual, verify} from 'node:crypto'
import type {IncomingMessage} from 'node:http'
import type {ClientMetadata} from 'oidc-provider'

/* DPoP in the sandbox (RFC 9449): the authorization server binds tokens to a proof's key (oidc-provider's
 * `features.dPoP`, with nonces), the `oauthctl-dpop` client gets DPoP-bound tokens only, and the demo API
 * checks the proof of every request made with a DPoP-bound token. The public `oauthctl` client is
 * unchanged: it gets Bearer tokens unless its token request carries a proof. */

/** A public native client whose access tokens are always DPoP-bound (`dpop_bound_access_tokens`). */
export const DPOP_CLIENT_ID = 'oauthctl-dpop'

/** How far a proof's `iat` may be from the API's clock (RFC 9449 §11.1: "a few seconds to minutes"). */
export const PROOF_IAT_WINDOW_S = 60

/** The DPoP client: like the CLI client (loopback redirect, any port), but its tokens need a proof. */
export function buildDPoPClient(redirectUri: string, grantTypes: string[]): ClientMetadata {
  return {
    client_id: DPOP_CLIENT_ID,
    client_name: 'oauthctl (DPoP)',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: [redirectUri],
    grant_types: grantTypes,
    response_types: ['code'],
    dpop_bound_access_tokens: true,
  }
}

/**
 * oidc-provider's `features.dPoP`: on, with a nonce required on every token request that carries a proof
 * (so clients exercise the `use_dpop_nonce` retry, RFC 9449 §8). A request without a proof is unaffected.
 */
export function buildDPoPFeature(): {enabled: true; nonceSecret: Buffer; requireNonce: () => boolean} {
  return {enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true}
}

/** Why the demo API refused a DPoP request: the `WWW-Authenticate: DPoP` error and a short reason. */
export interface ProofRefusal {
  error: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce'
  description: string
}

export interface DPoPVerifier {
  /** The nonce the API wants in proofs (sent in `DPoP-Nonce`). */
  readonly nonce: string
  /**
   * Checks the proof of a request made with `Authorization: DPoP <accessToken>` against the token's bound
   * key thumbprint (`cnf.jkt`). Undefined when the request may go on.
   * @see RFC 9449 §4.3 (checking proofs), §7.1 (`ath`, key binding), §9 (resource server nonce)
   */
  check(req: IncomingMessage, url: URL, accessToken: string, jkt: string | undefined): ProofRefusal | undefined
}

/** `base64url(sha256(text))`. */
function hashBase64Url(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

/**
 * The RFC 7638 thumbprint of an EC public JWK: SHA-256 of its required members in lexicographic order.
 * @see RFC 7638 §3.2, RFC 9449 §6.1 (`jkt`)
 */
export function thumbprintOf(jwk: {crv: string; kty: string; x: string; y: string}): string {
  return hashBase64Url(JSON.stringify({crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y}))
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function parseSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (!segment || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * A verifier for the demo API, with its own nonce and the `jti`s it has seen (kept for the `iat` window,
 * after which a replayed proof fails the `iat` check anyway). ES256 proofs only: the algorithm oauthctl uses.
 */
export function createDPoPVerifier(now: () => number = Date.now): DPoPVerifier {
  const nonce = randomBytes(16).toString('base64url')
  const seen = new Map<string, number>()
  const refuse = (description: string): ProofRefusal => ({error: 'invalid_dpop_proof', description})
  return {
    nonce,
    check(req, url, accessToken, jkt) {
      if (!jkt) return {error: 'invalid_token', description: 'this access token is not DPoP-bound: send it as Bearer'}
      const header = req.headers.dpop
      if (typeof header !== 'string' || req.rawHeaders.filter((name) => name.toLowerCase() === 'dpop').length !== 1) {
        return refuse('exactly one DPoP header is required')
      }
      const [head, body, signature, extra] = header.split('.')
      const protectedHeader = parseSegment(head)
      const claims = parseSegment(body)
      if (!protectedHeader || !claims || !signature || extra !== undefined) return refuse('the DPoP proof is not a JWT')
      if (protectedHeader.typ !== 'dpop+jwt') return refuse('typ must be dpop+jwt')
      if (protectedHeader.alg !== 'ES256') return refuse('alg must be ES256')
      const jwk = protectedHeader.jwk as Record<string, unknown> | undefined
      if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || 'd' in jwk) {
        return refuse('jwk must be a public P-256 key')
      }
      let valid = false
      try {
        const key = createPublicKey({key: {kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y}, format: 'jwk'})
        valid = verify('sha256', Buffer.from(`${head}.${body}`), {key, dsaEncoding: 'ieee-p1363'}, Buffer.from(signature, 'base64url'))
      } catch {
        valid = false
      }
      if (!valid) return refuse('the DPoP proof signature is invalid')
      if (claims.htm !== (req.method ?? 'GET')) return refuse('htm does not match the request method')
      if (claims.htu !== `${url.origin}${url.pathname}`) return refuse('htu does not match the request URI')
      const iat = claims.iat
      const nowS = Math.floor(now() / 1000)
      if (typeof iat !== 'number' || Math.abs(nowS - iat) > PROOF_IAT_WINDOW_S) return refuse('iat is missing or too far from now')
      if (typeof claims.jti !== 'string' || claims.jti.length < 16 || claims.jti.length > 256) return refuse('jti is missing')
      if (typeof claims.ath !== 'string' || !sameText(claims.ath, hashBase64Url(accessToken))) return refuse('ath does not match the access token')
      if (!sameText(thumbprintOf(jwk as {crv: string; kty: string; x: string; y: string}), jkt)) {
        return {error: 'invalid_token', description: 'the access token is bound to another key'}
      }
      if (claims.nonce !== nonce) return {error: 'use_dpop_nonce', description: 'use the DPoP-Nonce this API gave'}
      for (const [jti, at] of seen) if (at < nowS - PROOF_IAT_WINDOW_S * 2) seen.delete(jti)
      if (seen.has(claims.jti)) return refuse('this proof was used before (jti replay)')
      seen.set(claims.jti, nowS)
      return undefined
    },
  }
}
