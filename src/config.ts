import {join} from 'node:path'
import {ConfigError} from './errors.js'
import {configFile, lockDir} from './paths.js'
import {checkProviderEntry} from './providers/custom.js'
import type {StoreKind} from './store/token-store.js'
import {createDictionary, parseJsonSafely} from './util/safe-object.js'
import {readStateFileSync} from './util/state-path.js'

/**
 * Non-secret state, in `<config dir>/config.json`. Reads are a plain, prototype-safe JSON parse (the hot
 * `token` path must stay light); writes are atomic (temp file, fsync, rename) under a cross-process lock,
 * as a read-modify-write of the freshest file. Neither follows a symbolic link at `config.json`.
 */

/** What oauthctl remembers about one login: never a secret. */
export interface LoginRecord {
  provider: string
  profile: string
  /** Which secret store holds the tokens. */
  store: StoreKind
  subject?: string
  name?: string
  email?: string
  scopes: string[]
  /** Epoch ms; mirrors the secret record, for `status`. */
  expiresAt?: number
  obtainedAt: number
  hasRefreshToken: boolean
  /** How the tokens were obtained (`authorization_code`, `device_code`, `client_credentials`, `import`). */
  grant: string
  clientId?: string
  /**
   * A JWT client authentication method (RFC 7523 §2.2) this login's client uses, kept with the login
   * because the provider's setting may name another client's method; refreshes and renewals use it.
   */
  clientAuth?: 'private_key_jwt' | 'client_secret_jwt' | 'tls_client_auth' | 'self_signed_tls_client_auth'
  /** The tokens are bound to the TLS client certificate kept with them (RFC 8705 §3: `cnf.x5t#S256`). */
  certificateBound?: boolean
  /** A JWT bearer login (RFC 7523 §2.1) whose assertion oauthctl signed, and signs anew to renew it. */
  assertionSigned?: boolean
  /** API base learned at login (Salesforce `instance_url`), overriding the preset's. */
  apiBase?: string
  /** `DPoP` for a DPoP-bound login (RFC 9449; its key is in the secret store); absent means Bearer. */
  tokenType?: string
  /** RFC 8707 resource indicators the login asked for; sent again on every refresh. */
  resources?: string[]
  /** RFC 9396 authorization details the token response said were granted. */
  authorizationDetails?: Record<string, unknown>[]
  /**
   * Provider options this login was made with (`--tenant`, `--domain`, `--host`, by option key): its
   * refreshes, API calls and re-consents reach the same tenant even when another login changed the saved ones.
   */
  optionValues?: Record<string, string>
  /**
   * The loopback port `--port` put in this login's redirect_uri (RFC 8252 §7.3). A provider that matches
   * the registered redirect URI exactly (port included, as LinkedIn does) refuses any other, so a re-consent
   * (`refresh --scope` wider) listens there again and the login command in hints names it.
   */
  port?: number
}

export interface ConfigData {
  /** Provider used when a command names none. */
  defaultProvider?: string
  /** Profile used for a provider when a command names none. */
  defaultProfiles?: Record<string, string>
  /** Custom providers and overrides of built-in presets (see `oauthctl providers`). */
  providers?: Record<string, Record<string, unknown>>
  /** Keyed by {@link loginKey}. */
  logins?: Record<string, LoginRecord>
  /** Registry host -> login, for `oauthctl docker-credential` (written by `oauthctl setup-docker`). */
  dockerRegistries?: Record<string, DockerRegistryLogin>
  /** `oauthctl setup-git`: which login answers git for a host (`github.com`, `gitlab.example.com:8443`). */
  gitHosts?: Record<string, GitHostLogin>
}

/** The login `oauthctl git-credential` uses for one host, and the user name that host expects. */
export interface GitHostLogin {
  provider: string
  /** Absent: the provider's default profile at the time git asks. */
  profile?: string
  username: string
}

/** Which login answers docker's credential helper for one registry, and the user name it sends. */
export interface DockerRegistryLogin {
  provider: string
  profile: string
  username: string
}

export const DEFAULT_PROFILE = 'default'

export function loginKey(provider: string, profile: string): string {
  return `${provider}:${profile}`
}

/**
 * Reads and checks config.json; a missing file is an empty config, a corrupt one a clear error (exit 3).
 * A login record that is broken (hand-edited, or written by an older oauthctl from a hostile token
 * response) does not make the whole file unreadable: it is left out, reported through `warn` (file and
 * key), and the other logins keep working.
 */
export function readConfig(dir: string, warn?: (line: string) => void): ConfigData {
  const {config, skipped} = loadConfig(dir)
  for (const problem of Object.values(skipped)) warn?.(problem.message)
  return config
}

interface SkippedLogin {
  /** The record as found in the file, written back unchanged by {@link updateConfig}. */
  raw: unknown
  message: string
}

