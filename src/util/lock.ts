import {randomBytes} from 'node:crypto'
import {link, open, rename, stat, unlink} from 'node:fs/promises'
import type {BigIntStats} from 'node:fs'
import type {FileHandle} from 'node:fs/promises'
import {hostname} from 'node:os'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {CredentialStoreError, ExitCode, InterruptedError, OauthctlError} from '../errors.js'
import {ensurePrivateDir} from './atomic-write.js'

export interface LockOptions {
  /** How long to wait for another holder before giving up (default 30 s). */
  timeoutMs?: number
  /**
   * A lock whose file has not been touched for this long is taken over even if its owner may be alive, e.g.
   * on another host (default 60 s). Holders touch their file every `staleMs / 3`, so a long `fn` keeps its lock.
   */
  staleMs?: number
  /** Aborts the wait (Ctrl-C): rejects with InterruptedError. Never aborts a running `fn`. */
  signal?: AbortSignal
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
 * @throws LockTimeoutError (exit 6) when the lock stays busy for `timeoutMs`.
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
  const timeoutMs = options.timeoutMs ?? 30_000
  const staleMs = options.staleMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  try {
    await ensurePrivateDir(dirname(lockPath))
  } catch (error) {
    throw lockFailure(lockPath, error)
  }
  let delay = FIRST_DELAY_MS
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError()
    const handle = await tryCreate(lockPath)
    if (handle) return hold(lockPath, handle, staleMs)

    const current = await observe(lockPath)
    // Released between our create and our look: try again at once.
    if (!current) continue
    if (isStale(current, staleMs) && (await takeOver(lockPath, current, staleMs))) continue

    const remaining = deadline - Date.now()
    if (remaining <= 0) throw new LockTimeoutError(lockPath, timeoutMs, current.owner)
    const jittered = Math.round(delay * (0.5 + Math.random()))
    try {
      await sleep(Math.min(jittered, remaining), undefined, {signal: options.signal})
    } catch {
      throw new InterruptedError()
    }
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  }
}

/** Creates the lock file exclusively and writes our owner record; undefined if it already exists. */
async function tryCreate(path: string): Promise<FileHandle | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw lockFailure(path, error)
  }
  const owner: LockOwner = {pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString()}
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`)
    return handle
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(path).catch(() => {})
    throw lockFailure(path, error)
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
        const current = await stat(path, {bigint: true}).catch(() => undefined)
        if (current && sameFile(current, mine)) await unlink(path).catch(() => {})
      } finally {
        await handle.close().catch(() => {})
      }
    },
  }
}

/** Reads the lock file and its metadata through one descriptor, so both describe the same file. */
async function observe(path: string): Promise<Observed | undefined> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw lockFailure(path, error)
  }
  try {
    const stats = await handle.stat({bigint: true})
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
    const now = await stat(mutexPath, {bigint: true}).catch(() => undefined)
    if (now && sameFile(now, mine)) await unlink(mutexPath).catch(() => {})
    await mutex.close().catch(() => {})
  }
}

/**
 * Renames `path` to a unique name, then checks that what moved is the file we meant. If a new holder slipped
 * in between our check and the rename, its file is linked back (link fails rather than overwrite).
 */
async function moveAsideAndRemove(path: string, expected: Observed): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw lockFailure(path, error)
  }
  const moved = await stat(aside, {bigint: true}).catch(() => undefined)
  if (moved && !sameFile(moved, expected.stats)) {
    await link(aside, path).catch(() => {})
    await unlink(aside).catch(() => {})
    return false
  }
  await unlink(aside).catch(() => {})
  return true
}

function lockFailure(path: string, cause: unknown): CredentialStoreError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause))
  return new CredentialStoreError(`cannot use the lock file ${path} (${reason})`, {
    hint: `Check the ownership and permissions of ${dirname(path)}.`,
    cause,
  }, 'lock_failed')
}
