import type {Context} from '../context.js'
import {AuthorizationError} from '../errors.js'
import {describeOAuthError, oauthErrorCode} from '../oauth/oauth-errors.js'
import type {LoadedLogin, Target} from '../session/session.js'
import {checkExpiresIn} from '../oauth/token-response.js'
import {isLoopbackUrl} from '../providers/preset.js'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {registerSecret} from '../redact.js'
import {limitResponseBody} from './body-limit.js'
import type {TokenSecrets, TokenStore} from '../store/token-store.js'
import {createDictionary, withoutPrototypeMembers} from '../util/safe-object.js'

/**
 * UMA 2.0 (User-Managed Access) for `oauthctl get`: a resource server that answers
 * `401` + `WWW-Authenticate: UMA as_uri="...", ticket="..."` wants a requesting party token (RPT) for that
 * permission ticket. oauthctl asks the authorization server at `as_uri` for one (the UMA grant, with the
 * user's access token as the claim token), keeps it per resource server until it expires, and retries.
 *
 * The user's access token goes only to an `as_uri` on the provider's own hosts (its issuer, API origins
 * or learned API base): never to whatever a resource server names.
 * @see UMA 2.0 Grant for OAuth 2.0 Authorization §3.2 (challenge), §3.3.1 (request), §3.3.5-6 (responses)
 */
export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket'
/** Keycloak reads this format as "the claim token is an access token". */
export const CLAIM_TOKEN_FORMAT = 'urn:ietf:params:oauth:token-type:jwt'

export interface UmaChallenge {
  asUri: string
  ticket: string
  realm?: string
}

/**
 * Finds the UMA challenge among the challenges of a `WWW-Authenticate` header (RFC 9110 §11.6.1), e.g.
 * `Bearer realm="x", UMA realm="api", as_uri="https://as", ticket="016f84e8"`.
 */
export function parseUmaChallenge(header: string | null | undefined): UmaChallenge | undefined {
  if (!header) return undefined
  const start = /(?:^|,)\s*UMA(?:\s+|$)/i.exec(header)
  if (!start) return undefined
  let rest = header.slice(start.index + start[0].length)
  const params = createDictionary<string>()
  const param = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/
  for (;;) {
    const match = param.exec(rest)
    if (!match) break
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '')
    rest = rest.slice(match[0].length)
  }
  if (!params.as_uri || !params.ticket || !URL.canParse(params.as_uri)) return undefined
  return {asUri: params.as_uri, ticket: params.ticket, realm: params.realm}
}

/** The store key of the RPT cached for one login and resource server. */
export function umaCacheKey(target: Target, origin: string): string {
  return `uma:${target.key}:${origin}`
}

/** Origins that may receive the user's access token as a UMA claim token. */
export function umaAllowedOrigins(login: LoadedLogin): string[] {
  const origins = new Set<string>()
  const add = (url: string | undefined) => {
    if (url && URL.canParse(url) && !url.includes('*')) origins.add(new URL(url).origin)
  }
  add(login.preset.issuer)
  add(login.preset.tokenEndpoint)
  for (const origin of login.preset.apiOrigins) add(origin)
  add(login.record.apiBase)
  return [...origins]
}

function originIsAllowed(url: string, allowed: string[]): boolean {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && !isLoopbackUrl(parsed)) return false
  return allowed.includes(parsed.origin)
}

/** Forgets every cached RPT of a login (at logout), for the resource servers it could have been kept for. */
export async function forgetRpts(store: TokenStore, login: LoadedLogin): Promise<void> {
  for (const origin of umaAllowedOrigins(login)) await store.delete(umaCacheKey(login.target, origin))
}

/**
 * The hook `sendAuthorized` calls on a 401: when it is a UMA challenge from the origin the token was sent
 * to, present a cached RPT or obtain one, then retry once with it. Returns undefined when the 401 is not a
 * UMA challenge oauthctl may act on (the caller then handles it as usual).
 */
export async function retryWithUma(
  ctx: Context,
  login: LoadedLogin,
  url: URL,
  response: Response,
  accessToken: string,
  send: (token: string) => Promise<Response>,
): Promise<Response | undefined> {
  if (response.status !== 401) return undefined
  const challenge = parseUmaChallenge(response.headers.get('www-authenticate'))
  if (!challenge) return undefined
  if (response.url && URL.canParse(response.url) && new URL(response.url).origin !== url.origin) return undefined
  const allowed = umaAllowedOrigins(login)
  if (!originIsAllowed(challenge.asUri, allowed)) {
    ctx.io.warn(
      `${url.origin} asked for a UMA ticket exchange at ${challenge.asUri}, which is not one of ${login.target.provider}'s hosts; not sending your token there`,
    )
    return undefined
  }
  registerSecret(challenge.ticket)
  await response.body?.cancel()
  const key = umaCacheKey(login.target, url.origin)
  let ticket = challenge.ticket
  let asUri = challenge.asUri
  const cached = await login.store.get(key)
  if (cached && !(cached.expiresAt !== undefined && cached.expiresAt - ctx.now() <= 5_000)) {
    registerSecret(cached.accessToken)
    ctx.debug(`${url.origin} asked for UMA permission; trying the cached RPT`)
    const again = await send(cached.accessToken)
    const next = again.status === 401 ? parseUmaChallenge(again.headers.get('www-authenticate')) : undefined
    if (!next || !originIsAllowed(next.asUri, allowed)) return again
    await again.body?.cancel()
    ticket = next.ticket
    asUri = next.asUri
    registerSecret(ticket)
  }
  ctx.debug(`${url.origin} asked for UMA permission; exchanging the ticket at ${asUri}`)
  const rpt = await requestRpt(ctx, login, {asUri, ticket}, accessToken, allowed)
  await login.store.set(key, rpt)
  return send(rpt.accessToken)
}

