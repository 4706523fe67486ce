import type {Browser} from './callback/browser.js'
import type {CallbackServer, CallbackServerOptions} from './callback/callback-server.js'
import {readConfig, type ConfigData} from './config.js'
import type {OauthctlError} from './errors.js'
import {createProcessIO, type IO} from './io.js'
import {resolveConfigDir} from './paths.js'
import {keyringNamespace, namespacedStore} from './store/namespaced-store.js'
import {redact} from './redact.js'
import {DEFAULT_TIMEOUTS, type HttpTimeouts} from './http/timeouts.js'
import type {StoreKind, TokenStore} from './store/token-store.js'
import type {SecretServiceBus} from './store/secret-service-bus.js'

/**
 * Everything a flow needs from the outside world. Commands build one with {@link createContext}; tests
 * pass fakes (an in-memory store, a browser that follows redirects over HTTP, a fixed clock).
 * Heavy modules (keyring, HTTP callback server, browser opener) are loaded on first use only.
 */
export interface Context {
  env: NodeJS.ProcessEnv
  configDir: string
  io: IO
  now(): number
  /** oauthctl's HTTP client (node:http), with {@link Context.timeouts}. */
  fetch: typeof fetch
  /** Connect and idle timeouts of every request `fetch` makes (the API commands' --timeout flags set them). */
  timeouts: HttpTimeouts
  debugEnabled: boolean
  /**
   * A token given by `OAUTHCTL_TOKEN` or `--token`: used as is, no store is read or written, no refresh
   * (for CI jobs that get their token elsewhere).
   */
  tokenOverride?: string
  /** Redacted diagnostics on stderr, only with --debug. */
  debug(line: string): void
  config(): ConfigData
  /** The store a new login goes to (keyring, or the file store with a warning when it is unavailable). */
  openStore(): Promise<TokenStore>
  /** The store an existing login recorded. */
  openStoreOfKind(kind: StoreKind): Promise<TokenStore>
  /** The browser opener; its failures go to `warn` (default: a warning on stderr). */
  browser(warn?: (line: string) => void): Promise<Browser>
  startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer>
  /** Aborted on SIGINT/SIGTERM once {@link Context.trapInterrupts} was called. */
  signal: AbortSignal
  trapInterrupts(): void
  /**
   * A failure found after the command could still do its work (refreshed tokens that could not be saved):
   * the command finishes, then exits with this error.
   */
  pendingError?: OauthctlError
}

export interface ContextOverrides extends Partial<Omit<Context, 'config'>> {
  /**
   * The session bus connection bin/run.js opened before the fast path loaded (store/early-bus.ts), taken over:
   * the first keyring read of a stored login uses it. The context's owner closes it when the command ends.
   */
  secretServiceBus?: SecretServiceBus
}

export function createContext({secretServiceBus, ...overrides}: ContextOverrides = {}): Context {
  const env = overrides.env ?? process.env
  const io = overrides.io ?? createProcessIO()
  const configDir = overrides.configDir ?? resolveConfigDir(env)
  const debugEnabled = overrides.debugEnabled ?? env.OAUTHCTL_DEBUG === '1'
  // Made on first use: AbortController loads a module `oauthctl token` with a stored token never needs.
  let controller: AbortController | undefined
  const control = (): AbortController => (controller ??= new AbortController())
  let trapped = false
  let stores: Promise<TokenStore> | undefined
  const warned = new Set<string>()
  const namespace = keyringNamespace(configDir, resolveConfigDir({...env, OAUTHCTL_CONFIG_DIR: ''}))
  const scoped = (store: TokenStore): TokenStore => (store.kind === 'keyring' ? namespacedStore(store, namespace) : store)
  let earlyBus = secretServiceBus
  const takeEarlyBus = (): SecretServiceBus | undefined => {
    const bus = earlyBus
    earlyBus = undefined
    return bus
  }
  const ctx: Context = {
    env,
    io,
    configDir,
    now: Date.now,
    // node:http rather than the built-in fetch: see src/http/node-fetch.ts for the ~70 ms it saves a call.
    // This context's signal only ever aborts after trapInterrupts(); until then node:http is not given it
    // (its abort wiring costs ~0.7 ms of every `oauthctl get`, which never traps interrupts).
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      import('./http/node-fetch.js').then(({nodeFetch}) =>
        nodeFetch(input, !trapped && init?.signal && init.signal === controller?.signal ? {...init, signal: undefined} : init, ctx.timeouts),
      )) as typeof fetch,
    timeouts: {...DEFAULT_TIMEOUTS},
    debugEnabled,
    tokenOverride: env.OAUTHCTL_TOKEN || undefined,
    debug(line) {
      if (ctx.debugEnabled) io.say(`debug: ${redact(line)}`)
    },
    // A broken login record is reported once per process, however often the config is read.
    config: () => readConfig(configDir, (line) => {
      if (warned.has(line)) return
      warned.add(line)
      io.warn(line)
    }),
    openStore() {
      stores ??= import('./store/select-store.js').then(({openTokenStore}) =>
        openTokenStore({configDir, env, warn: (line: string) => io.warn(line)}).then(scoped),
      )
      return stores
    },
    async openStoreOfKind(kind) {
      const {openStoreOfKind} = await import('./store/select-store.js')
      return scoped(openStoreOfKind(kind, {configDir, takeEarlyBus}))
    },
    async browser(warn) {
      const {createBrowser} = await import('./callback/browser.js')
      return createBrowser(env, warn ?? ((line) => io.warn(line)))
    },
    async startCallbackServer(options) {
      const {startCallbackServer} = await import('./callback/callback-server.js')
      return startCallbackServer(options)
    },
    get signal() {
      return control().signal
    },
    trapInterrupts() {
      trapped = true
      const abort = () => control().abort()
      process.once('SIGINT', abort)
      process.once('SIGTERM', abort)
    },
    ...overrides,
  }
  return ctx
}
