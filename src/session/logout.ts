import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {AuthorizationError} from '../errors.js'
import {revokeLoginTokens} from './revoke-login.js'
import type {RevocationOutcome} from './revoke.js'
import {loadLogin, resolveTarget, type Target} from './session.js'

export interface LogoutInput {
  provider?: string
  profile?: string
  /** Revoke the tokens at the provider first (RFC 7009 or the provider's own API). Default: no. */
  revoke?: boolean
  /** A failed revocation is an error (exit 5) and the local copy is kept, so that it can be retried. */
  strict?: boolean
}

export interface LogoutResult extends Target {
  revocation?: RevocationOutcome
}

/**
 * Removes a login: revokes its tokens at the provider when asked (a failure is a warning, or with
 * `strict` an error that keeps everything), then its secrets from the store it used, then its record;
 * the default moves to another remaining login of the same provider, or is cleared.
 */
export async function logout(ctx: Context, input: LogoutInput): Promise<LogoutResult> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  const login = await loadLogin(ctx, target, config)
  const revocation = input.revoke ? await revokeLoginTokens(ctx, login, {strict: input.strict}) : undefined
  if (revocation?.status === 'failed' && input.strict) {
    throw new AuthorizationError(`could not revoke the ${target.provider} tokens: ${revocation.reason}`, {
      hint: 'The login was kept so that you can retry; `oauthctl logout --no-revoke` forgets it without revoking.',
    }, 'revocation_failed')
  }
  await login.store.delete(target.key)
  const {forgetRpts} = await import('../http/uma.js')
  await forgetRpts(login.store, login)
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
  return {...target, revocation}
}
