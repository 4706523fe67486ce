import {UsageError} from '../errors.js'

/**
 * How long oauthctl's own HTTP client waits: for the connection (DNS and TCP connect), and for the next
 * byte from the server (idle: while sending the request, waiting for the answer and reading the body, but
 * never while oauthctl itself is not reading, e.g. stdout is blocked). 0 means no limit.
 */
export interface HttpTimeouts {
  connectMs: number
  idleMs: number
}

export const DEFAULT_TIMEOUTS: Readonly<HttpTimeouts> = {connectMs: 10_000, idleMs: 30_000}

/** setTimeout's limit (2^31 - 1 ms): a larger delay would fire at once. */
const MAX_MS = 2 ** 31 - 1

/** "0.3 s", "30 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}

/**
 * A connect or idle timeout of oauthctl's HTTP client. `code` is `ETIMEDOUT`, so it counts as a transient
 * network failure (retried for idempotent methods) wherever system codes are read.
 */
export class HttpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT'

  constructor(
    readonly phase: 'connect' | 'idle',
    readonly host: string,
    readonly ms: number,
  ) {
    super(
      phase === 'connect'
        ? `could not connect to ${host} within ${formatSeconds(ms)} (connect timeout)`
        : `${host} sent nothing for ${formatSeconds(ms)} (idle timeout)`,
    )
    this.name = 'HttpTimeoutError'
  }
}

/** The {@link HttpTimeoutError} in an error's cause chain, if any. */
export function findTimeout(error: unknown): HttpTimeoutError | undefined {
  for (let e = error, level = 0; e && level < 5; e = (e as {cause?: unknown}).cause, level++) {
    if (e instanceof HttpTimeoutError) return e
  }
  return undefined
}

/**
 * Milliseconds from a `--timeout`-style value in seconds (`30`, `0.5`, `0` = no limit); exit 2 otherwise,
 * also for values a timer cannot hold (above 2^31 - 1 ms it would fire at once).
 */
export function parseTimeoutSeconds(flag: string, value: string, env?: string): number {
  const text = value.trim()
  const ms = /^\d+(\.\d+)?$/.test(text) ? Math.round(Number(text) * 1000) : Number.NaN
  if (!(ms >= 0 && ms <= MAX_MS) || (ms === 0 && Number(text) !== 0)) {
    throw new UsageError(`bad ${flag} "${value}": expected seconds (30, 0.5; 0 for no limit), at most ${Math.floor(MAX_MS / 1000)}`, {
      hint: env ? `It comes from ${flag} or the ${env} variable.` : undefined,
    })
  }
  return ms
}

/**
 * The timeouts from `--timeout` (idle) and `--connect-timeout`: unset ones keep the defaults, and the
 * connect timeout never exceeds a smaller (non-zero) `--timeout`, so `--timeout 2` fails within 2 s.
 */
export function resolveTimeouts(options: {timeout?: string; connectTimeout?: string}): HttpTimeouts {
  const idleMs = options.timeout === undefined ? DEFAULT_TIMEOUTS.idleMs : parseTimeoutSeconds('--timeout', options.timeout, 'OAUTHCTL_TIMEOUT')
  if (options.connectTimeout !== undefined) {
    return {idleMs, connectMs: parseTimeoutSeconds('--connect-timeout', options.connectTimeout, 'OAUTHCTL_CONNECT_TIMEOUT')}
  }
  const connectMs = idleMs > 0 ? Math.min(DEFAULT_TIMEOUTS.connectMs, idleMs) : DEFAULT_TIMEOUTS.connectMs
  return {idleMs, connectMs}
}

/** A restartable timer: `arm()` (re)starts it, `stop()` clears it. Unref'd: it never keeps the process alive. */
export interface Watchdog {
  arm(): void
  stop(): void
}

export function createWatchdog(ms: number, fire: () => void): Watchdog {
  let timer: NodeJS.Timeout | undefined
  return {
    arm() {
      if (timer) clearTimeout(timer)
      if (ms > 0) timer = setTimeout(fire, ms).unref()
    },
    stop() {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
