/**
 * Ctrl-C for every wait: the Context's signal (aborted on SIGINT/SIGTERM) joined to a request's own
 * timeout, and one check before anything is written, so an interrupted login stores nothing.
 */
import {InterruptedError} from '../errors.js'
import {timerDelay} from './timers.js'

/** A signal that aborts after `timeoutMs` or as soon as `interrupt` does (whichever comes first). */
export function interruptibleTimeout(interrupt: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timerDelay(timeoutMs))
  return interrupt ? AbortSignal.any([interrupt, timeout]) : timeout
}

/**
 * Throws InterruptedError (exit 130) when `signal` was aborted. Called between a wait and the write that
 * follows it: a best-effort step that swallowed the abort must not be followed by a half-finished save.
 */
export function throwIfInterrupted(signal: AbortSignal | undefined, message = 'interrupted; nothing was stored'): void {
  if (signal?.aborted) throw new InterruptedError(message)
}
