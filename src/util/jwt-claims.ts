import {parseJsonSafely} from './safe-object.js'

/**
 * One base64url segment of a JWT decoded as a JSON object (prototype-safe), or undefined when it is not
 * base64url, not JSON, or not an object. Nothing is verified.
 * @see RFC 7515 §7.1 (compact serialization), RFC 7519 §7.2
 */
export function decodeJwtSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined
  try {
    const value = parseJsonSafely(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * The claims of a JWS compact JWT (three parts), unverified: for reading what a token says about itself
 * (its `exp`, `sub`, a JARM response's `state`) where the signature is checked elsewhere or not needed.
 */
export function unverifiedClaims(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.')
  return parts.length === 3 ? decodeJwtSegment(parts[1]) : undefined
}
