import {constants, type BigIntStats} from 'node:fs'
import {link, lstat, open, rename, unlink} from 'node:fs/promises'
import type {FileHandle} from 'node:fs/promises'
import {hostname} from 'node:os'

import {loadCrypto} from './lazy-builtins.js'
import {inspectStatePath, O_NOFOLLOW, UnsafeStatePathError} from './state-path.js'

/* The lock file of util/lock.ts on disk: created exclusively with its owner record, read back through one
 * descriptor, judged stale, and taken over. */

/** What a lock file holds: who took it, from where, and when. */
export interface LockOwner {
  pid: number
  hostname: string
  createdAt: string
}

/** A `<lock>.takeover` mutex untouched this long (at most) belongs to a taker that died: cleared away. */
const TAKEOVER_STALE_MS = 5000
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | O_NOFOLLOW
/** O_NONBLOCK: a FIFO planted at the lock path must not hang the open. */
const OBSERVE_FLAGS = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0)

/** A lock file as read: its metadata, its text, and its owner when the text is a whole owner record. */
export interface Observed {
  stats: BigIntStats
  text: string
  owner?: LockOwner
}

/** Creates the lock file exclusively and writes our owner record; undefined if it already exists. */
export async function tryCreate(path: string): Promise<FileHandle | undefined> {
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
 * Reads the lock file and its metadata through one descriptor, so both describe the same file.
 *
 * @throws UnsafeStatePathError when a symbolic link or anything but a regular file sits at `path`.
 */
export async function observe(path: string): Promise<Observed | undefined> {
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

/** Stale: its owner's pid is gone on this host (it was `kill -9`ed), or the file is untouched for `staleMs`. */
export function isStale(lock: Observed, staleMs: number): boolean {
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

/** Whether two stats describe the same file (inode and device). */
export function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.dev === b.dev
}

/**
 * Removes the stale lock `judged`, serialised with every other taker by `<lock>.takeover`. Returns true
 * when it removed it (or found it already gone), false when the caller should wait and look again.
 */
export async function takeOver(lockPath: string, judged: Observed, staleMs: number): Promise<boolean> {
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
