import type {Context} from '../context.js'
import type {TokenSecrets} from '../store/token-store.js'
import {getAccessToken} from './access-token.js'
import {loadLogin, resolveTarget, type LoadedLogin} from './session.js'

/** A login and an access token for it that is valid for at least 60 s. */
export interface FreshToken {
  login: LoadedLogin
  secrets: TokenSecrets
}

/**
 * The access token of a login (the named provider and profile, else the defaults), refreshed first when it
 * expires within 60 s, under the login's cross-process refresh lock (see {@link getAccessToken}). What
 * `token`, `exec` and the credential helpers hand to other programs.
 *
 * @throws NotLoggedInError (exit 4) when there is no such login or the refresh failed.
 */
export async function getFreshToken(ctx: Context, input: {provider?: string; profile?: string}): Promise<FreshToken> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  return {login, secrets: await getAccessToken(ctx, login)}
}
