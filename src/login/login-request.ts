import type {LoginRecord} from '../config.js'
import {UsageError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {grantedAuthorizationDetails} from './authorization-details.js'
import {planAuthorizationRequest, type AuthorizationRequestPlan} from './authorization-request.js'
import type {LoginInput} from './login-types.js'
import type {ClientCredentials} from '../oauth/oauth-client.js'
import type {TokenResponseLike} from '../oauth/token-response.js'

/**
 * The authorization-request plan of a login: for the browser and paste logins (which send an
 * authorization request), none for the others, where asking for PAR, JAR, JARM, a resource or
 * authorization details is a usage error (exit 2) rather than something silently not done.
 */
export function planForMode(preset: ProviderPreset, credentials: ClientCredentials, input: LoginInput): AuthorizationRequestPlan | undefined {
  const mode = input.mode ?? 'browser'
  if (mode === 'browser' || mode === 'paste') return planAuthorizationRequest(preset, credentials, input.request)
  const asked = input.request ?? {}
  const flags = [
    asked.par && '--par',
    asked.jar && '--jar',
    asked.jarKey !== undefined && '--jar-key',
    asked.jarm && '--jarm',
    asked.resources?.length && '--resource',
    asked.authorizationDetails && '--authorization-details',
  ].filter(Boolean)
  if (flags.length > 0) {
    throw new UsageError(`${flags.join(', ')} shape the authorization request, which this login does not send`, {
      hint: 'Use them with the browser login (the default) or --paste.',
    })
  }
  return undefined
}

/**
 * What a login record keeps of the request: its resources (sent again on refresh, RFC 8707 §2.2) and the
 * authorization details the token response says were granted (RFC 9396 §7), for `status --json`.
 */
export function loginRecordExtras(
  plan: AuthorizationRequestPlan | undefined,
  tokens: TokenResponseLike,
  note?: (line: string) => void,
): Pick<LoginRecord, 'resources' | 'authorizationDetails'> {
  const extras: Pick<LoginRecord, 'resources' | 'authorizationDetails'> = {}
  if (plan?.resources.length) extras.resources = plan.resources
  const granted = grantedAuthorizationDetails((tokens as {authorization_details?: unknown}).authorization_details, note)
  if (granted) extras.authorizationDetails = granted
  return extras
}
