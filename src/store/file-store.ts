import {open, statfs, unlink} from 'node:fs/promises'
import {join} from 'node:path'

import {CredentialStoreError} from '../errors.js'
import {tokenDir} from '../paths.js'
import {ensurePrivateDir, writeFileAtomic} from '../util/atomic-write.js'
import {inspectStatePath, inspectStatePathSync, readStateFileSync, stateError} from '../util/state-path.js'
import {isTokenSecrets} from './token-store.js'
import type {TokenSecrets, TokenStore} from './token-store.js'
import {parseJsonSafely} from '../util/safe-object.js'
import {loadCrypto} from '../util/lazy-builtins.js'

/** Bumped if the on-disk record ever changes shape; readers refuse versions they do not know. */
const FORMAT_VERSION = 1
const MAX_ENCODED_LENGTH = 200
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/

/** What one token file holds. The key is repeated inside so a file can be matched to its login by eye. */
interface TokenFile {
  version: number
  key: string
  secrets: TokenSecrets
}

/**
 * Maps a store key (`sandbox:default`, or any printable text) to a file name that is safe on every file
 * system and distinct for every key.
 *
 * Lower-case ASCII letters, digits, `-` and `_` are kept; every other UTF-8 byte becomes `%XX` with
 * upper-case hex. Upper-case letters are escaped too, so `Sandbox` and `sandbox` stay distinct on the
 * case-insensitive file systems of macOS and Windows. Keys whose encoding would exceed file-name limits are
 * shortened and suffixed with a SHA-256 of the key (`~` never occurs otherwise, so this cannot collide).
 */
export function encodeKeyAsFileName(key: string): string {
  let encoded = ''
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte)
    encoded += /[a-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  if (encoded.length > MAX_ENCODED_LENGTH) {
    encoded = `${encoded.slice(0, 120)}~${loadCrypto().createHash('sha256').update(key, 'utf8').digest('hex')}`
  }
  // `nul.json` is as unusable as `nul` on Windows.
  if (WINDOWS_RESERVED.test(encoded)) encoded = `%${encoded.charCodeAt(0).toString(16).toUpperCase()}${encoded.slice(1)}`
  return `${encoded}.json`
}

export interface FileTokenStoreOptions {
  /** oauthctl's config directory; tokens go to its `tokens/` subdirectory. */
  configDir: string
}

/**
 * Keeps each login's secrets in its own JSON file under `<configDir>/tokens/`: directory 0700, files 0600,
 * every write atomic. The fallback when no OS keyring is available, and the choice with
 * `OAUTHCTL_STORE=file`.
 *
 * A file that cannot be parsed is reported (exit 6) and left where it is: deleting it would silently log
 * the user out and destroy the only evidence of what went wrong. A symbolic link at `tokens/` or at a token
 * file is refused (exit 6), never read or written through.
 */
export class FileTokenStore implements TokenStore {
  readonly kind = 'file' as const
  /** The directory holding the token files. */
  readonly location: string

  constructor(options: FileTokenStoreOptions) {
    this.location = tokenDir(options.configDir)
  }

  /** The file that holds (or would hold) `key`. */
  pathFor(key: string): string {
    return join(this.location, encodeKeyAsFileName(key))
  }

  async get(key: string): Promise<TokenSecrets | undefined> {
    const path = this.pathFor(key)
    let text: string
    try {
      // Synchronous, like the config file's read: a few microseconds, and the first asynchronous file call
      // of a process starts libuv's thread pool (and node:fs/promises loads ~1 ms of modules) on the path of
      // every `oauthctl token`.
      inspectStatePathSync(this.location, 'directory')
      text = readStateFileSync(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      // ELOOP (readStateFileSync does not follow links): say that it is a link.
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw ioError('read', path, await linkError(path, error))
      throw ioError('read', path, error)
    }
    return parseTokenFile(text, key, path)
  }

  async set(key: string, secrets: TokenSecrets): Promise<void> {
    const path = this.pathFor(key)
    const record: TokenFile = {version: FORMAT_VERSION, key, secrets}
    try {
      await ensurePrivateDir(this.location)
      await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600})
    } catch (error) {
      throw ioError('write', path, error)
    }
  }

  /**
   * Writes (and fsyncs, then removes) a probe file of `bytes` bytes next to the token files, after a quick
   * look at the free space: what the real write will need, checked before a rotating refresh token is
   * spent on a disk that cannot take its successor.
   */
  async checkWritable(key: string, bytes: number): Promise<void> {
    const path = this.pathFor(key)
    const probe = join(this.location, `.probe-${loadCrypto().randomBytes(6).toString('hex')}.tmp`)
    let created = false
    try {
      await ensurePrivateDir(this.location)
      const space = await statfs(this.location).catch(() => undefined)
      if (space && space.bavail * space.bsize < bytes) throw Object.assign(new Error('no space left on device'), {code: 'ENOSPC'})
      const handle = await open(probe, 'wx', 0o600)
      created = true
      try {
        await handle.writeFile(Buffer.alloc(bytes, 0x20))
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw ioError('write', path, error)
    } finally {
      if (created) await unlink(probe).catch(() => {})
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathFor(key)
    try {
      await inspectStatePath(this.location, 'directory')
      await unlink(path)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw ioError('delete', path, error)
    }
  }
}

function parseTokenFile(text: string, key: string, path: string): TokenSecrets {
  let parsed: unknown
  try {
    parsed = parseJsonSafely(text)
  } catch {
    // JSON.parse's message quotes the file's contents, which are secrets: say only what kind of damage it is.
    throw corrupt(path, text.trim() === '' ? 'the file is empty' : 'not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null) throw corrupt(path, 'not a JSON object')
  const record = parsed as Partial<TokenFile>
  if (record.version !== FORMAT_VERSION) {
    throw corrupt(path, `unknown format version ${JSON.stringify(record.version)}; a newer oauthctl may have written it`)
  }
  if (record.key !== key) throw corrupt(path, `it belongs to ${JSON.stringify(record.key)}, not ${JSON.stringify(key)}`)
  if (!isTokenSecrets(record.secrets)) throw corrupt(path, 'the secrets record is missing fields or has wrong types')
  return record.secrets
}

function corrupt(path: string, detail: string): CredentialStoreError {
  return new CredentialStoreError(
    `the token file ${path} is corrupt (${detail})`,
    {hint: `It has been left in place. Move it away or delete it, then log in again.`},
    'token_file_corrupt',
  )
}

/** The {@link UnsafeStatePathError} that explains an ELOOP, or the ELOOP itself. */
async function linkError(path: string, error: unknown): Promise<unknown> {
  return inspectStatePath(path, 'file').then(() => error, (unsafe: unknown) => unsafe)
}

/** The error (exit 6) for a failed read, write or delete of a token file, naming what failed ("the disk is full"). */
export function ioError(action: 'read' | 'write' | 'delete', path: string, cause: unknown): CredentialStoreError {
  const known = stateError(cause, 'store', `${action} the token file`, path)
  if (known instanceof CredentialStoreError) return known
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause))
  return new CredentialStoreError(
    `could not ${action} the token file ${path} (${reason})`,
    {hint: 'Check the ownership and permissions of that file and its directory.', cause},
  )
}
