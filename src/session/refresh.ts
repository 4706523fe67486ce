import type {Context} from '../context.js'
import {NotLoggedInError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {describeOAuthError, oauthctlErrorIn, oauthErrorCode, unreachableError} from '../oauth/oauth-errors.js'
import {dpopOptions} from '../oauth/dpop-key.js'
import {createOAuthConfig} from '../oauth/oauth-client.js'
import {loginClientCredentials} from './login-credentials.js'
import {loginCommand, saveRefreshedTokens, type LoadedLogin} from './session.js'
import {secretsFromTokenResponse} from '../oauth/token-response.js'

/**
 * Runs the refresh_token grant for a login (RFC 6749 §6) and saves the result. The caller holds the
 * login's refresh lock, and has checked that the store can take the result. The new secrets (with a
 * rotated refresh token) are written as one value before anything uses the new access token; on any
 * failure before the grant the stored refresh token is left untouched.
 */
export async function refreshTokens(
  ctx: Context,
  login: LoadedLogin,
  secrets: TokenSecrets,
  narrowTo?: string[],
  resources = login.record.resources,
): Promise<TokenSecrets> {
  const {target, preset, record} = login
  if (record.grant === 'client_credentials') {
    // No refresh token: the client credentials grant runs again (under the same lock).
    const {renewClientCredentials} = await import('../login/client-credentials.js')
    return renewClientCredentials(ctx, login, secrets)
  }
  if (record.grant === 'jwt_bearer' && !secrets.refreshToken) {
    const {renewJwtBearer} = await import('../login/jwt-bearer.js')
    return renewJwtBearer(ctx, login, secrets)
  }
  const hint = `Run: ${loginCommand(target, record)}`
  if (!secrets.refreshToken) {
    throw new NotLoggedInError(`the ${target.provider} access token has expired and there is no refresh token`, {hint}, 'refresh_failed')
  }
  const client = await import('openid-client')
  const config = await createOAuthConfig(preset, await loginClientCredentials(login, secrets), {fetch: ctx.fetch})
  ctx.debug(`refreshing ${target.key} at ${preset.tokenEndpoint}`)
  let response
  try {
    // `scope` on a refresh may only narrow what was granted (RFC 6749 §6): `oauthctl refresh --scope`.
    // The login's resource indicators go along, so the new token has the same audience (RFC 8707 §2.2).
    const params = new URLSearchParams(narrowTo ? {scope: narrowTo.join(preset.scopeSeparator)} : {})
    for (const resource of resources ?? []) params.append('resource', resource)
    // A DPoP login's refresh carries a proof by the same key, so the new token stays bound to it (RFC 9449 §5).
    const dpop = await dpopOptions(config, secrets.dpopKey)
    response = await client.refreshTokenGrant(config, secrets.refreshToken, params, dpop)
  } catch (error) {
    // A refusal of our own (an oversized answer) keeps its exit code.
    const own = oauthctlErrorIn(error)
    if (own) throw own
    const offline = unreachableError(error, preset.tokenEndpoint, `refresh the ${target.provider} token`, '; the stored refresh token was kept')
    if (offline) throw offline
    const code = oauthErrorCode(error)
    const reason = describeOAuthError(error)
    if (code === 'invalid_grant') {
      throw new NotLoggedInError(`the ${target.provider} refresh token was rejected (${reason})`, {hint}, 'refresh_failed')
    }
    throw new NotLoggedInError(
      `could not refresh the ${target.provider} token: ${reason}; the stored refresh token was kept`,
      {hint: `Check your network and retry; if it keeps failing: ${loginCommand(target, record)}`, cause: error},
      'refresh_failed',
    )
  }
  registerSecret(response.access_token)
  registerSecret(response.refresh_token)
  const next = secretsFromTokenResponse(response, ctx.now(), secrets, ctx.debug)
  // The new pair is written before anything else happens (see README "Security" for what a crash can cost).
  await saveRefreshedTokens(ctx, login, next)
  return next
}
