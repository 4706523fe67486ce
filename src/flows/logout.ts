import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {loadLogin, resolveTarget, type Target} from './session.js'

/**
 * Removes a login: its secrets from the store it used, then its record; the default moves to another
 * remaining login of the same provider, or is cleared.
 */
export async function logout(ctx: Context, input: {provider?: string; profile?: string}): Promise<Target> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  const login = await loadLogin(ctx, target, config)
  await login.store.delete(target.key)
  await updateConfig(ctx.configDir, (fresh) => {
    if (fresh.logins) delete fresh.logins[target.key]
    const remaining = Object.values(fresh.logins ?? {})
    if (fresh.defaultProfiles?.[target.provider] === target.profile) {
      const sibling = remaining.find((record) => record.provider === target.provider)
      if (sibling) fresh.defaultProfiles[target.provider] = sibling.profile
      else delete fresh.defaultProfiles[target.provider]
    }
    if (fresh.defaultProvider === target.provider && !remaining.some((record) => record.provider === target.provider)) {
      fresh.defaultProvider = remaining[0]?.provider
      if (fresh.defaultProvider === undefined) delete fresh.defaultProvider
    }
  })
  return target
}
