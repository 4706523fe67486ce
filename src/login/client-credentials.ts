import type {Context} from '../context.js'
import {AuthorizationError, ConfigError, NotLoggedInError, type OauthctlError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {readClientSecret, storeClientSecret} from '../providers/client-secret.js'
import {readClientKey, rememberClientKey} from '../providers/client-key.js'
import {loginClientCredentials} from '../session/login-credentials.js'
import {jwtClientAuthOf} from '../oauth/client-auth.js'
import {describeOAuthError, oauthctlErrorIn, oauthErrorCode, unreachableError} from '../oauth/oauth-errors.js'
import {createOAuthConfig, type ClientCredentials, type FetchFn} from '../oauth/oauth-client.js'
import {joinScopes} from './loopback-login.js'
import {loginCommand, saveLogin, saveRefreshedTokens, type LoadedLogin, type Target} from '../session/session.js'
import {secretsFromTokenResponse, type TokenResponseLike} from '../oauth/token-response.js'
import {throwIfInterrupted} from '../util/interrupt.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import {certificateRecordOf, resolveLoginCertificate} from './login-certificate.js'
import {rememberClientCertificate} from '../providers/client-cert.js'
import {isTlsClientAuth} from '../providers/preset.js'

export const CLIENT_CREDENTIALS_GRANT = 'client_credentials'

/**
 * The preset as a confidential client sees it: a preset written for public CLI clients (`none`) still
 * has to authenticate a client that holds a secret, with HTTP Basic (RFC 6749 §2.3.1).
 */
export function asConfidentialClient(preset: ProviderPreset, clientSecret: string | undefined): ProviderPreset {
  return clientSecret && preset.clientAuth === 'none' ? {...preset, clientAuth: 'client_secret_basic'} : preset
}

/** One client credentials grant (RFC 6749 §4.4); `signal` (Ctrl-C) aborts it. */
export async function requestClientCredentials(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  scopes: string[],
  fetch?: FetchFn,
  signal?: AbortSignal,
): Promise<TokenResponseLike> {
  const client = await import('openid-client')
  const config = await createOAuthConfig(asConfidentialClient(preset, credentials.clientSecret), credentials, {fetch, signal})
  const parameters: Record<string, string> = {}
  if (scopes.length > 0) parameters.scope = joinScopes(preset, scopes)
  const tokens = await client.clientCredentialsGrant(config, parameters)
  registerSecret(tokens.access_token)
  return tokens
}

export interface MachineLoginInput {
  target: Target
  scopes?: string[]
  clientId?: string
  clientSecret?: string
  /** Private JWK read from `--client-key` (private_key_jwt). */
  clientKey?: string
  /** TLS client certificate read from `--cert`/`--key` (RFC 8705). */
  clientCert?: ClientCertificate
}

/**
 * `login --client-credentials`: the client id from the flag, `OAUTHCTL_CLIENT_ID`, or an earlier
 * client-credentials login of this target; the secret from the flag, `OAUTHCTL_CLIENT_SECRET`, or the
 * store. The secret is kept with the token (so `token`/`get` can renew it) and under the client's own key
 * for later logins; the client id is not made the provider's default (that one is for people).
 */
export async function loginWithClientCredentials(ctx: Context, preset: ProviderPreset, input: MachineLoginInput) {
  const previous = ctx.config().logins?.[input.target.key]
  const clientId =
    input.clientId ??
    (ctx.env.OAUTHCTL_CLIENT_ID || undefined) ??
    (previous?.grant === CLIENT_CREDENTIALS_GRANT ? previous.clientId : undefined)
  if (!clientId) {
    throw new ConfigError(`the client credentials grant needs the client id of a confidential ${preset.displayName} app`, {
      hint: `Pass --client-id and --client-secret (or set OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET).`,
    })
  }
  const store = await ctx.openStore()
  const secretGiven = input.clientSecret || ctx.env.OAUTHCTL_CLIENT_SECRET || undefined
  const clientSecret = secretGiven ?? (await readClientSecret(store, preset.name, clientId))
  const withKey = preset.clientAuth === 'private_key_jwt'
  const clientKey = withKey ? (input.clientKey ?? (await readClientKey(store, preset.name, clientId))) : undefined
  if (withKey && !clientKey) {
    throw new ConfigError(`no private key for ${clientId} at ${preset.displayName} (private_key_jwt)`, {
      hint: 'Pass --client-key <PEM or JWK file> once; the key is then kept in the credential store.',
    })
  }
  const clientCert = await resolveLoginCertificate(store, preset, clientId, input.clientCert)
  if (!clientSecret && !withKey && !(clientCert && isTlsClientAuth(preset.clientAuth))) {
    throw new ConfigError(`no client secret for ${clientId} at ${preset.displayName}`, {
      hint: 'Pass --client-secret once (or set OAUTHCTL_CLIENT_SECRET); it is then kept in the credential store.',
    })
  }
  registerSecret(clientSecret)
  const scopes = input.scopes ?? []
  const credentials = {clientId, ...(clientSecret ? {clientSecret} : {}), ...(clientKey ? {clientKey} : {}), ...(clientCert ? {tls: clientCert} : {})}
  let tokens: TokenResponseLike
  try {
    tokens = await requestClientCredentials(preset, credentials, scopes, ctx.fetch, ctx.signal)
  } catch (error) {
    throwIfInterrupted(ctx.signal, 'login interrupted during the client credentials grant; nothing was stored')
    throw grantError(error, preset)
  }
  const secrets: TokenSecrets = secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug)
  if (clientSecret) secrets.clientSecret = clientSecret
  if (clientKey) secrets.clientKey = clientKey
  if (clientCert) secrets.clientCert = clientCert
  const granted = typeof tokens.scope === 'string' && tokens.scope ? tokens.scope.split(/[ ,]+/) : scopes
  // The store the secrets actually went to (the file store after a keyring fallback) keeps the rest too.
  const {record, store: used} = await saveLogin(ctx, store, input.target, secrets, {
    subject: clientId,
    name: `client ${clientId}`,
    scopes: granted,
    obtainedAt: ctx.now(),
    grant: CLIENT_CREDENTIALS_GRANT,
    clientId,
    ...jwtClientAuthOf(preset),
    ...certificateRecordOf(clientCert),
  })
  const said: string[] = []
  if (secretGiven && clientSecret) {
    await storeClientSecret(used, preset.name, clientId, clientSecret)
    said.push(`Client secret of ${clientId} kept in ${used.location} for later logins.`)
  }
  if (input.clientKey) said.push(await rememberClientKey(used, preset.name, clientId, input.clientKey))
  if (input.clientCert) said.push(await rememberClientCertificate(used, preset.name, clientId, input.clientCert))
  return {record, identity: {subject: clientId, name: `client ${clientId}`}, store: used, said}
}

