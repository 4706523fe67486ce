import {ConfigError, CredentialStoreError} from '../errors.js'
import {FileTokenStore} from './file-store.js'
import {KeyringTokenStore, KeyringUnavailableError} from './keyring-store.js'
import type {KeyringBackend, KeyringLoader} from './keyring-store.js'
import {MemoryTokenStore} from './memory-store.js'
import {defaultKeyringLoader, type TakeEarlyBus} from './secret-service-read.js'
import type {StoreKind, TokenStore} from './token-store.js'

/** How to choose a store: `auto` tries the OS keyring and falls back to the file store with a warning. */
export type StoreMode = 'auto' | 'keyring' | 'file'

export const STORE_ENV_VAR = 'OAUTHCTL_STORE'

export interface StoreOfKindOptions {
  configDir: string
  keyringTimeoutMs?: number
  /** Replaces the native OS keyring (tests, or a Context that already holds one). */
  keyring?: KeyringBackend | KeyringLoader
  /** A session bus connection opened before the command loaded, for the default keyring's first read. */
  takeEarlyBus?: TakeEarlyBus
}

export interface OpenTokenStoreOptions extends StoreOfKindOptions {
  /** Read for `OAUTHCTL_STORE`. */
  env: NodeJS.ProcessEnv
  /** Receives the one-line fallback warning (no trailing newline); write it to stderr. */
  warn: (line: string) => void
  /**
   * A store chosen explicitly by the caller (e.g. a `--store` flag); it wins over `OAUTHCTL_STORE`.
   * `keyring` here behaves like `OAUTHCTL_STORE=keyring`: probed, and no fallback.
   */
  preferred?: StoreKind
}

/**
 * Reads `OAUTHCTL_STORE`: `keyring`, `file`, `auto`, or unset/empty (auto).
 *
 * @throws ConfigError (exit 3) for any other value, naming the variable and the allowed values.
 */
export function storeModeFromEnv(env: NodeJS.ProcessEnv): StoreMode {
  const value = env[STORE_ENV_VAR]
  if (value === undefined || value === '' || value === 'auto') return 'auto'
  if (value === 'keyring' || value === 'file') return value
  throw new ConfigError(`${STORE_ENV_VAR} must be "keyring", "file" or unset (automatic), not ${JSON.stringify(value)}`, {
    hint: `Set ${STORE_ENV_VAR}=keyring or ${STORE_ENV_VAR}=file, or unset it to use the OS keyring when there is one.`,
  })
}

/**
 * Opens the store new secrets should go to.
 *
 * - `file`: the 0600 file store, no keyring involved.
 * - `keyring`: the OS keyring, probed once; if it does not work, a {@link CredentialStoreError} (exit 6) and
 *   no fallback, because the user asked for the keyring explicitly.
 * - auto: the OS keyring if the probe works, otherwise the file store after exactly one call to `warn`.
 *
 * A login should record `store.kind`; later reads of that login go through {@link openStoreOfKind}, never
 * through this function, so that they cannot land in a different store than the one written.
 */
export async function openTokenStore(options: OpenTokenStoreOptions): Promise<TokenStore> {
  const mode: StoreMode | 'memory' = options.preferred ?? storeModeFromEnv(options.env)
  if (mode === 'file' || mode === 'memory') return openStoreOfKind(mode, options)

  const keyring = new KeyringTokenStore({timeoutMs: options.keyringTimeoutMs, keyring: keyringOf(options)})
  try {
    await keyring.probe()
    return keyring
  } catch (error) {
    if (!(error instanceof KeyringUnavailableError)) throw error
    if (mode === 'keyring') {
      const source = options.preferred ? 'the keyring store was requested explicitly' : `${STORE_ENV_VAR}=keyring is set`
      throw new CredentialStoreError(error.message, {
        hint: `${source}, so oauthctl does not fall back to a file. Unlock or start the OS keyring, or set ${STORE_ENV_VAR}=file.`,
        cause: error,
      }, error.code)
    }
    const file = openStoreOfKind('file', options)
    options.warn(keyringFallbackWarning(error.reason, file.location))
    return file
  }
}

/** The one line that says the keyring is not used and where tokens go instead. */
export function keyringFallbackWarning(reason: string, location: string): string {
  return `warning: OS keyring unavailable (${reason}); storing tokens in ${location} (mode 0600). Set ${STORE_ENV_VAR}=file to silence this.`
}

/**
 * Opens a store of a known kind without probing it: for reading or deleting the secrets of a login that
 * recorded where they were written. A `memory` store is new and empty every time.
 */
export function openStoreOfKind(kind: StoreKind, options: StoreOfKindOptions): TokenStore {
  switch (kind) {
    case 'file':
      return new FileTokenStore({configDir: options.configDir})
    case 'keyring':
      return new KeyringTokenStore({timeoutMs: options.keyringTimeoutMs, keyring: keyringOf(options)})
    case 'memory':
      return new MemoryTokenStore()
  }
}

/** The keyring a store reads and writes: the caller's, or {@link defaultKeyringLoader} (fast reads on Linux). */
function keyringOf(options: StoreOfKindOptions): KeyringBackend | KeyringLoader {
  return options.keyring ?? defaultKeyringLoader({timeoutMs: options.keyringTimeoutMs, takeEarlyBus: options.takeEarlyBus})
}
