import {DEFAULT_PROFILE, loginKey, updateConfig, type ConfigData, type LoginRecord} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError, CredentialStoreError, InterruptedError, NotLoggedInError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {resolveProvider} from '../providers/registry.js'
import {withClientId} from '../providers/quirks.js'
import {configFile} from '../paths.js'
import {registerSecret} from '../redact.js'
import {checkProfileName} from '../util/profile-name.js'
import type {TokenSecrets, TokenStore} from '../store/token-store.js'

/** Which login a command acts on. */
export interface Target {
  provider: string
  profile: string
  key: string
}

/** A token is refreshed when it expires within this window (or within half its lifetime, when shorter). */
export const REFRESH_AHEAD_MS = 60_000

/**
 * How long before expiry a token is refreshed: 60 s, but never more than half of the token's lifetime, so
 * that a 10-second token that another process has just refreshed is used rather than refreshed again.
 * Records written before the issue time was stored get the plain 60 s.
 */
export function refreshWindowMs(secrets: TokenSecrets): number {
  if (secrets.expiresAt === undefined || secrets.obtainedAt === undefined) return REFRESH_AHEAD_MS
  return Math.max(0, Math.min(REFRESH_AHEAD_MS, (secrets.expiresAt - secrets.obtainedAt) / 2))
}

/**
 * The exact command that logs this target in, for hints. `record` is the target's login when there is one:
 * its fixed `--port` is named, since a provider that matches the registered redirect URI exactly refuses a
 * login on any other port (RFC 8252 §7.3). It is required so that no hint can forget it; pass `undefined`
 * only where no login exists.
 */
export function loginCommand(target: {provider: string; profile: string}, record: Pick<LoginRecord, 'port'> | undefined): string {
  const port = record?.port === undefined ? '' : ` --port ${record.port}`
  return `oauthctl login ${target.provider}${target.profile === DEFAULT_PROFILE ? '' : ` --profile ${target.profile}`}${port}`
}

/**
 * What a hint's {@link loginCommand} is built from: the target's own login record; for a target not logged
 * in, the fixed `--port` that every login of the same provider was made with (the redirect URI registered
 * at the provider names one port, and a new profile must listen there too), else none.
 */
export function hintRecordFor(config: ConfigData, target: {provider: string; profile: string}): Pick<LoginRecord, 'port'> | undefined {
  const own = config.logins?.[loginKey(target.provider, target.profile)]
  if (own) return own
  const ports = new Set(Object.values(config.logins ?? {}).filter((record) => record.provider === target.provider).map((record) => record.port))
  const [port] = ports
  return ports.size === 1 && port !== undefined ? {port} : undefined
}

/**
 * Resolves the provider and profile a command means: the ones named, else the defaults set by the last
 * login or `switch`, else the only stored login.
 */
export function resolveTarget(config: ConfigData, provider?: string, profile?: string, tokenOverride?: string): Target {
  let name = provider ?? config.defaultProvider
  if (!name) {
    const logins = Object.values(config.logins ?? {})
    if (logins.length === 1) name = logins[0].provider
  }
  if (!name) {
    if (tokenOverride) {
      throw new ConfigError('a token was given (OAUTHCTL_TOKEN or --token) but no provider', {
        hint: 'Name the provider whose API it is for, e.g. `-p github` (or `oauthctl token github`).',
      })
    }
    throw new NotLoggedInError('not logged in to any provider', {
      hint: 'Run `oauthctl login <provider>` first (try `oauthctl login sandbox` with `oauthctl sandbox` running).',
    })
  }
  const chosen = (profile === undefined ? undefined : checkProfileName(profile)) ?? config.defaultProfiles?.[name] ?? DEFAULT_PROFILE
  return {provider: name, profile: chosen, key: loginKey(name, chosen)}
}

export interface LoadedLogin {
  target: Target
  preset: ProviderPreset
  record: LoginRecord
  store: TokenStore
  /**
   * Tokens refreshed by this process that the store refused to save (disk full, read-only folder): they
   * serve the rest of this command, which then exits 6 (see {@link Context.pendingError}).
   */
  unsaved?: TokenSecrets
}

