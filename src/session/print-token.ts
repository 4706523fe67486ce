import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {toIsoTime} from '../util/time.js'
import {NotLoggedInError, UsageError} from '../errors.js'
import type {TokenSecrets} from '../store/token-store.js'
import {getFreshToken} from './fresh-token.js'
import {loginCommand, type LoadedLogin} from './session.js'
import {formatToken, type TokenFormat} from '../credential-helpers/token-formats.js'

/** `oauthctl token`: the access token and a newline on stdout (or JSON metadata + token, or a line for curl), nothing else. */
export async function printToken(
  ctx: Context,
  input: {provider?: string; profile?: string; json?: boolean; jq?: string; format?: TokenFormat; host?: string; idToken?: boolean},
): Promise<void> {
  const format = input.format ?? 'plain'
  const json = input.json === true || input.jq !== undefined
  if (input.idToken && ctx.tokenOverride) {
    throw new UsageError('--id-token prints the ID token of a stored login, but OAUTHCTL_TOKEN gives only an access token', {hint: 'Unset OAUTHCTL_TOKEN.'})
  }
  // A given token needs no provider, except for the netrc user name.
  if (ctx.tokenOverride && !json && (format !== 'netrc' || input.provider === undefined)) {
    ctx.io.out(formatToken(ctx.tokenOverride, format, {provider: input.provider ?? 'given', host: input.host}))
    return
  }
  // `--header`, `--curl-config` and `--netrc` hand the token to curl as Bearer: not for a DPoP-bound token.
  const {login, secrets} = await getFreshToken(ctx, input, format === 'plain' ? undefined : format === 'netrc' ? 'a .netrc reader' : 'curl')
  if (input.idToken) requireIdToken(login, secrets)
  if (secrets.clientCert && !input.idToken) {
    ctx.io.warn(`the ${login.target.provider} token is certificate-bound (RFC 8705): an API accepts it only over a TLS connection made with the login's client certificate`)
  }
  if (input.idToken && !json) {
    ctx.io.out(`${secrets.idToken}\n`)
    return
  }
  if (!json) {
    ctx.io.out(formatToken(secrets.accessToken, format, {provider: login.target.provider, preset: login.preset, host: input.host, relogin: loginCommand(login.target, login.record)}))
    return
  }
  const {record, target} = login
  const document = {
    provider: target.provider,
    profile: target.profile,
    subject: record.subject,
    name: record.name,
    scopes: record.scopes,
    tokenType: secrets.tokenType ?? 'Bearer',
    expiresAt: toIsoTime(secrets.expiresAt),
    store: record.store,
    accessToken: secrets.accessToken,
    ...(input.idToken ? {idToken: secrets.idToken} : {}),
  }
  await printJson(ctx.io, document, input.jq)
}

/**
 * `token --id-token` needs the ID token the provider sent with the login (OpenID Connect Core §2), kept
 * unless it was too large.
 *
 * @throws NotLoggedInError (exit 4) naming the login command with the openid scope
 */
function requireIdToken(login: LoadedLogin, secrets: TokenSecrets): void {
  if (secrets.idToken) return
  throw new NotLoggedInError(`the ${login.target.provider} login (profile ${login.target.profile}) has no ID token`, {
    hint: `Log in with OpenID Connect: ${loginCommand(login.target, login.record)} --scope openid (the provider must be an OpenID provider).`,
  })
}
