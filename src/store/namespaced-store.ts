import type {TokenSecrets, TokenStore} from './token-store.js'

/**
 * The OS keyring is one per user, but oauthctl state can be isolated per `OAUTHCTL_CONFIG_DIR`. Keyring
 * accounts of a non-default config dir carry that dir as a suffix (`sandbox:default@/tmp/x`), so two
 * isolated setups (tests, demos, CI jobs) never read or overwrite each other's tokens.
 */
export function keyringNamespace(configDir: string, defaultConfigDir: string): string {
  return configDir === defaultConfigDir ? '' : `@${configDir}`
}

export function namespacedStore(store: TokenStore, suffix: string): TokenStore {
  if (!suffix) return store
  return {
    kind: store.kind,
    location: store.location,
    get: (key: string): Promise<TokenSecrets | undefined> => store.get(key + suffix),
    set: (key: string, secrets: TokenSecrets): Promise<void> => store.set(key + suffix, secrets),
    delete: (key: string): Promise<boolean> => store.delete(key + suffix),
    ...(store.checkWritable ? {checkWritable: (key: string, bytes: number) => store.checkWritable!(key + suffix, bytes)} : {}),
  }
}
