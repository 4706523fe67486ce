import {OauthctlError} from '../errors.js'
import {redact} from '../redact.js'

/**
 * openid-client reports failures as ResponseBodyError / AuthorizationResponseError (an OAuth `error` from
 * the server), ClientError (a response it refused, with a cause) or TypeError (network). These helpers
 * read them by shape, so that callers need not load openid-client to classify an error.
 */

/** The OAuth `error` code the server sent (RFC 6749 §5.2), if any. */
export function oauthErrorCode(error: unknown): string | undefined {
  const code = (error as {error?: unknown} | undefined)?.error
  return typeof code === 'string' ? code : undefined
}

/** One line: the server's `error: error_description`, or the chain of causes for local/network failures. */
export function describeOAuthError(error: unknown): string {
  const code = oauthErrorCode(error)
  if (code) {
    const description = (error as {error_description?: unknown}).error_description
    return redact(typeof description === 'string' && description ? `${code}: ${description}` : code)
  }
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 4; depth++) {
    const message = current instanceof Error ? current.message : String(current)
    if (message && !parts.includes(message)) parts.push(message)
    const next = (current as {cause?: unknown}).cause
    current = next instanceof Error || (next && typeof next === 'object' && 'message' in next) ? next : undefined
  }
  return redact(parts.join(': ') || 'unknown error')
}

/**
 * The OauthctlError in an error's cause chain: openid-client wraps what its `customFetch` throws (an
 * oversized answer refused by oauthctl) in a ClientError("something went wrong").
 */
export function oauthctlErrorIn(error: unknown): OauthctlError | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof OauthctlError) return current
    current = (current as {cause?: unknown}).cause
  }
  return undefined
}