function loadConfig(dir: string): {config: ConfigData; skipped: Record<string, SkippedLogin>} {
  const file = configFile(dir)
  let text: string
  try {
    // A symbolic link planted at config.json is refused (ELOOP), never read through.
    text = readStateFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {config: {}, skipped: {}}
    const symlink = (error as NodeJS.ErrnoException).code === 'ELOOP'
    throw new ConfigError(
      symlink
        ? `cannot read ${file}: it is a symbolic link, and oauthctl does not follow links in its state directory`
        : `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      {
        hint: symlink
          ? `Replace the link with the file itself (or remove ${file} to start over), then try again.`
          : 'Fix the permissions of that file and its directory, or set OAUTHCTL_CONFIG_DIR to a usable directory.',
      },
    )
  }
  let data: unknown
  try {
    data = parseJsonSafely(text)
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message})`, {
      hint: `Fix the file by hand, or move it away to start over (your tokens in the keyring are not touched).`,
    })
  }
  validateConfig(data, file)
  const skipped: Record<string, SkippedLogin> = {}
  for (const [key, login] of Object.entries(data.logins ?? {})) {
    const problem = checkLoginRecord(login)
    if (!problem) continue
    const provider = isObject(login) && typeof login.provider === 'string' ? login.provider : key.split(':')[0]
    skipped[key] = {
      raw: login,
      message:
        `${file}: login ${JSON.stringify(key)} is skipped: "${['logins', key, problem.field].filter(Boolean).join('.')}" must be ${problem.expected}. ` +
        `Run \`oauthctl login ${provider}\` to replace it, or remove that key.`,
    }
    delete (data.logins as Record<string, unknown>)[key]
  }
  return {config: withDictionaries(data), skipped}
}

/**
 * The maps keyed by names (providers, logins, default profiles) without a prototype, so that looking up
 * a name such as `constructor` finds nothing rather than an inherited member. parseJsonSafely has already
 * dropped `__proto__`, `constructor` and `prototype` members.
 */
function withDictionaries(config: ConfigData): ConfigData {
  for (const key of ['defaultProfiles', 'providers', 'logins', 'dockerRegistries', 'gitHosts'] as const) {
    const map = config[key] as Record<string, never> | undefined
    if (map !== undefined) config[key] = createDictionary(Object.entries(map))
  }
  return config
}

function validateConfig(data: unknown, file: string): asserts data is ConfigData {
  const fail = (key: string, expected: string): never => {
    throw new ConfigError(`${file}: "${key}" must be ${expected}`, {
      hint: 'Fix that key by hand or remove it; oauthctl does not overwrite a config it cannot read.',
    })
  }
  if (!isObject(data)) fail('(top level)', 'a JSON object')
  const config = data as Record<string, unknown>
  if (config.defaultProvider !== undefined && typeof config.defaultProvider !== 'string') {
    fail('defaultProvider', 'a string')
  }
  for (const key of ['defaultProfiles', 'providers', 'logins', 'dockerRegistries', 'gitHosts'] as const) {
    if (config[key] !== undefined && !isObject(config[key])) fail(key, 'an object')
  }
  for (const [host, entry] of Object.entries((config.gitHosts ?? {}) as Record<string, unknown>)) {
    if (!isObject(entry)) fail(`gitHosts.${host}`, 'an object')
    const record = entry as Record<string, unknown>
    for (const field of ['provider', 'username'] as const) {
      if (typeof record[field] !== 'string') fail(`gitHosts.${host}.${field}`, 'a string')
    }
    if (record.profile !== undefined && typeof record.profile !== 'string') fail(`gitHosts.${host}.profile`, 'a string')
  }
  for (const [name, profile] of Object.entries((config.defaultProfiles ?? {}) as Record<string, unknown>)) {
    if (typeof profile !== 'string') fail(`defaultProfiles.${name}`, 'a string')
  }
  for (const [name, provider] of Object.entries((config.providers ?? {}) as Record<string, unknown>)) {
    const problem = checkProviderEntry(name, provider)
    if (problem) fail(problem.key, problem.expected)
  }
  validateDockerRegistries((config.dockerRegistries ?? {}) as Record<string, unknown>, fail)
}

function validateDockerRegistries(registries: Record<string, unknown>, fail: (key: string, expected: string) => never): void {
  for (const [host, entry] of Object.entries(registries)) {
    if (!isObject(entry)) fail(`dockerRegistries.${host}`, 'an object')
    for (const field of ['provider', 'profile', 'username'] as const) {
      if (typeof (entry as Record<string, unknown>)[field] !== 'string') fail(`dockerRegistries.${host}.${field}`, 'a string')
    }
  }
}

