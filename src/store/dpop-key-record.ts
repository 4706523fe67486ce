/* The stored shape of a DPoP key, apart from the code that signs with it, so that reading a token record
 * (every `oauthctl get`) loads no crypto. */

/** The signing algorithms oauthctl makes DPoP keys for. ES256 (P-256) is the default and the common one. */
export type DPoPAlg = 'ES256'

/** An EC public or private key as a JWK (RFC 7518 §6.2). */
export interface EcJwk {
  kty: string
  crv: string
  x: string
  y: string
  /** The private part: only in {@link DPoPKey.privateJwk}. */
  d?: string
}

/**
 * A DPoP key pair as kept in the credential store, beside the tokens it binds (never in config.json).
 * @see RFC 9449 §2 (the key pair), §4.2 (`jwk` header: the public key, never the private one)
 */
export interface DPoPKey {
  alg: DPoPAlg
  /** The private key as a JWK (`kty`, `crv`, `x`, `y`, `d`). Secret. */
  privateJwk: EcJwk
  /** The public key as a JWK (`kty`, `crv`, `x`, `y`): what the proof's `jwk` header carries. */
  publicJwk: EcJwk
}

/** True when `value` has the shape of a stored {@link DPoPKey} (an EC P-256 pair with its private part). */
export function isDPoPKey(value: unknown): value is DPoPKey {
  if (typeof value !== 'object' || value === null) return false
  const key = value as Record<string, unknown>
  const jwk = (member: unknown, secret: boolean): boolean => {
    if (typeof member !== 'object' || member === null) return false
    const fields = member as Record<string, unknown>
    return fields.kty === 'EC' && fields.crv === 'P-256' && typeof fields.x === 'string' && typeof fields.y === 'string' && (!secret || typeof fields.d === 'string')
  }
  return key.alg === 'ES256' && jwk(key.privateJwk, true) && jwk(key.publicJwk, false)
}
