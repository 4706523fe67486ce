import {closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {Script} from 'node:vm'
import {homeDir} from '../paths.js'

/*
 * Loads the fast-path bundle (dist/cli/fast-path.bundle.cjs) with V8's code cache, the Node 20 way
 * (`module.enableCompileCache()` only exists from Node 22.1): compiled code is kept in the user's cache
 * directory, so that `oauthctl token` does not parse and compile the bundle again on every call (~3 ms
 * of ~15; measured with `npm run bench`). V8 checks a cache against the source and its own flags and rejects
 * one that does not match; a missing, rejected or unreadable cache is written again. A cache is used only
 * from a directory and file that are ours, not group/world-writable and not symbolic links, since it is
 * code. Any failure falls back to a plain require(); nothing else changes.
 */

/*
 * This file is bundled into dist/cli/fast-start.cjs, which every command loads: it imports no Node built-in
 * it can do without (node:module and node:os cost ~1 ms together; `npm run bench`).
 */


/** `$XDG_CACHE_HOME/oauthctl` (Linux), `~/Library/Caches/oauthctl` (macOS), `%LOCALAPPDATA%\oauthctl\Cache`. */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'oauthctl', 'Cache')
  if (platform === 'darwin') return join(homeDir(), 'Library', 'Caches', 'oauthctl')
  return join(env.XDG_CACHE_HOME || join(homeDir(), '.cache'), 'oauthctl')
}

const ownedAndPrivate = (stats: {uid: number; mode: number}): boolean =>
  (process.getuid === undefined || stats.uid === process.getuid()) && (stats.mode & 0o022) === 0

function readCache(dir: string, file: string): Buffer | undefined {
  try {
    const dirStats = lstatSync(dir)
    if (!dirStats.isDirectory() || !ownedAndPrivate(dirStats)) return undefined
    const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
    try {
      const stats = fstatSync(fd)
      return stats.isFile() && ownedAndPrivate(stats) ? readFileSync(fd) : undefined
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}

function writeCache(dir: string, file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const dirStats = lstatSync(dir)
    if (!dirStats.isDirectory() || !ownedAndPrivate(dirStats)) return
    const fd = openSync(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0), 0o600)
    try {
      writeFileSync(fd, data)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch {
    rmSync(temp, {force: true})
  }
}

export interface CachedModule {
  exports: unknown
  /** Whether V8 compiled the file from a cache it accepted. */
  cacheUsed: boolean
  /** Writes the code cache when there was none or V8 rejected it; call after the module did its work. */
  saveCache(): void
}

const importESM = (specifier: string): Promise<unknown> => import(specifier)

/**
 * require() of a CommonJS file, compiled with the V8 code cache kept in cacheDir. `requireHere` resolves the
 * file's own require() calls: pass the `require` of a module in the same directory (fast-start.cjs, which
 * bundles this loader, lives beside the bundle); without it, one is made with node:module. `group` names
 * one of several caches of the file, for runs that use different parts of it.
 */
export function requireWithCodeCache(file: string, cacheDir: string, requireHere?: NodeJS.Require, group?: string): CachedModule {
  const name = `${file.replace(/^.*[\\/]/, '')}${group ? `-${group}` : ''}-${process.version}-${process.arch}.v8cache`
  const cacheFile = join(cacheDir, name)
  const cachedData = readCache(cacheDir, cacheFile)
  // `__importESM`: the file's import() of ES modules goes through this function (see
  // scripts/bundle-fast-path.mjs); Node 20 cannot run an import() in code compiled from a cache.
  const wrapper = `(function (exports, require, module, __filename, __dirname, __importESM) {${readFileSync(file, 'utf8')}\n})`
  const script = new Script(wrapper, {filename: file, cachedData})
  // In require.cache, as require() would leave it (a later require() of the file gets these exports); a
  // plain record is enough for require(), and spares node:module's Module.
  const module = {id: file, filename: file, exports: {}, loaded: false, children: [], paths: []}
  const localRequire = requireHere ?? (process.getBuiltinModule('node:module') as typeof import('node:module')).createRequire(file)
  localRequire.cache[file] = module as unknown as NodeJS.Module
  try {
    ;(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, localRequire, module, file, dirname(file), importESM)
  } catch (error) {
    delete localRequire.cache[file]
    throw error
  }
  module.loaded = true
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: () => {
      if (cachedData === undefined || script.cachedDataRejected) writeCache(cacheDir, cacheFile, script.createCachedData())
    },
  }
}