/** The largest epoch-milliseconds value a Date can hold (ECMAScript §21.4.1.1). */
const MAX_TIME_MS = 8.64e15

/** What is wrong with one login record, if anything. */
function checkLoginRecord(login: unknown): {field: string; expected: string} | undefined {
  if (!isObject(login)) return {field: '', expected: 'an object'}
  for (const field of ['provider', 'profile', 'store'] as const) {
    if (typeof login[field] !== 'string') return {field, expected: 'a string'}
  }
  if (!['keyring', 'file', 'memory'].includes(login.store as string)) return {field: 'store', expected: '"keyring" or "file"'}
  if (!Array.isArray(login.scopes)) return {field: 'scopes', expected: 'an array'}
  if (login.tokenType !== undefined && login.tokenType !== 'DPoP' && login.tokenType !== 'Bearer') return {field: 'tokenType', expected: '"DPoP" or "Bearer"'}
  if (login.resources !== undefined && !(Array.isArray(login.resources) && login.resources.every((item) => typeof item === 'string'))) {
    return {field: 'resources', expected: 'an array of strings'}
  }
  if (login.optionValues !== undefined && !(isObject(login.optionValues) && Object.values(login.optionValues).every((value) => typeof value === 'string'))) {
    return {field: 'optionValues', expected: 'an object of strings'}
  }
  if (login.port !== undefined && !(Number.isInteger(login.port) && (login.port as number) >= 1 && (login.port as number) <= 65_535)) {
    return {field: 'port', expected: 'a TCP port from 1 to 65535'}
  }
  for (const field of ['expiresAt', 'obtainedAt'] as const) {
    const value = login[field]
    if (value !== undefined && !(typeof value === 'number' && Math.abs(value) <= MAX_TIME_MS)) {
      return {field, expected: 'a time in milliseconds since 1970'}
    }
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Creates the config dir (0700) if needed and makes sure oauthctl can write there (exit 3 otherwise): it
 * must be a directory of the current user, not a symbolic link, and writable.
 */
export async function assertWritableConfigDir(dir: string): Promise<void> {
  const [{ensurePrivateDir}, {access, constants}, {fsReason, stateError, UnsafeStatePathError}] = await Promise.all([
    import('./util/atomic-write.js'),
    import('node:fs/promises'),
    import('./util/state-path.js'),
  ])
  try {
    await ensurePrivateDir(dir)
    await access(dir, constants.W_OK)
  } catch (error) {
    if (error instanceof UnsafeStatePathError) throw stateError(error, 'config', 'use the config directory', dir)
    const code = (error as NodeJS.ErrnoException).code
    const reason = fsReason(error)
    const detail = code ? ` (${code})${reason ? `: ${reason}` : ''}` : `: ${(error as Error).message}`
    throw new ConfigError(`cannot write oauthctl's state to ${dir}${detail}`, {
      hint: 'Fix the permissions of that directory, or set OAUTHCTL_CONFIG_DIR to a writable one.',
      cause: error,
    })
  }
}

/**
 * Applies `mutate` to the freshest config and writes it atomically, holding the config lock so that two
 * processes never lose each other's update. `mutate` may be async: whatever it writes elsewhere (a login's
 * secrets) happens under the same lock, after the wait, so an interrupted wait has written nothing.
 *
 * @throws ConfigError (exit 3) when the config dir, `config.json` or the lock cannot be used (a symbolic
 * link, another user's directory, a full or read-only disk); InterruptedError (exit 130) on Ctrl-C while
 * waiting for the lock.
 */
export async function updateConfig(dir: string, mutate: (config: ConfigData) => void | Promise<void>): Promise<ConfigData> {
  const [{withLock}, {ensurePrivateDir, writeFileAtomic}, {stateError}] = await Promise.all([
    import('./util/lock.js'),
    import('./util/atomic-write.js'),
    import('./util/state-path.js'),
  ])
  try {
    await ensurePrivateDir(dir)
  } catch (error) {
    throw stateError(error, 'config', 'use the config directory', dir)
  }
  const file = configFile(dir)
  return withLock(
    join(lockDir(dir), 'config.lock'),
    async () => {
      const {config, skipped} = loadConfig(dir)
      await mutate(config)
      // A broken login record is never rewritten or dropped behind the user's back, unless this update
      // replaced it (a new login of that provider and profile).
      for (const [key, {raw}] of Object.entries(skipped)) {
        config.logins ??= createDictionary([])
        if (!Object.hasOwn(config.logins, key)) config.logins[key] = raw as LoginRecord
      }
      try {
        await writeFileAtomic(file, `${JSON.stringify(config, undefined, '\t')}\n`, {mode: 0o600})
      } catch (error) {
        throw stateError(error, 'config', 'write the config file', file)
      }
      return config
    },
    {area: 'config'},
  )
}