/** The stored login for `target`, or exit 4 with the login command to run. */
export async function loadLogin(ctx: Context, target: Target, config = ctx.config()): Promise<LoadedLogin> {
  if (ctx.tokenOverride) return overrideLogin(ctx, target, config)
  // An unknown provider is a configuration error (exit 3), not "not logged in".
  const named = resolveProvider(target.provider, config, ctx.env)
  const record = config.logins?.[target.key]
  if (!record) {
    const profiles = Object.values(config.logins ?? {}).filter((login) => login.provider === target.provider).map((login) => login.profile)
    throw new NotLoggedInError(`not logged in to ${target.provider} (profile ${target.profile})`, {
      suggest: {wrong: target.profile, candidates: profiles},
      hint: `Run: ${loginCommand(target, hintRecordFor(config, target))}`,
    })
  }
  const store = await ctx.openStoreOfKind(record.store)
  // The login's own provider options (its tenant, domain, host) over the ones saved for the provider.
  const preset = record.optionValues ? resolveProvider(target.provider, config, ctx.env, record.optionValues) : named
  // Headers that carry the app's client id (Twitch `Client-Id`) are filled from the login.
  const ownAuth = record.clientAuth ? {...preset, clientAuth: record.clientAuth} : preset
  return {target, preset: withClientId(ownAuth, record.clientId), record, store}
}

/**
 * A login made of `OAUTHCTL_TOKEN` / `--token` alone: an in-memory store holding just that token, so no
 * keyring or file is touched and nothing is ever refreshed or saved.
 */
async function overrideLogin(ctx: Context, target: Target, config: ConfigData): Promise<LoadedLogin> {
  const preset = resolveProvider(target.provider, config, ctx.env)
  const {MemoryTokenStore} = await import('../store/memory-store.js')
  const store = new MemoryTokenStore()
  await store.set(target.key, {accessToken: ctx.tokenOverride as string})
  const record: LoginRecord = {
    provider: target.provider,
    profile: target.profile,
    store: 'memory',
    scopes: [],
    obtainedAt: ctx.now(),
    hasRefreshToken: false,
    grant: 'override',
  }
  return {target, preset, record, store}
}

/** Reads the secrets of a login; a record without secrets (deleted from the keyring by hand) is exit 4. */
export async function readSecrets(login: LoadedLogin): Promise<TokenSecrets> {
  const secrets = login.unsaved ?? (await login.store.get(login.target.key))
  if (!secrets) {
    throw new NotLoggedInError(
      `no stored token for ${login.target.provider} (profile ${login.target.profile}) in the ${login.store.kind} store`,
      {hint: `Run: ${loginCommand(login.target, login.record)}`},
    )
  }
  registerSecret(secrets.accessToken)
  registerSecret(secrets.refreshToken)
  registerSecret(secrets.clientSecret)
  registerSecret(secrets.dpopKey?.privateJwk.d)
  registerSecret(secrets.tokenSecret)
  registerSecret(secrets.clientCert?.key)
  return secrets
}

export function expiresWithin(secrets: TokenSecrets, now: number, windowMs: number): boolean {
  return secrets.expiresAt !== undefined && secrets.expiresAt - now <= windowMs
}

/** A saved login: its record, and the store that actually holds its secrets (after any fallback). */
export interface SavedLogin {
  record: LoginRecord
  store: TokenStore
}

/**
 * Saves a new login under the config lock: the secrets (one atomic value), then the non-secret record and
 * the defaults. Taking the lock first means a wait that is interrupted (Ctrl-C) or times out has written
 * nothing; if the record cannot be written after the secrets were (a full disk), the secrets are put back as
 * they were, so no token is ever left without its record.
 */
