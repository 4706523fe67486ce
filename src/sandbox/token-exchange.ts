/// <reference path="./oidc-provider.d.ts" />
import type {KoaContextWithOIDC, Provider} from 'oidc-provider'

/** RFC 8693 token exchange grant and the one token type the sandbox exchanges. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

/** An OAuth error oidc-provider renders as is (`expose`), as uma.ts does. */
export class GrantError extends Error {
  readonly expose = true
  constructor(
    readonly error: string,
    readonly error_description: string,
    readonly status = 400,
  ) {
    super(error)
  }
  get statusCode(): number {
    return this.status
  }
}

type NewAccessToken = new (properties: Record<string, unknown>) => {save(): Promise<string>}

/** Registers a custom grant on oidc-provider (its public but untyped `registerGrantType`). */
export function registerGrant(provider: Provider, name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, params: string[]): void {
  ;(provider as unknown as {registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, params: string[]): void}).registerGrantType(name, handler, params)
}

/**
 * Issues a sandbox access token for `accountId` to the calling client (the demo API accepts it like any
 * other). Its `aud` shows up in introspection.
 */
export async function issueAccessToken(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  input: {accountId: string; scope: string; gty: string; aud?: string},
): Promise<string> {
  // A grant of the calling client: introspection reports a token whose grant is another client's inactive.
  const grant = new provider.Grant({accountId: input.accountId, clientId: ctx.oidc.client?.clientId as string})
  grant.addOIDCScope(input.scope)
  const grantId = await grant.save()
  const AccessToken = provider.AccessToken as unknown as NewAccessToken
  const token = new AccessToken({
    accountId: input.accountId,
    client: ctx.oidc.client,
    grantId,
    gty: input.gty,
    scope: input.scope,
    ...(input.aud ? {aud: input.aud} : {}),
  })
  return token.save()
}

/**
 * RFC 8693 token exchange at the sandbox: a client trades an active access token of this server (the
 * subject, optionally with an actor token) for a new access token of its own for the same user. Scopes
 * may only narrow; the first `audience` (else `resource`) becomes the token's `aud` (introspection shows it),
 * and the request is logged, since the demo API is the only resource.
 *
 * @see RFC 8693 §2.1 (request), §2.2 (response), §4.1 (`act`)
 */
export function registerTokenExchange(provider: Provider, deps: {ttl: number; log: (line: string) => void}): void {
  const handler = async (ctx: KoaContextWithOIDC) => {
    const params = (ctx.oidc.params ?? {}) as Record<string, string | undefined>
    if (!params.subject_token) throw new GrantError('invalid_request', 'subject_token is missing')
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) {
      throw new GrantError('invalid_request', `the sandbox exchanges only subject tokens of type ${ACCESS_TOKEN_TYPE}`)
    }
    if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
      throw new GrantError('invalid_request', `the sandbox issues only ${ACCESS_TOKEN_TYPE}`)
    }
    const subject = await provider.AccessToken.find(params.subject_token)
    if (!subject || subject.isExpired) throw new GrantError('invalid_grant', 'the subject token is not an active access token of this server')
    let act: Record<string, string> | undefined
    if (params.actor_token) {
      if (params.actor_token_type !== ACCESS_TOKEN_TYPE) throw new GrantError('invalid_request', `actor_token_type must be ${ACCESS_TOKEN_TYPE}`)
      const actor = (await provider.AccessToken.find(params.actor_token)) ?? (await provider.ClientCredentials.find(params.actor_token))
      if (!actor || actor.isExpired) throw new GrantError('invalid_grant', 'the actor token is not an active access token of this server')
      act = {sub: 'accountId' in actor && typeof actor.accountId === 'string' ? actor.accountId : actor.clientId}
    }
    const granted = new Set((subject.scope ?? '').split(' ').filter(Boolean))
    const asked = params.scope ? params.scope.split(' ').filter(Boolean) : [...granted]
    const beyond = asked.filter((scope) => !granted.has(scope))
    if (beyond.length > 0) throw new GrantError('invalid_scope', `the subject token was not granted ${beyond.join(' ')}`)
    const scope = asked.join(' ')
    const aud = params.audience ?? params.resource
    const value = await issueAccessToken(provider, ctx, {accountId: subject.accountId, scope, gty: 'token_exchange', ...(aud ? {aud} : {})})
    const noted = [params.audience && `audience ${params.audience}`, params.resource && `resource ${params.resource}`, act && `actor ${act.sub}`].filter(Boolean)
    deps.log(`token exchange: ${ctx.oidc.client?.clientId} got a token for ${subject.accountId}${noted.length > 0 ? ` (${noted.join(', ')})` : ''}`)
    ctx.body = {access_token: value, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: deps.ttl, scope}
  }
  registerGrant(provider, TOKEN_EXCHANGE_GRANT, handler, [
    'subject_token',
    'subject_token_type',
    'actor_token',
    'actor_token_type',
    'requested_token_type',
    'audience',
    'resource',
    'scope',
  ])
}
