import {ExitCode, OauthctlError} from '../errors.js'
import {findTimeout, formatSeconds} from './timeouts.js'

/** Retries after the first attempt. */
export const MAX_RETRIES = 3
/** A server that asks for a longer wait than this is not retried: the command fails (exit 7) and says so. */
export const MAX_WAIT_MS = 60_000
/** Waits without `Retry-After`: 1 s, 2 s, 4 s. */
const BACKOFF_BASE_MS = 1000

/** Methods that may be sent twice without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'])
/** Answers that mean "try again later" (RFC 6585 §4, RFC 9110 §15.6.4). */
const RETRY_STATUSES = new Set([429, 503])
/** Connection failures where the request may not have been processed: worth another try. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
])

/** Exit 7: the API could not be reached, or the connection broke before an answer. */
export class ApiUnreachableError extends OauthctlError {
  constructor(message: string, options: {hint?: string; cause?: unknown} = {}) {
    super(message, 'api_unreachable', ExitCode.api, options)
  }
}

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase())
}

/**
 * Milliseconds to wait from a `Retry-After` value (delay-seconds or an HTTP-date), or undefined when it is
 * absent or unreadable. A date in the past means "now".
 * @see RFC 9110 §10.2.3
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The string `code`s along an error's `cause` chain, outermost first. */
function causeCodes(error: unknown, depth: number): string[] {
  const codes: string[] = []
  for (let e = error, level = 0; e && level < depth; e = (e as {cause?: unknown}).cause, level++) {
    const code = (e as {code?: unknown}).code
    if (typeof code === 'string') codes.push(code)
  }
  return codes
}

/** The system error code behind a failed fetch (`ECONNRESET`, `UND_ERR_SOCKET`, ...), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  return causeCodes(error, 4)[0]
}

/**
 * The system error code (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, ...) anywhere in the cause chain,
 * also under a wrapping OauthctlError whose own code is not a system one.
 */
export function systemErrorCode(error: unknown): string | undefined {
  return causeCodes(error, 5).find((code) => /^(E[A-Z0-9_]+|UND_ERR_[A-Z_]+)$/.test(code))
}

/**
 * What went wrong on the network, in a few words: which timeout fired and after how long
 * (`idle timeout: nothing received for 30 s`), else the system code (`ECONNRESET`) or the message.
 */
export function describeNetworkFailure(error: unknown): string {
  const timeout = findTimeout(error)
  if (timeout?.phase === 'connect') return `connect timeout: no connection within ${formatSeconds(timeout.ms)}`
  if (timeout) return `idle timeout: nothing received for ${formatSeconds(timeout.ms)}`
  return networkErrorCode(error) ?? (error as Error)?.message ?? 'network error'
}

/** The hint for an API that could not be reached, or did not answer in time. */
export function unreachableHint(target: URL, error: unknown): string {
  const timeout = findTimeout(error)
  if (!timeout) return `Check that ${target.origin} is reachable, then run the command again.`
  const flag = timeout.phase === 'connect' ? '--connect-timeout' : '--timeout'
  return `Check that ${target.origin} is reachable and answering, or allow more time with ${flag} SECONDS.`
}

export function isTransientNetworkError(error: unknown): boolean {
  const code = networkErrorCode(error)
  return code !== undefined && TRANSIENT_CODES.has(code)
}

export interface RetryDeps {
  now(): number
  sleep(ms: number): Promise<void>
  /** One line for people on stderr. */
  say(line: string): void
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`
}

function backoff(retry: number): number {
  return BACKOFF_BASE_MS * 2 ** retry
}

/**
 * Runs `attempt` and retries it, for idempotent methods only, after a connection failure or a 429/503,
 * at most {@link MAX_RETRIES} times, waiting as `Retry-After` says (capped at {@link MAX_WAIT_MS}) or
 * 1/2/4 s. Each wait is reported on stderr. The last answer is returned as is (a 429 after the last retry
 * is the caller's to report, see {@link describeGiveUp}); a connection failure that is not retried
 * becomes {@link ApiUnreachableError}.
 */
export async function fetchWithRetry(method: string, target: URL, attempt: () => Promise<Response>, deps: RetryDeps): Promise<Response> {
  const retryable = isIdempotent(method)
  for (let retry = 0; ; retry++) {
    let response: Response
    try {
      response = await attempt()
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error
      const code = describeNetworkFailure(error)
      const timeout = findTimeout(error)
      if (!isTransientNetworkError(error) || !retryable || retry >= MAX_RETRIES) {
        throw unreachable(method, target, code, error, retryable, retry)
      }
      const wait = backoff(retry)
      deps.say(`retrying in ${seconds(wait)} (${timeout ? `${timeout.phase} timeout` : code}, retry ${retry + 1} of ${MAX_RETRIES})`)
      await deps.sleep(wait)
      continue
    }
    if (!retryable || !RETRY_STATUSES.has(response.status) || retry >= MAX_RETRIES) return response
    const wait = parseRetryAfter(response.headers.get('retry-after'), deps.now()) ?? backoff(retry)
    if (wait > MAX_WAIT_MS) return response
    await response.body?.cancel()
    deps.say(`retrying in ${seconds(wait)} (HTTP ${response.status}, retry ${retry + 1} of ${MAX_RETRIES})`)
    await deps.sleep(wait)
  }
}

function unreachable(method: string, target: URL, code: string, cause: unknown, retryable: boolean, retries: number): ApiUnreachableError {
  const transient = isTransientNetworkError(cause)
  const why =
    transient && !retryable
      ? ` (not retried: ${method} is not idempotent${findTimeout(cause)?.phase === 'connect' ? '' : ', and the server may have received it'})`
      : transient
        ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`
        : ''
  return new ApiUnreachableError(`${method} ${target.host} failed: ${code}${why}`, {
    hint: unreachableHint(target, cause),
    cause,
  })
}

/**
 * Why a 429/503 answer was not retried (or no longer), for the exit-7 hint; undefined for other answers.
 */
export function describeGiveUp(method: string, response: Response, now: number): string | undefined {
  if (!RETRY_STATUSES.has(response.status)) return undefined
  if (!isIdempotent(method)) return `Not retried: ${method} is not idempotent. Run it again when the server is ready.`
  const wait = parseRetryAfter(response.headers.get('retry-after'), now)
  if (wait !== undefined && wait > MAX_WAIT_MS) {
    return `The server asks to retry in ${seconds(wait)} (Retry-After), longer than oauthctl waits (${seconds(MAX_WAIT_MS)}); try again later.`
  }
  return `Gave up after ${MAX_RETRIES} retries; try again later.`
}

/** A sleep that ends early (rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
