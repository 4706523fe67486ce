import {mtlsTarget} from '../oauth/mtls-target.js'
import type {Context} from '../context.js'
import {NotLoggedInError, OauthctlError} from '../errors.js'
import {checkAccessToken, tokenCheckUrl} from '../login/import-token.js'
import {introspectToken} from './introspect.js'
import {getAccessToken} from './access-token.js'
import {hintRecordFor, loadLogin, loginCommand, type Target} from './session.js'
import type {StatusEntry} from './status.js'
import {loginKey, type ConfigData} from '../config.js'
import {ApiUnreachableError, systemErrorCode} from '../http/retry.js'
import {describeOAuthError} from '../oauth/oauth-errors.js'

/** What `status --check` found for one login. `ok: null` when there was no way to check. */
export interface LoginCheck {
  ok: boolean | null
  /** How it was checked: OIDC `userinfo`, the provider's "me" `api` endpoint, or `introspection`. */
  method: 'userinfo' | 'api' | 'introspection' | 'refresh' | 'none'
  detail: string
  /** The provider could not be reached, so nothing is known about the token. */
  unreachable?: boolean
}

/**
 * Confirms that a stored login still works: gets a usable access token (refreshing or renewing it as
 * `token` would), then tries it at userinfo (when the login has `openid`), else the provider's "me"
 * endpoint, else introspection. Never throws for a login that fails: the failure is the result.
 */
export async function checkLogin(ctx: Context, target: Target): Promise<LoginCheck> {
  let login
  let secrets
  try {
    login = await loadLogin(ctx, target)
    secrets = await getAccessToken(ctx, login)
  } catch (error) {
    if (error instanceof ApiUnreachableError) return {ok: null, method: 'refresh', detail: `could not check: ${error.message}`, unreachable: true}
    if (error instanceof OauthctlError && !(error instanceof NotLoggedInError)) throw error
    return {ok: false, method: 'refresh', detail: (error as Error).message}
  }
  const {preset, record} = login
  const apiBase = record.apiBase ?? preset.apiBase
  const useUserinfo = Boolean(preset.userinfoEndpoint) && record.scopes.includes('openid')
  const url = useUserinfo ? preset.userinfoEndpoint : tokenCheckUrl(preset, apiBase)
  if (url) {
    const method = useUserinfo ? 'userinfo' : 'api'
    // OAuth 1.0a: the check is a signed request like any other API call.
    const sign = preset.oauth1 ? await (await import('../http/oauth1-client.js')).oauth1Authorization(login) : undefined
    const check = await checkAccessToken(ctx, preset, secrets.accessToken, url, secrets.dpopKey, sign && ((target) => sign('GET', new URL(target))), secrets.clientCert)
    // An mTLS login's userinfo request went to the endpoint's alias (RFC 8705 §5): name that one.
    const reached = mtlsTarget(preset, url, secrets.clientCert).url
    if (check.outcome === 'accepted') return {ok: true, method, detail: `accepted by ${reached}`}
    if (check.outcome === 'rejected') return {ok: false, method, detail: `rejected by ${reached} (${check.error ?? `HTTP ${check.status}`})`}
    // Not reachable, or an answer that says nothing about the token: that is not a broken login.
    if (!preset.introspectionEndpoint) return {ok: null, method, detail: `could not check: ${check.reason}`, unreachable: check.unreachable === true}
  }
  if (preset.introspectionEndpoint) {
    try {
      const result = await introspectToken(login, secrets, ctx.fetch)
      return result.active === true
        ? {ok: true, method: 'introspection', detail: 'active'}
        : {ok: false, method: 'introspection', detail: 'the provider says the token is not active'}
    } catch (error) {
      // A network failure proves nothing about the token; a refusal by the provider does.
      const system = systemErrorCode(error)
      if (system) {
        return {ok: null, method: 'introspection', detail: `could not check: ${preset.introspectionEndpoint} could not be reached (${system})`, unreachable: true}
      }
      return {ok: false, method: 'introspection', detail: describeOAuthError(error)}
    }
  }
  return {ok: null, method: 'none', detail: `${preset.displayName} has no userinfo, "me" or introspection endpoint to check against`}
}

/** Checks every listed login in turn; throws exit 4 afterwards when any check failed. */
export async function checkLogins(ctx: Context, entries: StatusEntry[]): Promise<Array<StatusEntry & {check: LoginCheck}>> {
  const checked: Array<StatusEntry & {check: LoginCheck}> = []
  for (const entry of entries) {
    const target = {provider: entry.provider, profile: entry.profile, key: loginKey(entry.provider, entry.profile)}
    checked.push({...entry, check: await checkLogin(ctx, target)})
  }
  return checked
}

/**
 * The error `status --check` ends with (after printing the report): exit 4 when a login no longer works,
 * else exit 7 when a provider could not be reached to check one, else none.
 */
export function failedCheckError(checked: Array<{provider: string; profile: string; check: LoginCheck}>, config: ConfigData): OauthctlError | undefined {
  const failed = checked.filter((entry) => entry.check.ok === false)
  if (failed.length === 0) {
    const unreachable = checked.filter((entry) => entry.check.unreachable)
    if (unreachable.length === 0) return undefined
    return new ApiUnreachableError(
      `could not reach the provider to check ${unreachable.map((entry) => `${entry.provider} [${entry.profile}]`).join(', ')}`,
      {hint: 'Check the network (or that the provider is up) and run `oauthctl status --check` again.'},
    )
  }
  const first = failed[0] as (typeof failed)[number]
  return new NotLoggedInError(
    `${failed.length} of ${checked.length} login${checked.length === 1 ? '' : 's'} failed the check: ${failed.map((entry) => `${entry.provider} [${entry.profile}]`).join(', ')}`,
    {hint: `Log in again, e.g.: ${loginCommand(first, hintRecordFor(config, first))}`},
    'check_failed',
  )
}

/** The human line for one check, under the login's status lines. */
export function formatCheck(check: LoginCheck): string {
  const verdict = check.ok === true ? 'ok' : check.ok === false ? 'FAILED' : 'not checked'
  return `    check: ${verdict} (${check.method}: ${check.detail})`
}
