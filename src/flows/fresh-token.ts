import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
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
 * `helper` names the program the token is handed to (`exec`, `git-credential`, ...): an OAuth 1.0a login
 * is then refused (exit 3), since its token works only with signatures that program cannot make.
 * @throws NotLoggedInError (exit 4) when there is no such login or the refresh failed.
 */
export async function getFreshToken(ctx: Context, input: {provider?: string; profile?: string}, helper?: string): Promise<FreshToken> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  if (helper !== undefined && login.preset.oauth1) {
    // A bare OAuth 1.0a token is useless to another program: each request must be signed with its secret.
    throw new ConfigError(`${helper} cannot use the ${target.provider} login: ${login.preset.displayName} speaks OAuth 1.0a, whose requests must each be signed`, {
      hint: `Call its API through oauthctl instead: oauthctl get -p ${target.provider} <path>`,
    })
  }
  return {login, secrets: await getAccessToken(ctx, login)}
}
