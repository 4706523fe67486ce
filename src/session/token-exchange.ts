import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {AuthorizationError, ConfigError, UsageError, type OauthctlError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {toIsoTime} from '../util/time.js'
import {jwtClientAuthOf} from '../oauth/client-auth.js'
import {tokenErrorOf} from '../login/client-credentials.js'
import {resolveExchangeToken, tokenTypeUri} from './exchange-inputs.js'
import {resolveGrantClient, type GrantClientInput} from '../oauth/grant-client.js'
import {createOAuthConfig} from '../oauth/oauth-client.js'
import {oauthctlErrorIn, unreachableError} from '../oauth/oauth-errors.js'
import {resolveTarget, saveLogin} from './session.js'
import {secretsFromTokenResponse, type TokenResponseLike} from '../oauth/token-response.js'

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'

export interface TokenExchangeInput extends Omit<GrantClientInput, 'provider'> {
  /** The authorization server; default: the subject login's provider, else the default provider. */
  provider?: string
  subjectToken: string
  subjectTokenType?: string
  actorToken?: string
  actorTokenType?: string
  audiences?: string[]
  resources?: string[]
  requestedTokenType?: string
  scopes?: string[]
  json?: boolean
  jq?: string
  /** Store the issued token as a login of the provider under this profile. */
  saveAs?: string
}

/**
 * `oauthctl token exchange`: one RFC 8693 token exchange request at the provider's token endpoint,
 * authenticated as the provider's client, and the issued token on stdout (or JSON; or kept as a login
 * with `--save-as`).
 *
 * @see RFC 8693 §2.1 (request), §2.2 (response), §2.2.2 (errors)
 * @throws ConfigError (exit 3) when the server has no token exchange (`unsupported_grant_type`);
 *   AuthorizationError (exit 5) when it refuses the exchange
 */
export async function exchangeToken(ctx: Context, input: TokenExchangeInput): Promise<void> {
  const subjectType = tokenTypeUri(input.subjectTokenType ?? 'access_token', '--subject-token-type')
  const actorType = input.actorToken ? tokenTypeUri(input.actorTokenType ?? 'access_token', '--actor-token-type') : undefined
  const requested = input.requestedTokenType ? tokenTypeUri(input.requestedTokenType, '--requested-token-type') : undefined
  if (input.subjectToken === '-' && input.actorToken === '-') {
    throw new UsageError('only one of --subject-token and --actor-token can be read from stdin (-)')
  }
  const subject = await resolveExchangeToken(ctx, input.subjectToken, subjectType, '--subject-token')
  const actor = input.actorToken ? await resolveExchangeToken(ctx, input.actorToken, actorType as string, '--actor-token') : undefined
  const provider = input.provider ?? subject.login?.target.provider ?? resolveTarget(ctx.config()).provider
  const {preset, credentials, store} = await resolveGrantClient(ctx, {...input, provider})
  const parameters = new URLSearchParams({subject_token: subject.token, subject_token_type: subject.type})
  if (actor) {
    parameters.set('actor_token', actor.token)
    parameters.set('actor_token_type', actor.type)
  }
  if (requested) parameters.set('requested_token_type', requested)
  for (const audience of input.audiences ?? []) parameters.append('audience', audience)
  for (const resource of input.resources ?? []) parameters.append('resource', resource)
  if (input.scopes && input.scopes.length > 0) parameters.set('scope', input.scopes.join(preset.scopeSeparator))
  const client = await import('openid-client')
  let response: TokenResponseLike & {issued_token_type?: string}
  try {
    const config = await createOAuthConfig(preset, credentials, {fetch: ctx.fetch, signal: ctx.signal})
    response = await client.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT, parameters)
  } catch (error) {
    throw exchangeError(error, preset.displayName, preset.tokenEndpoint)
  }
  registerSecret(response.access_token)
  registerSecret(response.refresh_token)
  const secrets = secretsFromTokenResponse(response, ctx.now(), undefined, ctx.debug)
  const issuedType = typeof response.issued_token_type === 'string' ? response.issued_token_type : undefined
  const scopes = typeof response.scope === 'string' && response.scope ? response.scope.split(/[ ,]+/) : (input.scopes ?? subject.login?.record.scopes ?? [])
  if (input.saveAs !== undefined) {
    const target = resolveTarget(ctx.config(), preset.name, input.saveAs)
    const kept: TokenSecrets = {...secrets, ...(credentials.clientSecret ? {clientSecret: credentials.clientSecret} : {}), ...(credentials.clientKey ? {clientKey: credentials.clientKey} : {}), ...(credentials.tls ? {clientCert: credentials.tls} : {})}
    const {store: used} = await saveLogin(ctx, store, target, kept, {
      subject: subject.login?.record.subject,
      name: subject.login?.record.name,
      scopes,
      obtainedAt: ctx.now(),
      grant: 'token_exchange',
      clientId: credentials.clientId,
      ...jwtClientAuthOf(preset),
      ...(credentials.tls ? {certificateBound: true as const} : {}),
    }, {keepDefaults: true})
    ctx.io.say(`Exchanged token stored as ${target.provider} profile ${target.profile} in ${used.location}.`)
  }
  if (!input.json && input.jq === undefined) {
    if (input.saveAs === undefined) ctx.io.out(`${secrets.accessToken}\n`)
    return
  }
  await printJson(
    ctx.io,
    {
      provider: preset.name,
      ...(input.saveAs !== undefined ? {profile: input.saveAs} : {}),
      issuedTokenType: issuedType ?? null,
      tokenType: secrets.tokenType ?? 'Bearer',
      expiresAt: toIsoTime(secrets.expiresAt) ?? null,
      scopes,
      accessToken: secrets.accessToken,
    },
    input.jq,
  )
}

function exchangeError(error: unknown, name: string, endpoint: string): OauthctlError {
  const own = oauthctlErrorIn(error)
  if (own) return own
  const offline = unreachableError(error, endpoint, 'exchange the token')
  if (offline) return offline
  const {code, description, text} = tokenErrorOf(error)
  if (code === 'unsupported_grant_type') {
    return new ConfigError(`${name} does not offer token exchange (RFC 8693): ${text}`, {
      hint: 'Use a server (or a client registered there) that allows the urn:ietf:params:oauth:grant-type:token-exchange grant.',
    })
  }
  return new AuthorizationError(`${name} refused the token exchange: ${text}`, {
    error: code,
    errorDescription: description,
    hint:
      code === 'unauthorized_client'
        ? 'This client may not use token exchange: pass the --client-id of one that may.'
        : code === 'invalid_client'
          ? 'Check --client-id and its secret or key.'
          : 'Check --subject-token, --audience, --resource and --scope.',
    cause: error,
  })
}
