import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {NotLoggedInError} from '../errors.js'
import type {TokenSecrets} from '../store/token-store.js'
import {withLock} from '../util/lock.js'
import {refreshTokens} from './refresh.js'
import {refreshLockPath} from './access-token.js'
import {loadLogin, loginCommand, readSecrets, resolveTarget, type Target} from './session.js'
import {narrowResources, rememberResources} from './resource-refresh.js'

export interface ForceRefreshInput {
  provider?: string
  profile?: string
  /** `--scope`: the scopes wanted from now on (already split); undefined keeps the stored ones. */
  scopes?: string[]
  /** `--resource`: a subset of the login's resource indicators (RFC 8707), kept from now on. */
  resources?: string[]
  /** For a re-consent: seconds to wait for the browser, and whether to open it. */
  timeoutMs: number
  openBrowser: boolean
}

export interface ForceRefreshResult {
  target: Target
  /** `refresh`: a refresh_token grant; `narrowed`: one with a smaller `scope`; `reconsent`: a new login. */
  how: 'refresh' | 'narrowed' | 'reconsent'
  scopes: string[]
  expiresAt?: number
}

/**
 * `oauthctl refresh`, as `gh auth refresh`: gets new tokens now, whatever the expiry says. The same scopes:
 * a refresh_token grant under the login's cross-process refresh lock. Fewer scopes (a subset of the
 * granted ones): the same grant with `scope`, which may only narrow (RFC 6749 §6). Any other change needs
 * the user's consent again: a new browser login with those scopes for the same provider and profile.
 * @see RFC 6749 §6
 */
export async function forceRefresh(ctx: Context, input: ForceRefreshInput): Promise<ForceRefreshResult> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  const login = await loadLogin(ctx, target, config)
  if (login.preset.oauth1) {
    throw new NotLoggedInError(`the ${target.provider} login is OAuth 1.0a: its token does not expire and cannot be refreshed`, {
      hint: `It stays valid until revoked; to get a new one: ${loginCommand(target, login.record)}`,
    }, 'refresh_failed')
  }
  const resources = narrowResources(login, input.resources)
  const stored = login.record.scopes
  const wanted = input.scopes && input.scopes.length > 0 ? input.scopes : undefined
  const same = wanted === undefined || (wanted.length === stored.length && wanted.every((scope) => stored.includes(scope)))
  const narrower = !same && wanted!.every((scope) => stored.includes(scope))
  if (!same && !(narrower && login.record.hasRefreshToken)) {
    const {login: runLogin} = await import('../login/login.js')
    ctx.io.say(`The scopes change (${stored.join(' ') || 'none'} -> ${wanted!.join(' ')}): ${target.provider} must ask for consent again.`)
    const result = await runLogin(ctx, {
      target,
      scopes: wanted,
      timeoutMs: input.timeoutMs,
      openBrowser: input.openBrowser,
      clientId: login.record.clientId,
      optionValues: login.record.optionValues,
      // The redirect_uri must be the one registered: the same port as the original login (LoginRecord.port).
      port: login.record.port,
      request: {resources: resources ?? login.record.resources},
    })
    return {target, how: 'reconsent', scopes: result.record.scopes, expiresAt: result.record.expiresAt}
  }
  const next = await withLock(refreshLockPath(ctx, target), async (): Promise<TokenSecrets> => {
    const fresh = await readSecrets(login)
    if (!fresh.refreshToken && login.record.grant !== 'client_credentials') {
      throw new NotLoggedInError(`the ${target.provider} login (profile ${target.profile}) has no refresh token, so it cannot be refreshed`, {
        hint: `Log in again to get new tokens: ${loginCommand(target, login.record)}`,
      }, 'refresh_failed')
    }
    return refreshTokens(ctx, login, fresh, narrower ? wanted : undefined, resources)
  })
  if (resources) await rememberResources(ctx, target, resources)
  let scopes = stored
  if (narrower) {
    scopes = wanted!
    await updateConfig(ctx.configDir, (fresh) => {
      const record = fresh.logins?.[target.key]
      if (record) record.scopes = scopes
    })
  }
  return {target, how: narrower ? 'narrowed' : 'refresh', scopes, expiresAt: next.expiresAt}
}
