import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {mkdir, open, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {checkStats, inspectStatePath, inspectStatePathSync, O_NOFOLLOW} from './state-path.js'
import {loadCrypto} from './lazy-builtins.js'

export interface AtomicWriteOptions {
  /** Permission bits of the final file (default 0o600). Applied with chmod, so the umask cannot widen or narrow it. */
  mode?: number
}

const DEFAULT_FILE_MODE = 0o600
const PRIVATE_DIR_MODE = 0o700
const isWindows = process.platform === 'win32'

/**
 * A name next to `target`, so the final rename stays on one file system (and is therefore atomic). The dot
 * prefix and `.tmp` suffix keep it out of the way of anything listing the directory.
 */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${loadCrypto().randomBytes(6).toString('hex')}.tmp`)
}

/**
 * Writes `data` to `path` so that readers see either the old contents or the new ones, never a torn file:
 * write a temp file in the same directory, fsync it, chmod it, rename it over the target. On failure the
 * temp file is removed and the target is untouched.
 *
 * The temp file is created with `mode` from the start (and exclusively), so secrets never sit in a file
 * that another user could open, not even for a moment. A symbolic link (or anything but a regular file) at
 * `path` is refused rather than replaced or written through; a link planted after that check is replaced
 * by the rename, never followed.
 *
 * @throws UnsafeStatePathError when `path` is a symbolic link or not a regular file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? DEFAULT_FILE_MODE
  await inspectStatePath(path, 'file')
  const temp = tempPathFor(path)
  let created = false
  try {
    const handle = await open(temp, 'wx', mode)
    created = true
    try {
      await handle.writeFile(data)
      if (!isWindows) await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await renameWithRetry(temp, path)
    created = false
    await fsyncDirectory(dirname(path))
  } catch (error) {
    if (created) await unlink(temp).catch(() => {})
    throw error
  }
}

/** Synchronous twin of {@link writeFileAtomic}, for exit paths where awaiting is not an option. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? DEFAULT_FILE_MODE
  inspectStatePathSync(path, 'file')
  const temp = tempPathFor(path)
  let created = false
  try {
    const fd = openSync(temp, 'wx', mode)
    created = true
    try {
      const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
      let offset = 0
      while (offset < buffer.byteLength) offset += writeSync(fd, buffer, offset, buffer.byteLength - offset)
      if (!isWindows) fchmodSync(fd, mode)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
    created = false
    fsyncDirectorySync(dirname(path))
  } catch (error) {
    if (created) {
      try {
        unlinkSync(temp)
      } catch {}
    }
    throw error
  }
}

/**
 * Windows refuses to rename over a file that another process (an editor, a virus scanner) has open for a
 * short while; POSIX never does, so only Windows retries.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (!isWindows || attempt >= 10 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error
      await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)))
    }
  }
}

/** Makes the rename itself durable. Best effort: not every platform or file system lets a directory be fsynced. */
async function fsyncDirectory(dir: string): Promise<void> {
  if (isWindows) return
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {}
}

function fsyncDirectorySync(dir: string): void {
  if (isWindows) return
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {}
}

const DIRECTORY_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | O_NOFOLLOW

/**
 * Creates `path` (and missing parents) with mode 0700, and tightens it to 0700 if it already exists with
 * wider permissions, so that token and lock files are never reachable by other users through their
 * directory. Permission bits are not meaningful on Windows and are left alone there.
 *
 * The last component must be a real directory that belongs to the current user: a symbolic link there is
 * refused, never followed, and the chmod goes through a descriptor opened with `O_NOFOLLOW`, so it can only
 * ever change the directory that was checked. (Links among the parents, like macOS's `/var`, are followed.)
 *
 * @throws UnsafeStatePathError for a symbolic link, a non-directory, or a directory owned by someone else.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  if (!(await inspectStatePath(path, 'directory'))) {
    await mkdir(path, {recursive: true, mode: PRIVATE_DIR_MODE}).catch(async (error: NodeJS.ErrnoException) => {
      // Node's recursive mkdir reports ENOENT for EROFS, EACCES and the like; a plain mkdir names the cause.
      if (error.code !== 'ENOENT') throw error
      await mkdir(path, {mode: PRIVATE_DIR_MODE})
    })
  }
  if (isWindows) {
    await inspectStatePath(path, 'directory')
    return
  }
  const handle = await open(path, DIRECTORY_FLAGS).catch(async (error: NodeJS.ErrnoException) => {
    // ELOOP / ENOTDIR: something was swapped in since the check; say what it is.
    await inspectStatePath(path, 'directory')
    throw error
  })
  try {
    const stats = checkStats(path, await handle.stat(), 'directory')
    if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) await handle.chmod(PRIVATE_DIR_MODE)
  } finally {
    await handle.close()
  }
}

/** Synchronous twin of {@link ensurePrivateDir}. */
export function ensurePrivateDirSync(path: string): void {
  if (!inspectStatePathSync(path, 'directory')) {
    try {
      mkdirSync(path, {recursive: true, mode: PRIVATE_DIR_MODE})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(path, {mode: PRIVATE_DIR_MODE})
    }
  }
  if (isWindows) {
    inspectStatePathSync(path, 'directory')
    return
  }
  let fd: number
  try {
    fd = openSync(path, DIRECTORY_FLAGS)
  } catch (error) {
    inspectStatePathSync(path, 'directory')
    throw error
  }
  try {
    const stats = checkStats(path, fstatSync(fd), 'directory')
    if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) fchmodSync(fd, PRIVATE_DIR_MODE)
  } finally {
    closeSync(fd)
  }
}