export async function saveLogin(
  ctx: Context,
  store: TokenStore,
  target: Target,
  secrets: TokenSecrets,
  record: Omit<LoginRecord, 'provider' | 'profile' | 'store' | 'expiresAt' | 'hasRefreshToken'>,
  options: {keepDefaults?: boolean} = {},
): Promise<SavedLogin> {
  let saved: SavedLogin | undefined
  let undo: (() => Promise<void>) | undefined
  try {
    await updateConfig(ctx.configDir, async (config) => {
      const written = await writeWithFallback(ctx, store, target.key, secrets)
      undo = written.undo
      const full: LoginRecord = {
        ...record,
        provider: target.provider,
        profile: target.profile,
        store: written.store.kind,
        expiresAt: secrets.expiresAt,
        hasRefreshToken: Boolean(secrets.refreshToken),
      }
      saved = {record: full, store: written.store}
      config.logins = {...config.logins, [target.key]: full}
      if (options.keepDefaults) return
      config.defaultProvider = target.provider
      config.defaultProfiles = {...config.defaultProfiles, [target.provider]: target.profile}
    })
  } catch (error) {
    await undo?.().catch((undoError: unknown) => ctx.debug(`could not restore the previous secrets of ${target.key}: ${String(undoError)}`))
    throw error
  }
  return saved as SavedLogin
}

/** Writes `secrets` and returns how to put back what `store` held for `key` before. */
async function setUndoably(store: TokenStore, key: string, secrets: TokenSecrets): Promise<() => Promise<void>> {
  const previous = await store.get(key).catch(() => undefined)
  await store.set(key, secrets)
  return async () => {
    if (previous) await store.set(key, previous)
    else await store.delete(key)
  }
}

/**
 * Writes new secrets. In automatic store mode a keyring that answered the probe but refuses the write (a
 * locked collection on a headless machine) falls back to the file store with the usual one-line warning,
 * instead of failing after the user has already logged in.
 */
async function writeWithFallback(
  ctx: Context,
  store: TokenStore,
  key: string,
  secrets: TokenSecrets,
): Promise<{store: TokenStore; undo: () => Promise<void>}> {
  try {
    return {store, undo: await setUndoably(store, key, secrets)}
  } catch (error) {
    const [{KeyringUnavailableError}, {keyringFallbackWarning, storeModeFromEnv}] = await Promise.all([
      import('../store/keyring-store.js'),
      import('../store/select-store.js'),
    ])
    if (store.kind !== 'keyring' || !(error instanceof KeyringUnavailableError) || storeModeFromEnv(ctx.env) !== 'auto') {
      throw error
    }
    const file = await ctx.openStoreOfKind('file')
    ctx.io.warn(keyringFallbackWarning(error.reason, file.location))
    return {store: file, undo: await setUndoably(file, key, secrets)}
  }
}

/**
 * Saves refreshed tokens: the secret record first (fsynced, atomic), then the expiry mirrored in
 * config.json. When the store refuses the write after the provider has already issued them, they are kept
 * in memory so the current command still succeeds, and the command then exits 6 with the reason.
 */
export async function saveRefreshedTokens(ctx: Context, login: LoadedLogin, next: TokenSecrets): Promise<void> {
  const {target} = login
  try {
    await login.store.set(target.key, next)
  } catch (error) {
    if (!(error instanceof CredentialStoreError)) throw error
    login.unsaved = next
    ctx.pendingError ??= new CredentialStoreError(
      `the refreshed ${target.provider} tokens could not be saved: ${error.message}; this command used them, but the stored refresh token has been spent`,
      {hint: `${error.hint ?? 'Fix the credential store.'} Then run: ${loginCommand(target, login.record)}`, cause: error},
      'refresh_not_saved',
    )
    return
  }
  try {
    await updateConfig(ctx.configDir, (config) => {
      const stored = config.logins?.[target.key]
      if (stored) {
        stored.expiresAt = next.expiresAt
        stored.hasRefreshToken = Boolean(next.refreshToken)
      }
    })
  } catch (error) {
    if (error instanceof InterruptedError) throw error
    // The tokens are safe; only the copy of the expiry that `status` shows is stale.
    ctx.io.warn(`the new tokens are saved, but ${configFile(ctx.configDir)} could not be updated (${(error as Error).message}); "oauthctl status" may show an old expiry`)
  }
}
