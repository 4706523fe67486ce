import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
import type {ProviderEntry} from './custom.js'
import {BUILTIN_NAMES} from './presets.js'
import {resolveProvider} from './registry.js'
import {deleteClientSecret} from './client-secret.js'
import {logout} from '../session/logout.js'

export interface RemoveProviderResult {
  name: string
  /** `custom`: the provider is gone; `override`: the built-in preset is back to its defaults. */
  removed: 'custom' | 'override'
  /** Profiles that were logged out first (`--force`). */
  loggedOut: string[]
}

/**
 * `oauthctl providers remove <name>`: forgets a custom provider (or your settings for a built-in one) and
 * the client secret kept for it. While a login uses the provider this is refused (its refreshes would go
 * nowhere), unless `force`, which logs every profile out first.
 */
export async function removeProvider(ctx: Context, input: {name: string; force: boolean}): Promise<RemoveProviderResult> {
  const config = ctx.config()
  const entry = config.providers?.[input.name] as ProviderEntry | undefined
  if (!entry) {
    if (BUILTIN_NAMES.includes(input.name)) {
      throw new ConfigError(`"${input.name}" is a built-in preset with no settings of yours: there is nothing to remove`)
    }
    resolveProvider(input.name, config, ctx.env) // unknown provider: exit 3 with the known names
  }
  const profiles = Object.values(config.logins ?? {})
    .filter((record) => record.provider === input.name)
    .map((record) => record.profile)
  if (profiles.length > 0 && !input.force) {
    throw new ConfigError(`still logged in to ${input.name} (profile${profiles.length > 1 ? 's' : ''} ${profiles.join(', ')})`, {
      hint: `Log out first (oauthctl logout ${input.name}${profiles[0] === 'default' ? '' : ` --profile ${profiles[0]}`}), or pass --force to log out and remove.`,
    })
  }
  for (const profile of profiles) await logout(ctx, {provider: input.name, profile})
  if (entry?.clientId) {
    const store = await ctx.openStore()
    await deleteClientSecret(store, input.name, entry.clientId)
  }
  await updateConfig(ctx.configDir, (fresh) => {
    if (fresh.providers) delete fresh.providers[input.name]
  })
  return {name: input.name, removed: BUILTIN_NAMES.includes(input.name) ? 'override' : 'custom', loggedOut: profiles}
}