interface AsMetadata {
  issuer?: string
  token_endpoint?: string
}

/** UMA discovery (`/.well-known/uma2-configuration`), falling back to OIDC discovery and RFC 8414. */
async function discoverUmaServer(ctx: Context, asUri: string): Promise<AsMetadata> {
  const base = asUri.replace(/\/+$/, '')
  const tried: string[] = []
  for (const suffix of ['/.well-known/uma2-configuration', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const url = `${base}${suffix}`
    try {
      const response = await ctx.fetch(url, {
        headers: {accept: 'application/json', 'user-agent': DEFAULT_USER_AGENT},
        signal: AbortSignal.timeout(10_000),
      })
      if (response.ok) {
        const metadata = (await (await limitResponseBody(response, url)).json()) as AsMetadata
        if (metadata && typeof metadata.token_endpoint === 'string') return metadata
      } else {
        await response.body?.cancel()
      }
      tried.push(`${url}: HTTP ${response.status}`)
    } catch (error) {
      tried.push(`${url}: ${(error as Error).message}`)
    }
  }
  throw new AuthorizationError(`could not discover the UMA authorization server at ${asUri}`, {
    hint: `Tried ${tried.join('; ')}.`,
  }, 'uma_discovery_failed')
}

/** The UMA grant (§3.3.1): the ticket, and the user's access token as the claim token. */
async function requestRpt(
  ctx: Context,
  login: LoadedLogin,
  challenge: {asUri: string; ticket: string},
  accessToken: string,
  allowed: string[],
): Promise<TokenSecrets> {
  const metadata = await discoverUmaServer(ctx, challenge.asUri)
  const normalize = (value: string) => value.replace(/\/+$/, '')
  if (metadata.issuer !== undefined && normalize(metadata.issuer) !== normalize(challenge.asUri)) {
    throw new AuthorizationError(`the UMA server at ${challenge.asUri} calls itself ${metadata.issuer}; not sending it a ticket`, {
      hint: 'The resource server and its authorization server disagree; report it to the API owner.',
    }, 'uma_issuer_mismatch')
  }
  const tokenEndpoint = metadata.token_endpoint as string
  if (!originIsAllowed(tokenEndpoint, allowed)) {
    throw new AuthorizationError(`the UMA token endpoint ${tokenEndpoint} is not on one of ${login.target.provider}'s hosts; not sending your token there`, {
      hint: 'Report it to the API owner.',
    }, 'uma_untrusted_endpoint')
  }
  const client = await import('openid-client')
  const secrets = await login.store.get(login.target.key)
  const clientId = login.record.clientId ?? login.preset.clientId ?? ''
  const secret = secrets?.clientSecret
  const auth = secret
    ? login.preset.clientAuth === 'client_secret_post'
      ? client.ClientSecretPost(secret)
      : client.ClientSecretBasic(secret)
    : client.None()
  const config = new client.Configuration(
    {issuer: metadata.issuer ?? challenge.asUri, token_endpoint: tokenEndpoint},
    clientId,
    {},
    auth,
  )
  if (new URL(tokenEndpoint).protocol === 'http:') client.allowInsecureRequests(config)
  config[client.customFetch] = (input, init) => ctx.fetch(input, init).then((response) => limitResponseBody(response, input)).then(withoutPrototypeMembers)
  let response
  try {
    response = await client.genericGrantRequest(config, UMA_TICKET_GRANT, {
      ticket: challenge.ticket,
      claim_token: accessToken,
      claim_token_format: CLAIM_TOKEN_FORMAT,
    })
  } catch (error) {
    const code = oauthErrorCode(error)
    throw new AuthorizationError(`the UMA authorization server refused the permission ticket: ${describeOAuthError(error)}`, {
      error: code,
      errorDescription: (error as {error_description?: string}).error_description,
      hint:
        code === 'request_denied'
          ? 'The resource owner has not granted you this permission; ask them to share it.'
          : code === 'need_info'
            ? 'The authorization server needs more claims than your access token carries.'
            : 'Retry; if it keeps failing, run `oauthctl status --check` and log in again.',
      cause: error,
    }, 'uma_denied')
  }
  registerSecret(response.access_token)
  const expiresIn = checkExpiresIn(response.expires_in, ctx.debug)
  const rpt: TokenSecrets = {accessToken: response.access_token, tokenType: response.token_type}
  if (expiresIn !== undefined) rpt.expiresAt = ctx.now() + expiresIn * 1000
  return rpt
}
