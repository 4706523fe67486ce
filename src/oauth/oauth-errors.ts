import {OauthctlError} from '../errors.js'
import {ApiUnreachableError, describeNetworkFailure, systemErrorCode} from '../http/retry.js'
import {redact} from '../redact.js'

/**
 * openid-client reports failures as ResponseBodyError / AuthorizationResponseError (an OAuth `error` from
 * the server), WWWAuthenticateChallengeError (a 401 with a challenge), ClientError (a response it refused,
 * with the Response as its cause) or TypeError (network). These helpers read them by shape, so that
 * callers need not load openid-client to classify an error.
 */

/** The error parameters of a `WWW-Authenticate` challenge (RFC 6750 §3), as openid-client parses them. */
function challengeParameters(error: unknown): Record<string, unknown> | undefined {
  const challenges = (error as {cause?: unknown} | undefined)?.cause
  if (!Array.isArray(challenges)) return undefined
  const found = challenges.find((challenge) => typeof (challenge as {parameters?: {error?: unknown}})?.parameters?.error === 'string')
  return (found as {parameters: Record<string, unknown>} | undefined)?.parameters
}

/** The OAuth `error` code the server sent (RFC 6749 §5.2, or in a `WWW-Authenticate` challenge), if any. */
export function oauthErrorCode(error: unknown): string | undefined {
  const code = (error as {error?: unknown} | undefined)?.error ?? challengeParameters(error)?.error
  return typeof code === 'string' ? code : undefined
}

/** The server's `error_description`, if any. */
export function oauthErrorDescription(error: unknown): string | undefined {
  const description = (error as {error_description?: unknown} | undefined)?.error_description ?? challengeParameters(error)?.error_description
  return typeof description === 'string' && description ? description : undefined
}

/** The HTTP status of the answer behind an openid-client error (its `status`, or the Response it carries). */
export function httpStatusOf(error: unknown): {status: number; statusText: string} | undefined {
  let current: unknown = error
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const candidate = current as {status?: unknown; statusText?: unknown; response?: {status?: unknown; statusText?: unknown}; cause?: unknown}
    const source = typeof candidate.status === 'number' ? candidate : candidate.response
    if (source && typeof source.status === 'number') {
      const statusText = typeof source.statusText === 'string' ? source.statusText : typeof candidate.response?.statusText === 'string' ? candidate.response.statusText : ''
      return {status: source.status, statusText}
    }
    current = candidate.cause
  }
  return undefined
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'])

/**
 * True when the request never got an answer: connection refused, unknown host, reset, or a timeout.
 * Such a failure is about the network, not about the user's approval or the app's settings.
 */
export function isUnreachable(error: unknown): boolean {
  if (httpStatusOf(error)) return false
  const code = systemErrorCode(error)
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return true
  let current: unknown = error
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const {name, code: ownCode} = current as {name?: unknown; code?: unknown}
    if (name === 'TimeoutError' || ownCode === 'OAUTH_TIMEOUT') return true
    current = (current as {cause?: unknown}).cause
  }
  return false
}

/**
 * One line: the server's `error: error_description` with the HTTP status when it says more than the
 * usual 400 (RFC 6749 §5.2); the status of an answer that is no OAuth error at all (an empty 401, an HTML
 * page); or the chain of causes for local and network failures.
 */
export function describeOAuthError(error: unknown): string {
  const code = oauthErrorCode(error)
  const http = httpStatusOf(error)
  const status = http ? `HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ''}` : undefined
  if (code) {
    const description = oauthErrorDescription(error)
    const suffix = status && http?.status !== 400 ? ` (${status})` : ''
    return redact(`${description ? `${code}: ${description}` : code}${suffix}`)
  }
  if (status) return redact(`the server answered ${status} (no OAuth error in the body)`)
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

/**
 * The hint for a failed call to the authorization server: "could not reach <host>" for a network failure,
 * the client credentials for `invalid_client` or an answer of 401 (RFC 6749 §5.2), else `fallback`.
 */
export function hintForOAuthFailure(error: unknown, endpoint: string, fallback: string): string {
  if (isUnreachable(error)) return `Could not reach ${new URL(endpoint).host}: check the network (and proxy settings), then run the command again.`
  const code = oauthErrorCode(error)
  if (code === 'invalid_client' || (code === undefined && httpStatusOf(error)?.status === 401)) {
    return 'Check --client-id and --client-secret (or OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET), and how the app authenticates (--client-auth basic|post|none).'
  }
  return fallback
}

/**
 * The error for a call to the authorization server that got no answer at all (exit 7, as for an API):
 * "could not reach HOST to <doing>", so that a network failure never reads as a refused login or a
 * rejected refresh token. Undefined when the server did answer.
 */
export function unreachableError(error: unknown, endpoint: string | undefined, doing: string, keeps = ''): ApiUnreachableError | undefined {
  if (!isUnreachable(error)) return undefined
  const host = endpoint ? new URL(endpoint).host : 'the provider'
  // A refused connection says it in a word (ECONNREFUSED); a timeout's own message names the host and the limit.
  const network = describeNetworkFailure(error)
  const detail = /timeout/.test(network) ? describeOAuthError(error) : network
  return new ApiUnreachableError(`could not reach ${host} to ${doing} (${detail})${keeps}`, {
    hint: `Check the network (and proxy settings) and that ${host} is up, then run the command again.`,
    cause: error,
  })
}
