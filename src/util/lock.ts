import {constants, type BigIntStats} from 'node:fs'
import {link, lstat, open, rename, unlink} from 'node:fs/promises'
import type {FileHandle} from 'node:fs/promises'
import {hostname} from 'node:os'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode, InterruptedError, OauthctlError} from '../errors.js'
import {ensurePrivateDir} from './atomic-write.js'
import {inspectStatePath, O_NOFOLLOW, stateError, UnsafeStatePathError, type StateArea} from './state-path.js'
import {loadCrypto} from './lazy-builtins.js'

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

/** What a lock file holds: who took it, from where, and when. */
export interface LockOwner {
  pid: number
  hostname: string
  createdAt: string
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

const TAKEOVER_STALE_MS = 5000
const FIRST_DELAY_MS = 10
const MAX_DELAY_MS = 100
/** Retries without sleeping when the lock vanished between our create and our look; then back-off as usual. */
const IMMEDIATE_RETRIES = 3
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | O_NOFOLLOW
/** O_NONBLOCK: a FIFO planted at the lock path must not hang the open. */
const OBSERVE_FLAGS = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0)
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

interface Observed {
  stats: BigIntStats
  text: string
  owner?: LockOwner
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

/** Creates the lock file exclusively and writes our owner record; undefined if it already exists. */
async function tryCreate(path: string): Promise<FileHandle | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, CREATE_FLAGS, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw error
  }
  const owner: LockOwner = {pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString()}
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`)
    return handle
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(path).catch(() => {})
    throw error
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

/**
 * Reads the lock file and its metadata through one descriptor, so both describe the same file.
 *
 * @throws UnsafeStatePathError when a symbolic link or anything but a regular file sits at `path`.
 */
async function observe(path: string): Promise<Observed | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, OBSERVE_FLAGS)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // ELOOP from O_NOFOLLOW: name the symbolic link rather than the errno.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') await inspectStatePath(path, 'file')
    throw error
  }
  try {
    const stats = await handle.stat({bigint: true})
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? 'is a directory, not a file' : 'is not a regular file'
      throw new UnsafeStatePathError(path, 'not-a-file', what)
    }
    const text = await handle.readFile('utf8')
    return {stats, text, owner: parseOwner(text)}
  } finally {
    await handle.close()
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.createdAt === 'string') {
      return {pid: value.pid, hostname: value.hostname, createdAt: value.createdAt}
    }
  } catch {}
  // Empty or torn: its creator may be between open() and write(), so only its age can make it stale.
  return undefined
}

function isStale(lock: Observed, staleMs: number): boolean {
  if (lock.owner && lock.owner.hostname === hostname() && !isProcessAlive(lock.owner.pid)) return true
  return Date.now() - Number(lock.stats.mtimeMs) > staleMs
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.dev === b.dev
}

/**
 * Removes the stale lock `judged`, serialised with every other taker by `<lock>.takeover`. Returns true
 * when it removed it (or found it already gone), false when the caller should wait and look again.
 */
async function takeOver(lockPath: string, judged: Observed, staleMs: number): Promise<boolean> {
  const mutexPath = `${lockPath}.takeover`
  const mutex = await tryCreate(mutexPath)
  if (!mutex) {
    const other = await observe(mutexPath)
    // A taker that died inside this tiny critical section would block everyone forever; clear it away.
    if (other && isStale(other, Math.min(staleMs, TAKEOVER_STALE_MS))) await moveAsideAndRemove(mutexPath, other)
    return false
  }
  try {
    const current = await observe(lockPath)
    if (!current) return true
    // Anything changed since we judged it (a heartbeat, a new holder): not ours to remove.
    if (!sameFile(current.stats, judged.stats) || current.stats.mtimeNs !== judged.stats.mtimeNs || current.text !== judged.text) {
      return false
    }
    return await moveAsideAndRemove(lockPath, current)
  } finally {
    const mine = await mutex.stat({bigint: true})
    const now = await lstat(mutexPath, {bigint: true}).catch(() => undefined)
    if (now && sameFile(now, mine)) await unlink(mutexPath).catch(() => {})
    await mutex.close().catch(() => {})
  }
}

/**
 * Renames `path` to a unique name, then checks that what moved is the file we meant. If a new holder slipped
 * in between our check and the rename, its file is linked back (link fails rather than overwrite).
 */
async function moveAsideAndRemove(path: string, expected: Observed): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${loadCrypto().randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const moved = await lstat(aside, {bigint: true}).catch(() => undefined)
  if (moved && !sameFile(moved, expected.stats)) {
    await link(aside, path).catch(() => {})
    await unlink(aside).catch(() => {})
    return false
  }
  await unlink(aside).catch(() => {})
  return true
}

/** An fs failure or an unusable lock path, as the error of the lock's area; oauthctl errors pass through. */
function lockFailure(path: string, cause: unknown, area: StateArea): unknown {
  if (cause instanceof OauthctlError) return cause
  const where = cause instanceof UnsafeStatePathError ? cause.path : path
  const hint = `Remove ${where} (${where === dirname(path) ? 'locks hold no data' : 'a lock holds no data'}), then try again.`
  return stateError(cause, area, 'use the lock file', path, cause instanceof UnsafeStatePathError && cause.problem !== 'foreign-owner' ? hint : undefined)
}
