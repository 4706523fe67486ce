import {CredentialStoreError} from '../errors.js'
import {checkSessionBus, formatSeconds} from './dbus-preflight.js'
import {isTokenSecrets, KEYRING_SERVICE} from './token-store.js'
import type {TokenSecrets, TokenStore} from './token-store.js'
import {parseJsonSafely} from '../util/safe-object.js'
import {loadCrypto} from '../util/lazy-builtins.js'

/**
 * The keytar-shaped subset of an OS keyring that oauthctl uses. The default is the native keyring
 * ({@link loadNativeKeyring}); tests pass fakes.
 */
export interface KeyringBackend {
  /** Resolves null when there is no entry. */
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  /** Resolves false when there was no entry to delete. */
  deletePassword(service: string, account: string): Promise<boolean>
}

/** Supplies a keyring backend on first use, so commands that never touch secrets never load it. */
export type KeyringLoader = () => Promise<KeyringBackend>

export interface KeyringTokenStoreOptions {
  /** Upper bound for every keyring call, including loading the native module (default 3000 ms). */
  timeoutMs?: number
  /** A backend or a loader for one; defaults to the native OS keyring, imported on first use. */
  keyring?: KeyringBackend | KeyringLoader
}

export const DEFAULT_KEYRING_TIMEOUT_MS = 3000

/** The account the availability probe reads. Nothing is ever stored under it. */
export const PROBE_ACCOUNT = 'oauthctl-probe'

const HINT = 'Unlock the OS keyring (or start its daemon), or set OAUTHCTL_STORE=file to keep tokens in a 0600 file instead.'

/**
 * The OS keyring could not be used: it is missing, locked, or did not answer in time. `reason` is a short,
 * single-line explanation for warnings ("no D-Bus session bus: ...", "did not answer within 3 s").
 */
export class KeyringUnavailableError extends CredentialStoreError {
  constructor(
    message: string,
    readonly reason: string,
    options: {cause?: unknown} = {},
  ) {
    super(message, {hint: HINT, cause: options.cause}, 'keyring_unavailable')
  }
}

/**
 * Keeps each login's {@link TokenSecrets} as one JSON value in the OS keyring (macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux) under service {@link KEYRING_SERVICE}, account = key.
 *
 * Every call is time-boxed: a keyring that hangs turns into a {@link KeyringUnavailableError} (exit 6)
 * instead of a frozen terminal.
 */
export class KeyringTokenStore implements TokenStore {
  readonly kind = 'keyring' as const
  readonly location = `OS keyring (service ${KEYRING_SERVICE})`
  readonly timeoutMs: number
  readonly #load: KeyringLoader
  #backend?: Promise<KeyringBackend>

  constructor(options: KeyringTokenStoreOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS
    const keyring = options.keyring
    this.#load =
      typeof keyring === 'function'
        ? keyring
        : keyring
          ? async () => keyring
          : () => loadNativeKeyring({timeoutMs: this.timeoutMs})
  }

  /**
   * Checks that the keyring answers, by reading an account that never exists. A read neither prompts nor
   * writes; on Linux it needs no unlocked collection, so a locked keyring passes here and is reported (or
   * unlocked by the desktop's prompt) on the first real read or write.
   */
  async probe(): Promise<void> {
    await this.#call('probing', PROBE_ACCOUNT, (keyring) => keyring.getPassword(KEYRING_SERVICE, PROBE_ACCOUNT))
  }

  async get(key: string): Promise<TokenSecrets | undefined> {
    const value = await this.#read(key)
    if (value === undefined) return undefined
    let parsed: unknown
    try {
      const head: unknown = parseJsonSafely(value)
      const chunks = chunkHeader(head)
      parsed = chunks ? parseJsonSafely(await this.#readChunks(key, chunks)) : head
    } catch (error) {
      if (error instanceof CredentialStoreError) throw error
      parsed = undefined
    }
    if (!isTokenSecrets(parsed)) {
      // Never echo the value: it is (or was meant to be) a secret.
      throw new CredentialStoreError(
        `the OS keyring entry for ${JSON.stringify(key)} (service ${KEYRING_SERVICE}) is not a valid oauthctl token record`,
        {hint: `Remove that entry with your keyring manager (service "${KEYRING_SERVICE}", account "${key}"), then log in again.`},
        'keyring_entry_corrupt',
      )
    }
    return parsed
  }

  /**
   * Writes the record as one entry, or, when it is longer than {@link MAX_ENTRY_CHARS}, as chunk entries of
   * a new generation followed by the main entry naming that generation. The main entry is the single
   * switch from the old record to the new one, so a crash never leaves a mix; chunks of the replaced
   * generation are removed afterwards.
   */
  async set(key: string, secrets: TokenSecrets): Promise<void> {
    const value = JSON.stringify(secrets)
    const previous = await this.#chunksOf(key)
    if (value.length <= MAX_ENTRY_CHARS) {
      await this.#write(key, value)
    } else {
      const header: ChunkHeader = {oauthctlChunks: {generation: loadCrypto().randomBytes(6).toString('hex'), count: Math.ceil(value.length / MAX_ENTRY_CHARS)}}
      for (let index = 0; index < header.oauthctlChunks.count; index++) {
        await this.#write(chunkAccount(key, header, index), value.slice(index * MAX_ENTRY_CHARS, (index + 1) * MAX_ENTRY_CHARS))
      }
      await this.#write(key, JSON.stringify(header))
    }
    if (previous) await this.#deleteChunks(key, previous)
  }

  async delete(key: string): Promise<boolean> {
    const previous = await this.#chunksOf(key)
    const deleted = await this.#call('deleting', key, (keyring) => keyring.deletePassword(KEYRING_SERVICE, key))
    if (previous) await this.#deleteChunks(key, previous)
    return deleted
  }

  async #read(account: string): Promise<string | undefined> {
    const value = await this.#call('reading', account, (keyring) => keyring.getPassword(KEYRING_SERVICE, account))
    return value === null || value === undefined ? undefined : value
  }

