import {closeSync, constants, lstatSync, openSync, readFileSync, type Stats} from 'node:fs'
import {lstat} from 'node:fs/promises'
import {dirname} from 'node:path'

import {ConfigError, CredentialStoreError, type OauthctlError} from '../errors.js'

/**
 * Everything oauthctl writes lives in its config directory: `config.json`, `tokens/`, `locks/`. Those
 * entries are opened without following symbolic links, must have the expected type, and directories must
 * belong to the current user, so that nothing planted there can redirect a write or a chmod elsewhere.
 */

/** `O_NOFOLLOW` where the platform has it (not on Windows, where symbolic links need privileges anyway). */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0

export type StateProblem = 'symlink' | 'not-a-directory' | 'not-a-file' | 'foreign-owner'

/** A state entry that oauthctl refuses to use; converted to an exit code by {@link stateError}. */
export class UnsafeStatePathError extends Error {
  constructor(
    readonly path: string,
    readonly problem: StateProblem,
    readonly detail: string,
  ) {
    super(`${path} ${detail}`)
    this.name = 'UnsafeStatePathError'
  }
}

/**
 * Checks what sits at `path` without following a symbolic link: undefined when nothing does, its stats
 * when it is a `kind` oauthctl may use.
 *
 * @throws UnsafeStatePathError for a symbolic link, the wrong type, or a directory owned by another user.
 */
export async function inspectStatePath(path: string, kind: 'file' | 'directory'): Promise<Stats | undefined> {
  let stats: Stats
  try {
    stats = await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return checkStats(path, stats, kind)
}

/** Synchronous twin of {@link inspectStatePath}. */
export function inspectStatePathSync(path: string, kind: 'file' | 'directory'): Stats | undefined {
  let stats: Stats
  try {
    stats = lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return checkStats(path, stats, kind)
}

/**
 * Reads a state file as UTF-8 without following a symbolic link at its path (ELOOP), synchronously: a few
 * microseconds, where the first asynchronous file call of a process starts libuv's thread pool.
 */
export function readStateFileSync(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW)
  try {
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/** Refuses `stats` (taken with lstat or fstat of `path`) unless it is a `kind` oauthctl may use. */
export function checkStats(path: string, stats: Stats, kind: 'file' | 'directory'): Stats {
  if (stats.isSymbolicLink()) {
    throw new UnsafeStatePathError(path, 'symlink', 'is a symbolic link, and oauthctl does not follow links in its state directory')
  }
  if (kind === 'directory' && !stats.isDirectory()) throw new UnsafeStatePathError(path, 'not-a-directory', 'is not a directory')
  if (kind === 'file' && !stats.isFile()) {
    throw new UnsafeStatePathError(path, 'not-a-file', stats.isDirectory() ? 'is a directory, not a file' : 'is not a regular file')
  }
  const uid = process.getuid?.()
  if (kind === 'directory' && uid !== undefined && stats.uid !== uid) {
    throw new UnsafeStatePathError(path, 'foreign-owner', `belongs to another user (uid ${stats.uid}, you are uid ${uid})`)
  }
  return stats
}

/** What a file system error code means, in words a person can act on. */
const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'it is a symbolic link',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
}

/** `the disk is full`: what an fs error code means, when it is one a person can act on. */
export function fsReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code ? FS_REASONS[code] : undefined
}

/** `the disk is full (ENOSPC)`: the reason for an fs error, with its code for searching. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code) return FS_REASONS[code] ? `${FS_REASONS[code]} (${code})` : code
  return error instanceof Error ? error.message : String(error)
}

/** Which state an error concerns: `config` (config.json, its lock, the directory) exits 3, `store` exits 6. */
export type StateArea = 'config' | 'store'

/**
 * Turns an fs failure or an {@link UnsafeStatePathError} on `path` into the error of its area: a
 * {@link ConfigError} (exit 3) for the config, a {@link CredentialStoreError} (exit 6) for the token store and
 * its locks. Errors that already are oauthctl errors pass through. `action` reads like "write the token file";
 * `hint` replaces the usual advice for an unsafe path.
 */
export function stateError(error: unknown, area: StateArea, action: string, path: string, hint?: string): unknown {
  if (error instanceof ConfigError || error instanceof CredentialStoreError) return error
  const make = (message: string, advice: string, code: string): OauthctlError =>
    area === 'config'
      ? new ConfigError(message, {hint: advice, cause: error}, code)
      : new CredentialStoreError(message, {hint: advice, cause: error}, code)
  if (error instanceof UnsafeStatePathError) {
    const hints: Record<StateProblem, string> = {
      'foreign-owner': `oauthctl only keeps state in a directory you own: fix the owner of ${error.path}, or set OAUTHCTL_CONFIG_DIR to a directory of yours.`,
      symlink: `Replace the link ${error.path} with what it points to (move it there), or remove the link to start over; then try again.`,
      'not-a-directory': `Move ${error.path} away, then try again; oauthctl creates a private directory there.`,
      'not-a-file': `Move ${error.path} away, then try again; oauthctl creates a private file there.`,
    }
    return make(`cannot ${action}: ${error.message}`, hint ?? hints[error.problem], 'unsafe_state_path')
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (!code) return error
  // `path`, not the errno's: that may be a temp file the user has never heard of.
  const where = path
  const dir = dirname(where)
  const errnoHints: Record<string, string> = {
    ENOSPC: `Free some space on the disk that holds ${dir}, then try again.`,
    EDQUOT: `Free some space within your quota on the disk that holds ${dir}, then try again.`,
    EROFS: `Set OAUTHCTL_CONFIG_DIR to a directory on a writable file system.`,
  }
  const advice = errnoHints[code] ?? `Check the ownership and permissions of ${where} and of ${dir}, or set OAUTHCTL_CONFIG_DIR to a directory of yours.`
  return make(`cannot ${action} ${where}: ${describeFsError(error)}`, advice, code === 'ENOSPC' || code === 'EDQUOT' ? 'disk_full' : 'state_io')
}