/**
 * The OAuth error of a failed token request, also when the server put it in a `WWW-Authenticate`
 * challenge of a 401 (RFC 6749 §5.2 `invalid_client` with HTTP Basic), which openid-client reports as a
 * WWWAuthenticateChallengeError whose `cause` holds the parsed challenges.
 */
export function tokenErrorOf(error: unknown): {code?: string; description?: string; text: string} {
  const code = oauthErrorCode(error)
  if (code) return {code, description: (error as {error_description?: string}).error_description, text: describeOAuthError(error)}
  const challenges = (error as {cause?: unknown}).cause
  if (Array.isArray(challenges)) {
    for (const challenge of challenges as Array<{parameters?: Record<string, string>}>) {
      const fromChallenge = challenge.parameters?.error
      if (fromChallenge) {
        const description = challenge.parameters?.error_description
        return {code: fromChallenge, description, text: description ? `${fromChallenge}: ${description}` : fromChallenge}
      }
    }
  }
  return {text: describeOAuthError(error)}
}

function grantError(error: unknown, preset: ProviderPreset): OauthctlError {
  const own = oauthctlErrorIn(error)
  if (own) return own
  const offline = unreachableError(error, preset.tokenEndpoint, 'run the client credentials grant; nothing was stored')
  if (offline) return offline
  const {code, description, text} = tokenErrorOf(error)
  return new AuthorizationError(`${preset.displayName} refused the client credentials grant: ${text}`, {
    error: code,
    errorDescription: description,
    hint:
      code === 'invalid_client' || code === 'unauthorized_client'
        ? 'Check --client-id and --client-secret: the app must be confidential and allowed the client credentials grant.'
        : code === 'invalid_scope'
          ? 'Pass only --scope values this app may request.'
          : 'Check the app settings at the provider and retry.',
    cause: error,
  })
}

/**
 * A client-credentials login has no refresh token: when its token expires the grant runs again, with the
 * secret kept next to the token. The caller holds the login's refresh lock (see getAccessToken), so
 * parallel processes renew once.
 */
export async function renewClientCredentials(ctx: Context, login: LoadedLogin, secrets: TokenSecrets): Promise<TokenSecrets> {
  const {target, preset, record} = login
  const credentials = await loginClientCredentials(login, secrets)
  const {clientId, clientSecret, clientKey, tls} = {...credentials, clientId: record.clientId}
  if (!clientId || (!clientSecret && !clientKey && !tls)) {
    throw new NotLoggedInError(`the ${target.provider} client credentials token expired and no client secret is stored to renew it`, {
      hint: `Run: ${loginCommand(target, record)} --client-credentials --client-id <id> --client-secret <secret>`,
    }, 'refresh_failed')
  }
  ctx.debug(`renewing the client credentials token of ${target.key} at ${preset.tokenEndpoint}`)
  let tokens: TokenResponseLike
  try {
    tokens = await requestClientCredentials(preset, credentials, record.scopes, ctx.fetch)
  } catch (error) {
    const own = oauthctlErrorIn(error)
    if (own) throw own
    const offline = unreachableError(error, login.preset.tokenEndpoint, `renew the ${target.provider} client credentials token`)
    if (offline) throw offline
    throw new NotLoggedInError(`could not renew the ${target.provider} client credentials token: ${tokenErrorOf(error).text}`, {
      hint: `Check the app at the provider, then: ${loginCommand(target, record)} --client-credentials`,
      cause: error,
    }, 'refresh_failed')
  }
  const next: TokenSecrets = {...secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug), clientSecret, clientKey, clientCert: tls}
  if (!tls) delete next.clientCert
  if (!clientKey) delete next.clientKey
  if (!clientSecret) delete next.clientSecret
  await saveRefreshedTokens(ctx, login, next)
  return next
}
