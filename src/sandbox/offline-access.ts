/// <reference path="./oidc-provider.d.ts" />
import type {Client, KoaContextWithOIDC} from 'oidc-provider'

const OFFLINE_ACCESS = 'offline_access'

/**
 * Puts `offline_access` back into an authorization request's scope after oidc-provider dropped it.
 *
 * OpenID Connect Core §11 says to ignore `offline_access` unless `prompt` contains `consent`, and
 * oidc-provider does exactly that in its scope check (actions/authorization/scopes.js), with no option
 * to turn it off. Real providers (Google, Microsoft) hand out refresh tokens without `prompt=consent`,
 * and oauthctl's login must work against the sandbox without it. Core allows it "when other conditions
 * for processing the request permitting offline access are in place": here, the consent page (or
 * auto-approve) grants `offline_access` like any other scope.
 *
 * It runs as oidc-provider's `extraParams.scope` validator because that is the first hook after the
 * scope check (validators run for every authorization, pushed authorization and device authorization
 * request; `scope` is already a known parameter, so registering it adds nothing to what is accepted).
 * The other conditions oidc-provider applies stay: a `code` response type, a client allowed the
 * refresh_token grant, and no `prompt=none` (a silent request cannot ask for consent).
 */
export function restoreOfflineAccess(ctx: KoaContextWithOIDC, value: string | undefined, client: Client): void {
  const params = ctx.oidc.params
  if (!params) return
  const scopes = new Set(value?.split(' ').filter(Boolean))
  if (scopes.has(OFFLINE_ACCESS) || !requestedScopes(ctx).has(OFFLINE_ACCESS)) return
  if (!client.grantTypeAllowed('refresh_token')) return
  if (params.response_type !== undefined && !params.response_type.split(' ').includes('code')) return
  if (params.prompt?.split(' ').includes('none')) return
  scopes.add(OFFLINE_ACCESS)
  params.scope = [...scopes].join(' ')
}

/**
 * The scope as the client sent it, before oidc-provider's processing: from the pushed request when
 * `request_uri` refers to one (RFC 9126), else from the form body or the query string.
 */
function requestedScopes(ctx: KoaContextWithOIDC): Set<string> {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest
  let raw: unknown
  if (pushed) {
    raw = jwtPayload(pushed.request)?.scope
  } else if (ctx.method === 'POST') {
    raw = ctx.oidc.body?.scope
  } else {
    raw = ctx.query.scope
  }
  return new Set(typeof raw === 'string' ? raw.split(' ') : [])
}

function jwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
