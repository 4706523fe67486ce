/**
 * Timer durations that cannot overflow. Node stores a timer's delay as a signed 32-bit number of
 * milliseconds: anything above 2^31 - 1 (about 24.8 days) silently becomes 1 ms, so a long `--timeout`
 * or a server's huge `interval` would fire at once. Every duration that comes from a user or a server goes
 * through {@link timerDelay} before it reaches `setTimeout`.
 */

/** The longest delay `setTimeout` honours: 2^31 - 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * `ms` as a delay `setTimeout` keeps: at most {@link MAX_TIMER_MS}; 0 for a negative or NaN value. A longer
 * wait is cut to about 24.8 days, never turned into an immediate one.
 */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0
  return Math.min(ms, MAX_TIMER_MS)
}

/** Waits `ms` (through {@link timerDelay}); rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, timerDelay(ms))
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
