import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import type {ProviderEntry} from './custom.js'
import type {OptionValues} from './options.js'
import type {ClientAuthMethod, ProviderPreset} from './preset.js'
import {registerSecret} from '../redact.js'
import type {TokenStore} from '../store/token-store.js'

/**
 * Client secrets of the user's own apps live in the secret store, never in config.json: one entry per
 * provider and client id (`client:<provider>:<client id>`), so that a secret is only ever paired with the
 * client it was issued for. The client id itself is not secret and goes to the config.
 */
export function clientSecretKey(provider: string, clientId: string): string {
  return `client:${provider}:${clientId}`
}

/** The stored secret of `clientId` at `provider`, if one was given or registered before. */
export async function readClientSecret(store: TokenStore, provider: string, clientId: string): Promise<string | undefined> {
  const entry = await store.get(clientSecretKey(provider, clientId))
  registerSecret(entry?.clientSecret)
  return entry?.clientSecret || undefined
}

/**
 * Keeps a client secret for later logins. The store holds token records, so the secret rides in one with
 * an empty access token (the key's `client:` prefix can never collide with a `<provider>:<profile>` login).
 */
export async function storeClientSecret(store: TokenStore, provider: string, clientId: string, secret: string): Promise<void> {
  registerSecret(secret)
  // A private key kept for the same client (client-key.ts) stays beside the secret.
  const previous = await store.get(clientSecretKey(provider, clientId))
  await store.set(clientSecretKey(provider, clientId), {...(previous?.clientKey ? {clientKey: previous.clientKey} : {}), ...(previous?.clientCert ? {clientCert: previous.clientCert} : {}), accessToken: '', clientSecret: secret})
}

export async function deleteClientSecret(store: TokenStore, provider: string, clientId: string): Promise<boolean> {
  return store.delete(clientSecretKey(provider, clientId))
}

/**
 * After a successful login, remembers what the user typed so that later logins and refreshes need none of
 * it: a client id that differs from the preset's, provider options (`--tenant`, `--host`), and the secret
 * (in the store). Returns the human lines describing what was saved.
 */
export async function rememberLoginSettings(
  ctx: Context,
  store: TokenStore,
  preset: ProviderPreset,
  input: {clientId: string; clientIdGiven: boolean; clientSecret?: string; clientSecretGiven: boolean; options: OptionValues; clientAuth?: ClientAuthMethod},
): Promise<string[]> {
  const said: string[] = []
  if (input.clientSecret && input.clientSecretGiven) {
    await storeClientSecret(store, preset.name, input.clientId, input.clientSecret)
    said.push(`Client secret of ${input.clientId} kept in ${store.location} for later logins.`)
  }
  const saveId = input.clientIdGiven && input.clientId !== preset.clientId
  const saveOptions = Object.keys(input.options).length > 0
  const saveAuth = input.clientAuth !== undefined
  if (!saveId && !saveOptions && !saveAuth) return said
  await updateConfig(ctx.configDir, (config) => {
    const entry: ProviderEntry = {...(config.providers?.[preset.name] as ProviderEntry | undefined)}
    if (saveId) entry.clientId = input.clientId
    if (saveOptions) entry.optionValues = {...entry.optionValues, ...input.options}
    if (saveAuth) entry.clientAuth = input.clientAuth
    config.providers = {...config.providers, [preset.name]: entry as Record<string, unknown>}
  })
  if (saveId) said.push(`Client id ${input.clientId} saved for ${preset.name}.`)
  if (saveAuth) said.push(`Client authentication ${input.clientAuth} saved for ${preset.name}: refreshes use it too.`)
  if (saveOptions) {
    const flags = Object.entries(input.options).map(([key, value]) => `--${preset.options?.[key]?.flag ?? key} ${value}`)
    said.push(`Saved ${flags.join(' ')} for ${preset.name}: later logins, refreshes and API calls use it.`)
  }
  return said
}
