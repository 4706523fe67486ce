import {loginKey, updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {NotLoggedInError} from '../errors.js'
import {hintRecordFor, loginCommand, type Target} from './session.js'
import {checkProfileName} from '../util/profile-name.js'

/**
 * `oauthctl switch <provider> [profile]`: makes a stored login the default for commands that name no
 * provider, and its profile the default of that provider. Without a profile: the provider's current
 * default profile, else `default`, else its only (or first) login.
 * @throws NotLoggedInError (exit 4) when there is no such login.
 */
export async function switchDefault(ctx: Context, input: {provider: string; profile?: string}): Promise<Target> {
  if (input.profile !== undefined) checkProfileName(input.profile)
  const config = ctx.config()
  const relogin = (profile: string) => loginCommand({provider: input.provider, profile}, hintRecordFor(config, {provider: input.provider, profile}))
  const profiles = Object.values(config.logins ?? {})
    .filter((record) => record.provider === input.provider)
    .map((record) => record.profile)
    .sort()
  if (profiles.length === 0) {
    throw new NotLoggedInError(`not logged in to ${input.provider}`, {
      suggest: {wrong: input.provider, candidates: [...new Set(Object.values(config.logins ?? {}).map((record) => record.provider))]},
      hint: `Run: ${relogin(input.profile ?? 'default')}`,
    })
  }
  let profile = input.profile
  if (profile === undefined) {
    const current = config.defaultProfiles?.[input.provider]
    profile = current && profiles.includes(current) ? current : profiles.includes('default') ? 'default' : profiles[0]
  } else if (!profiles.includes(profile)) {
    throw new NotLoggedInError(`not logged in to ${input.provider} with profile ${profile}`, {
      suggest: {wrong: profile, candidates: profiles},
      hint: `Logged-in profiles: ${profiles.join(', ')}. Or run: ${relogin(profile)}`,
    })
  }
  const chosen = profile
  await updateConfig(ctx.configDir, (fresh) => {
    fresh.defaultProvider = input.provider
    fresh.defaultProfiles = {...fresh.defaultProfiles, [input.provider]: chosen}
  })
  return {provider: input.provider, profile: chosen, key: loginKey(input.provider, chosen)}
}
