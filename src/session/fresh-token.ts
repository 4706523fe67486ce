import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
import type {TokenSecrets} from '../store/token-store.js'
import {getAccessToken} from './access-token.js'
import {loadLogin, loginCommand, resolveTarget, type LoadedLogin} from './session.js'

/** A login and an access token for it that is valid for at least 60 s. */
export interface FreshToken {
  login: LoadedLogin
  secrets: TokenSecrets
}

/**
 * The access token of a login (the named provider and profile, else the defaults), refreshed first when it
 * expires within 60 s, under the login's cross-process refresh lock (see {@link getAccessToken}). What
 * `token`, `exec` and the credential helpers hand to other programs.
 * `handOffTo` names the program that gets the token (`exec`, git, kubectl): a DPoP-bound login is refused.
 *
 * `helper` names the program the token is handed to (`exec`, `git-credential`, ...): an OAuth 1.0a login
 * is then refused (exit 3), since its token works only with signatures that program cannot make.
 * @throws NotLoggedInError (exit 4) when there is no such login or the refresh failed.
 */
export async function getFreshToken(ctx: Context, input: {provider?: string; profile?: string}, handOffTo?: string): Promise<FreshToken> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  if (handOffTo !== undefined && login.preset.oauth1) {
    // A bare OAuth 1.0a token is useless to another program: each request must be signed with its secret.
    throw new ConfigError(`${handOffTo} cannot use the ${target.provider} login: ${login.preset.displayName} speaks OAuth 1.0a, whose requests must each be signed`, {
      hint: `Call its API through oauthctl instead: oauthctl get -p ${target.provider} <path>`,
    })
  }
  const secrets = await getAccessToken(ctx, login)
  if (handOffTo !== undefined && secrets.dpopKey) throw dpopHandOffError(login, handOffTo)
  if (handOffTo !== undefined && secrets.clientCert) throw certificateHandOffError(login, handOffTo)
  return {login, secrets}
}

/**
 * A DPoP-bound token is useless to another program (it would need the key to sign a proof for each request,
 * RFC 9449 §7.1), and handing over the key as well would defeat the binding: refused, exit 3.
 */
function dpopHandOffError({target, record}: LoadedLogin, handOffTo: string): ConfigError {
  return new ConfigError(`the ${target.provider} login (profile ${target.profile}) has a DPoP-bound token, which ${handOffTo} cannot use: only oauthctl holds its key`, {
    hint: `Call the API with oauthctl itself (oauthctl get ...), or log in again without --dpop: ${loginCommand(target, record)}`,
  })
}

/**
 * A certificate-bound token works only over a TLS connection made with its certificate (RFC 8705 §3);
 * handing the private key to another program as well would spread it: refused, exit 3.
 */
function certificateHandOffError({target, record}: LoadedLogin, handOffTo: string): ConfigError {
  return new ConfigError(`the ${target.provider} login (profile ${target.profile}) has a certificate-bound token (mTLS), which ${handOffTo} cannot use: only oauthctl holds the client certificate's key`, {
    hint: `Call the API with oauthctl itself (oauthctl get ...), which presents the certificate, or log in again without --cert: ${loginCommand(target, record)}`,
  })
}
