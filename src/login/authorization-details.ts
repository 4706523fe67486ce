import {readFileSync, statSync} from 'node:fs'
import {UsageError} from '../errors.js'
import {parseJsonSafely} from '../util/safe-object.js'

/** The most `--authorization-details` oauthctl reads (characters of JSON, or bytes of the @file). */
export const MAX_AUTHORIZATION_DETAILS_CHARS = 16 * 1024

/** One authorization details object (RFC 9396 §2): a `type` string and whatever that type defines. */
export type AuthorizationDetail = {type: string} & Record<string, unknown>

/**
 * Reads `--authorization-details <json | @file>`: a JSON array of objects, each with a non-empty `type`
 * string (RFC 9396 §2). Parsed without reaching a prototype (`__proto__`, `constructor` and `prototype`
 * members are dropped, util/safe-object.ts) and capped at {@link MAX_AUTHORIZATION_DETAILS_CHARS}.
 * @throws UsageError (exit 2) naming what is wrong; nothing is sent anywhere.
 * @see RFC 9396 §2, §3
 */
export function parseAuthorizationDetails(value: string): AuthorizationDetail[] {
  const text = value.startsWith('@') ? readDetailsFile(value.slice(1)) : value
  if (text.length > MAX_AUTHORIZATION_DETAILS_CHARS) {
    throw new UsageError(`--authorization-details is ${text.length} characters long; at most ${MAX_AUTHORIZATION_DETAILS_CHARS} are accepted`)
  }
  let parsed: unknown
  try {
    parsed = parseJsonSafely(text)
  } catch (error) {
    throw new UsageError(`--authorization-details is not valid JSON (${(error as Error).message})`, {
      hint: `Pass a JSON array, e.g. --authorization-details '[{"type":"account_information","actions":["read"]}]', or @file.`,
    })
  }
  return checkAuthorizationDetails(parsed, '--authorization-details')
}

/**
 * Checks that `value` is a non-empty array of objects with a non-empty `type` string.
 * @throws UsageError (exit 2) naming the first offending entry.
 */
export function checkAuthorizationDetails(value: unknown, label: string): AuthorizationDetail[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new UsageError(`${label} must be a non-empty JSON array of objects (RFC 9396 §2)`)
  }
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new UsageError(`${label} entry ${index} is not a JSON object`)
    }
    const type = (entry as Record<string, unknown>).type
    if (typeof type !== 'string' || type.length === 0) {
      throw new UsageError(`${label} entry ${index} has no "type" string (RFC 9396 §2)`)
    }
  })
  return value as AuthorizationDetail[]
}

/**
 * The granted `authorization_details` of a token response (RFC 9396 §7), when it is a well-formed array
 * small enough to keep in config.json; otherwise undefined (a note says why under --debug).
 */
export function grantedAuthorizationDetails(value: unknown, note?: (line: string) => void): AuthorizationDetail[] | undefined {
  if (value === undefined) return undefined
  try {
    const details = checkAuthorizationDetails(value, 'authorization_details in the token response')
    if (JSON.stringify(details).length > MAX_AUTHORIZATION_DETAILS_CHARS) throw new UsageError('too long to keep')
    return details
  } catch (error) {
    note?.(`the granted authorization_details were not kept: ${(error as Error).message}`)
    return undefined
  }
}

function readDetailsFile(path: string): string {
  try {
    const {size} = statSync(path)
    if (size > MAX_AUTHORIZATION_DETAILS_CHARS) {
      throw new UsageError(`--authorization-details @${path} is ${size} bytes; at most ${MAX_AUTHORIZATION_DETAILS_CHARS} are accepted`)
    }
    return readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`cannot read --authorization-details @${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}
