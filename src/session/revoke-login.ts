import type {Context} from '../context.js'
import {registerSecret} from '../redact.js'
import {loginClientCredentials} from './login-credentials.js'
import {revokeTokens, type RevocationOutcome} from './revoke.js'
import type {LoadedLogin} from './session.js'

/**
 * Revokes a stored login's tokens at the provider, with the client it was issued to, and tells the user
 * on stderr what happened: revoked, not possible at this provider, or failed (a warning; the caller
 * decides whether that is fatal). A login whose secrets are gone has nothing to revoke.
 */
export async function revokeLoginTokens(ctx: Context, login: LoadedLogin, options: {strict?: boolean} = {}): Promise<RevocationOutcome | undefined> {
  const {preset, target} = login
  const secrets = await login.store.get(target.key)
  if (!secrets?.accessToken) return undefined
  registerSecret(secrets.accessToken)
  registerSecret(secrets.refreshToken)
  const credentials = await loginClientCredentials(login, secrets)
  registerSecret(secrets.tokenSecret)
  const outcome = preset.oauth1
    ? await (await import('./oauth1-revoke.js')).revokeOAuth1(ctx, preset.oauth1, {consumerKey: credentials.clientId, consumerSecret: credentials.clientSecret}, secrets)
    : await revokeTokens(preset, credentials, secrets, ctx.fetch)
  switch (outcome.status) {
    case 'revoked':
      ctx.io.say(`Revoked the ${outcome.revoked.map((kind) => kind.replace('_', ' ')).join(' and ')} at ${preset.displayName}.`)
      break
    case 'unsupported':
      ctx.io.say(`${preset.displayName} offers no token revocation; the tokens stay valid until they expire. Revoke the app's access in your ${preset.displayName} account settings if needed.`)
      break
    case 'failed':
      // Under --strict the caller fails with this reason instead.
      if (options.strict) break
      ctx.io.warn(`could not revoke the tokens at ${preset.displayName}: ${outcome.reason}`)
      break
  }
  return outcome
}
