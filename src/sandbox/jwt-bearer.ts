/// <reference path="./oidc-provider.d.ts" />
import type {JsonWebKey} from 'node:crypto'
import type {KoaContextWithOIDC, Provider} from 'oidc-provider'
import {SCOPES} from './provider-config.js'
import {GrantError, issueAccessToken, registerGrant} from './token-exchange.js'

/** RFC 7523 §2.1 JWT bearer authorization grant. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/** The longest assertion lifetime the sandbox accepts (Google's rule for service accounts: one hour). */
const MAX_ASSERTION_LIFETIME_S = 3600

/**
 * The JWT bearer grant at the sandbox: an assertion signed by a trusted issuer's key (`trusted`: issuer
 * -> public JWK; the private_key_jwt client's own key, Google-service-account style) is exchanged for an
 * access token for its `sub` (any user name, like the sign-in page). `aud` must be the issuer or the token
 * endpoint; `exp` at most an hour after `iat`; scopes from the `scope` parameter, else the assertion's
 * `scope` claim.
 *
 * @see RFC 7523 §2.1 (request), §3 (assertion rules), §3.1 (errors: invalid_grant)
 */
export function registerJwtBearer(provider: Provider, deps: {issuer: string; trusted: Record<string, JsonWebKey>; ttl: number; log: (line: string) => void}): void {
  const handler = async (ctx: KoaContextWithOIDC) => {
    const params = (ctx.oidc.params ?? {}) as Record<string, string | undefined>
    if (!params.assertion) throw new GrantError('invalid_request', 'assertion is missing')
    const jose = await import('jose')
    let iss: unknown
    try {
      iss = jose.decodeJwt(params.assertion).iss
    } catch {
      throw new GrantError('invalid_grant', 'the assertion is not a JWT')
    }
    const key = typeof iss === 'string' && Object.hasOwn(deps.trusted, iss) ? deps.trusted[iss] : undefined
    if (!key) throw new GrantError('invalid_grant', 'the assertion issuer is not trusted')
    let claims
    try {
      ;({payload: claims} = await jose.jwtVerify(params.assertion, await jose.importJWK(key as Parameters<typeof jose.importJWK>[0], 'ES256'), {
        issuer: iss as string,
        audience: [deps.issuer, `${deps.issuer}/token`],
        algorithms: ['ES256'],
        requiredClaims: ['sub', 'exp', 'iat'],
      }))
    } catch (error) {
      throw new GrantError('invalid_grant', `the assertion does not verify: ${(error as Error).message.replace(/"/g, "'")}`)
    }
    if ((claims.exp as number) - (claims.iat as number) > MAX_ASSERTION_LIFETIME_S) {
      throw new GrantError('invalid_grant', 'the assertion lives longer than an hour')
    }
    const asked = (params.scope ?? (typeof claims.scope === 'string' ? claims.scope : '')).split(' ').filter(Boolean)
    const unknown = asked.filter((scope) => !SCOPES.includes(scope))
    if (unknown.length > 0) throw new GrantError('invalid_scope', `unknown scope ${unknown.join(' ')}`)
    const scope = asked.join(' ')
    const sub = claims.sub as string
    const value = await issueAccessToken(provider, ctx, {accountId: sub, scope, gty: 'jwt_bearer'})
    deps.log(`JWT bearer: ${ctx.oidc.client?.clientId} got a token for ${sub} (assertion by ${iss as string})`)
    ctx.body = {access_token: value, token_type: 'Bearer', expires_in: deps.ttl, scope}
  }
  registerGrant(provider, JWT_BEARER_GRANT, handler, ['assertion', 'scope'])
}