  #write(account: string, value: string): Promise<void> {
    return this.#call('writing', account, (keyring) => keyring.setPassword(KEYRING_SERVICE, account, value))
  }

  /** The chunk header currently stored for `key`, if its record is chunked. */
  async #chunksOf(key: string): Promise<ChunkHeader | undefined> {
    const value = await this.#read(key)
    if (value === undefined) return undefined
    try {
      return chunkHeader(parseJsonSafely(value))
    } catch {
      return undefined
    }
  }

  async #readChunks(key: string, header: ChunkHeader): Promise<string> {
    let value = ''
    for (let index = 0; index < header.oauthctlChunks.count; index++) {
      const chunk = await this.#read(chunkAccount(key, header, index))
      if (chunk === undefined) {
        throw new CredentialStoreError(
          `the OS keyring entry for ${JSON.stringify(key)} is missing part ${index + 1} of ${header.oauthctlChunks.count}`,
          {hint: `Log in again to store it afresh.`},
          'keyring_entry_corrupt',
        )
      }
      value += chunk
    }
    return value
  }

  async #deleteChunks(key: string, header: ChunkHeader): Promise<void> {
    for (let index = 0; index < header.oauthctlChunks.count; index++) {
      const account = chunkAccount(key, header, index)
      await this.#call('deleting', account, (keyring) => keyring.deletePassword(KEYRING_SERVICE, account))
    }
  }

  async #call<T>(action: string, key: string, operation: (keyring: KeyringBackend) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = `it did not answer within ${formatSeconds(this.timeoutMs)}`
        reject(new KeyringUnavailableError(`the OS keyring did not answer within ${formatSeconds(this.timeoutMs)} (${action} ${JSON.stringify(key)})`, reason))
      }, this.timeoutMs)
    })
    const work = (async () => operation(await this.#backendOnce()))()
    // The loser of the race may still reject later; that rejection is expected and must not crash the process.
    work.catch(() => {})
    try {
      return await Promise.race([work, deadline])
    } catch (error) {
      if (error instanceof CredentialStoreError) throw error
      const reason = oneLine(error instanceof Error ? error.message : String(error))
      throw new KeyringUnavailableError(`the OS keyring is locked or unavailable: ${reason}`, reason, {cause: error})
    } finally {
      clearTimeout(timer)
    }
  }

  #backendOnce(): Promise<KeyringBackend> {
    if (!this.#backend) {
      const loading = this.#load()
      this.#backend = loading
      // A failed load (module missing, bus down) is retried by the next call rather than cached forever.
      loading.catch(() => {
        if (this.#backend === loading) this.#backend = undefined
      })
    }
    return this.#backend
  }
}

/**
 * The native OS keyring via `@napi-rs/keyring`, imported here (not at the top of the module) so that
 * commands that never touch secrets do not pay for loading it.
 *
 * On Linux entries are pinned to the Secret Service. The binding would otherwise fall back, silently, to
 * the kernel keyutils keyring, which forgets everything at logout or reboot (and in containers often
 * refuses writes with "AccessDenied" after reads succeeded); oauthctl prefers its 0600 file store then.
 * Before each entry is created on Linux, {@link checkSessionBus} makes sure the bus answers, because the
 * binding connects to it synchronously and would otherwise hang the whole process on a wedged bus.
 */
export async function loadNativeKeyring(options: {timeoutMs?: number} = {}): Promise<KeyringBackend> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS
  let native: typeof import('@napi-rs/keyring')
  try {
    native = await import('@napi-rs/keyring')
  } catch (error) {
    throw new Error(`cannot load @napi-rs/keyring (${oneLine(error instanceof Error ? error.message : String(error))})`, {cause: error})
  }
  const AsyncEntry = native.AsyncEntry ?? (native as unknown as {default: typeof native}).default.AsyncEntry
  const usesDbus = process.platform !== 'darwin' && process.platform !== 'win32'
  const entryOptions = process.platform === 'linux' ? {linux: {store: 'secret-service' as const}} : undefined
  const entry = async (service: string, account: string) => {
    if (usesDbus) await checkSessionBus({timeoutMs})
    return new AsyncEntry(service, account, entryOptions)
  }
  return {
    getPassword: async (service, account) => (await entry(service, account)).getPassword(),
    setPassword: async (service, account, password) => (await entry(service, account)).setPassword(password),
    deletePassword: async (service, account) => (await entry(service, account)).deletePassword(),
  }
}

/**
 * The longest value oauthctl writes to one keyring entry. Windows Credential Manager takes at most 2,560
 * bytes (1,280 UTF-16 characters) per credential, and large ID tokens have overflowed other keyrings too
 * (kubelogin #1255); longer records are split across entries.
 */
export const MAX_ENTRY_CHARS = 1200

interface ChunkHeader {
  oauthctlChunks: {generation: string; count: number}
}

function chunkHeader(value: unknown): ChunkHeader | undefined {
  const chunks = (value as Partial<ChunkHeader> | null)?.oauthctlChunks
  return chunks && typeof chunks.generation === 'string' && Number.isInteger(chunks.count) && chunks.count > 0 && chunks.count < 1000
    ? (value as ChunkHeader)
    : undefined
}

function chunkAccount(key: string, header: ChunkHeader, index: number): string {
  return `${key}#${header.oauthctlChunks.generation}.${index + 1}`
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}
