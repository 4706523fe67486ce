import {lstat, unlink} from 'node:fs/promises'
import type {FileHandle} from 'node:fs/promises'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode, InterruptedError, OauthctlError} from '../errors.js'
import {ensurePrivateDir} from './atomic-write.js'
import {isStale, observe, sameFile, takeOver, tryCreate, type LockOwner} from './lock-file.js'
import {stateError, UnsafeStatePathError, type StateArea} from './state-path.js'

export type {LockOwner} from './lock-file.js'

export interface LockOptions {
  /** How long to wait for another holder before giving up (default 30 s). */
  timeoutMs?: number
  /**
   * A lock whose file has not been touched for this long is taken over even if its owner may be alive, e.g.
   * on another host (default 60 s). Holders touch their file every `staleMs / 3`, so a long `fn` keeps its lock.
   */
  staleMs?: number
  /**
   * Aborts the wait: rejects with InterruptedError. SIGINT and SIGTERM always abort a wait, with or without
   * this signal. Never aborts a running `fn`.
   */
  signal?: AbortSignal
  /**
   * What the lock protects, for the exit code of a lock that cannot be used (a symbolic link or a directory
   * at its path, a full disk): `config` exits 3, `store` (token store, refresh) exits 6. Default `store`.
   */
  area?: StateArea
}

/** Exit 6: another process held the lock for longer than the timeout. */
export class LockTimeoutError extends OauthctlError {
  constructor(
    readonly lockPath: string,
    timeoutMs: number,
    readonly owner?: LockOwner,
  ) {
    const who = owner ? `, held by pid ${owner.pid} on ${owner.hostname} since ${owner.createdAt}` : ''
    super(`timed out after ${Number((timeoutMs / 1000).toFixed(2))} s waiting for the lock ${lockPath}${who}`, 'lock_timeout', ExitCode.store, {
      hint: `If no other oauthctl is still running, delete ${lockPath} and try again.`,
    })
  }
}

const FIRST_DELAY_MS = 10
const MAX_DELAY_MS = 100
/** Retries without sleeping when the lock vanished between our create and our look; then back-off as usual. */
const IMMEDIATE_RETRIES = 3
const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const

/**
 * Runs `fn` while holding a cross-process lock on `lockPath` (not re-entrant), so that two oauthctl
 * processes never refresh the same login at once and burn a rotating refresh token.
 *
 * The lock is a file created with `O_CREAT | O_EXCL` holding {@link LockOwner}. Waiters poll with jittered
 * back-off (10 ms up to 100 ms). A lock is stale when its pid is gone on this host (its holder was
 * `kill -9`ed) or its file has not been touched for `staleMs`; stale locks are taken over under a short
 * `<lock>.takeover` mutex, re-checked there, so two waiters can never both remove the same stale lock and
 * one of them remove the other's fresh one. The lock is released in `finally`, only if the file is still ours.
 *
 * Every pass of the wait checks the deadline and sleeps; SIGINT/SIGTERM end the wait at once. Lock paths
 * are opened with `O_NOFOLLOW`: a symbolic link (dangling or not) or a directory there is refused, naming
 * the path to remove, rather than waited on.
 *
 * @throws LockTimeoutError (exit 6) when the lock stays busy for `timeoutMs`.
 * @throws InterruptedError (exit 130) when the wait is aborted or the process gets SIGINT/SIGTERM.
 * @throws ConfigError (exit 3, area `config`) or CredentialStoreError (exit 6) when the lock cannot be used.
 */
export async function withLock<T>(lockPath: string, fn: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const held = await acquire(lockPath, options)
  try {
    return await fn()
  } finally {
    await held.release()
  }
}

interface HeldLock {
  release(): Promise<void>
}

async function acquire(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const area = options.area ?? 'store'
  if (options.signal?.aborted) throw new InterruptedError()
  try {
    await ensurePrivateDir(dirname(lockPath))
    const first = await tryCreate(lockPath)
    if (first) return hold(lockPath, first, options.staleMs ?? 60_000)
  } catch (error) {
    throw lockFailure(lockPath, error, area)
  }
  // Someone holds it: wait, and let Ctrl-C and SIGTERM end the wait whatever the caller trapped.
  const interrupted = new AbortController()
  const onSignal = () => interrupted.abort()
  for (const name of INTERRUPTS) process.on(name, onSignal)
  options.signal?.addEventListener('abort', onSignal)
  if (options.signal?.aborted) onSignal()
  try {
    return await waitForLock(lockPath, options, interrupted.signal)
  } catch (error) {
    throw lockFailure(lockPath, error, area)
  } finally {
    for (const name of INTERRUPTS) process.off(name, onSignal)
    options.signal?.removeEventListener('abort', onSignal)
  }
}

async function waitForLock(lockPath: string, options: LockOptions, signal: AbortSignal): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const staleMs = options.staleMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  let delay = FIRST_DELAY_MS
  let quickRetries = 0
  for (;;) {
    if (signal.aborted) throw new InterruptedError()
    const handle = await tryCreate(lockPath)
    if (handle) return hold(lockPath, handle, staleMs)

    const current = await observe(lockPath)
    // Released between our create and our look: try again at once, a few times, then sleep like any wait.
    if (!current && quickRetries++ < IMMEDIATE_RETRIES) continue
    if (current && isStale(current, staleMs) && (await takeOver(lockPath, current, staleMs))) continue

    const remaining = deadline - Date.now()
    if (remaining <= 0) throw new LockTimeoutError(lockPath, timeoutMs, current?.owner)
    const jittered = Math.round(delay * (0.5 + Math.random()))
    try {
      await sleep(Math.min(jittered, remaining), undefined, {signal})
    } catch {
      throw new InterruptedError()
    }
    delay = Math.min(delay * 2, MAX_DELAY_MS)
    quickRetries = 0
  }
}

/**
 * Keeps the file open while held: the heartbeat touches exactly our file through it, and an open file's
 * inode cannot be reused, so comparing inodes on release cannot mistake a successor's lock for ours.
 */
function hold(path: string, handle: FileHandle, staleMs: number): HeldLock {
  const heartbeat = setInterval(() => {
    const now = new Date()
    handle.utimes(now, now).catch(() => {})
  }, Math.max(Math.floor(staleMs / 3), 10))
  heartbeat.unref()
  return {
    async release() {
      clearInterval(heartbeat)
      try {
        const mine = await handle.stat({bigint: true})
        const current = await lstat(path, {bigint: true}).catch(() => undefined)
        if (current && sameFile(current, mine)) await unlink(path).catch(() => {})
      } finally {
        await handle.close().catch(() => {})
      }
    },
  }
}

/** An fs failure or an unusable lock path, as the error of the lock's area; oauthctl errors pass through. */
function lockFailure(path: string, cause: unknown, area: StateArea): unknown {
  if (cause instanceof OauthctlError) return cause
  const where = cause instanceof UnsafeStatePathError ? cause.path : path
  const hint = `Remove ${where} (${where === dirname(path) ? 'locks hold no data' : 'a lock holds no data'}), then try again.`
  return stateError(cause, area, 'use the lock file', path, cause instanceof UnsafeStatePathError && cause.problem !== 'foreign-owner' ? hint : undefined)
}
