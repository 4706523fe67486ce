import {limitResponseBody} from '../http/body-limit.js'
import {isLoopbackUrl, type ProviderPreset} from './preset.js'
import {createDictionary, ownValue, parseJsonSafely, withoutPrototypeMembers} from '../util/safe-object.js'

type FetchFn = typeof fetch
type CustomFetch = (url: string, options: RequestInit & {headers: Headers | Record<string, string>}) => Promise<Response>

/** The User-Agent oauthctl sends (some providers, Reddit among them, reject generic ones). */
export const DEFAULT_USER_AGENT = 'oauthctl/0.1 (+https://www.npmjs.com/package/oauthctl)'

/**
 * Wraps fetch for openid-client's `customFetch` hook so that odd authorization servers look standard to it:
 * - every request carries oauthctl's User-Agent, or the preset's own (Reddit rejects generic ones);
 * - token and device-authorization answers that are form-encoded (GitHub without
 *   `Accept: application/json`) become JSON;
 * - `HTTP 200 {"error": ...}` (GitHub, Slack `{"ok": false}`) becomes HTTP 400 so it is treated as an error;
 * - a token nested in the response (Slack `authed_user`) is lifted to the top level;
 * - a public client that must use HTTP Basic with an empty password (Reddit) gets its `client_id` moved
 *   from the body into the Authorization header;
 * - no answer larger than 1 MiB is read (see body-limit.ts).
 * @see RFC 6749 §5.1 and §5.2 for the shape these are normalised to, §2.3.1 for Basic.
 */
export function createQuirkFetch(preset: ProviderPreset, baseFetch: FetchFn, userAgent = DEFAULT_USER_AGENT): CustomFetch {
  const aliases = preset.mtlsEndpointAliases ?? {}
  const tokenEndpoints = [preset.tokenEndpoint, preset.deviceAuthorizationEndpoint, aliases.token_endpoint, aliases.device_authorization_endpoint]
    .filter((url): url is string => Boolean(url))
    .map(stripQuery)
  const clientEndpoints = [...tokenEndpoints, preset.revocationEndpoint, preset.introspectionEndpoint, aliases.revocation_endpoint, aliases.introspection_endpoint]
    .filter((url): url is string => Boolean(url))
    .map(stripQuery)
  const agent = preset.quirks?.userAgent ?? userAgent
  const tokenEndpoint = stripQuery(preset.tokenEndpoint)
  return async (url, options) => {
    const headers = new Headers(options.headers)
    headers.set('user-agent', agent)
    const endpoint = stripQuery(url)
    const isToken = tokenEndpoints.includes(endpoint)
    if (isToken) headers.set('accept', 'application/json')
    let body = options.body
    if (clientEndpoints.includes(endpoint)) {
      if (preset.quirks?.basicAuthWithEmptySecret) body = moveClientIdToBasic(body, headers)
      if (preset.quirks?.plainBasicCredentials) unFormEncodeBasic(headers)
      for (const [name, value] of Object.entries(preset.quirks?.tokenRequestHeaders ?? {})) headers.set(name, value)
      if (preset.quirks?.refreshEndpoint && endpoint === tokenEndpoint && formOf(body)?.get('grant_type') === 'refresh_token') {
        url = preset.quirks.refreshEndpoint
      }
      if (preset.quirks?.jsonTokenRequests) body = formAsJson(body, headers)
    }
    // Read with a size cap; the result is also the standard Response openid-client checks for.
    const response = await limitResponseBody(await baseFetch(url, {...options, headers, body}), url)
    if (!isToken) return withoutPrototypeMembers(response)
    return normalizeTokenResponse(response, preset)
  }
}

/**
 * RFC 6749 §2.3.1 Basic with the client id as user name and an empty password, for public clients of
 * servers that insist on Basic (Reddit installed apps). Leaves requests that already authenticate alone.
 */
function moveClientIdToBasic(body: RequestInit['body'], headers: Headers): RequestInit['body'] {
  if (headers.has('authorization')) return body
  const form = body instanceof URLSearchParams ? new URLSearchParams(body) : typeof body === 'string' ? new URLSearchParams(body) : undefined
  const clientId = form?.get('client_id')
  if (!form || !clientId) return body
  form.delete('client_id')
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  headers.set('authorization', `Basic ${Buffer.from(`${encode(clientId)}:`).toString('base64')}`)
  return form
}

function formOf(body: RequestInit['body']): URLSearchParams | undefined {
  return body instanceof URLSearchParams ? body : typeof body === 'string' ? new URLSearchParams(body) : undefined
}

/** The form openid-client built, as a JSON object with the same members (Notion's token endpoint takes JSON). */
function formAsJson(body: RequestInit['body'], headers: Headers): RequestInit['body'] {
  const form = formOf(body)
  if (!form) return body
  headers.set('content-type', 'application/json')
  return JSON.stringify(Object.fromEntries(form))
}

/** Rewrites `Basic base64(formEncode(id):formEncode(secret))` as `Basic base64(id:secret)`. */
function unFormEncodeBasic(headers: Headers): void {
  const match = /^Basic\s+(\S+)$/i.exec(headers.get('authorization') ?? '')
  if (!match) return
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return
  const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '))
  try {
    const plain = `${formDecode(decoded.slice(0, colon))}:${formDecode(decoded.slice(colon + 1))}`
    headers.set('authorization', `Basic ${Buffer.from(plain, 'utf8').toString('base64')}`)
  } catch {
    // Not form-encoded after all: leave it as it was.
  }
}

/**
 * The headers a preset sends on every API call, under the user's own: its `apiHeaders` and its
 * User-Agent (Reddit asks for a distinctive one on every request). A header the user gave wins.
 */
export function applyPresetApiHeaders(preset: ProviderPreset, headers: Headers): void {
  for (const [name, value] of Object.entries(preset.apiHeaders ?? {})) {
    // A `{client_id}` left unfilled (no client id known for this login) is not sent.
    if (!headers.has(name) && !value.includes('{client_id}')) headers.set(name, value)
  }
  if (preset.quirks?.userAgent && !headers.has('user-agent')) headers.set('user-agent', preset.quirks.userAgent)
}

/**
 * The preset with `{client_id}` in its API headers replaced by the login's client id (Twitch wants the
 * app's `Client-Id` on every Helix call: https://dev.twitch.tv/docs/api/#twitch-api-request-format).
 */
export function withClientId(preset: ProviderPreset, clientId: string | undefined): ProviderPreset {
  if (!clientId || !preset.apiHeaders) return preset
  const apiHeaders = Object.fromEntries(Object.entries(preset.apiHeaders).map(([name, value]) => [name, value.replaceAll('{client_id}', clientId)]))
  return {...preset, apiHeaders}
}

/**
 * The API base a token response names (Salesforce `instance_url` + `/services/data/vXX.X`), when the preset
 * says to take it from there. Only https (or loopback http) is accepted: the access token will be sent there.
 */
export function apiBaseFromTokenResponse(preset: ProviderPreset, response: Record<string, unknown>): string | undefined {
  const field = preset.quirks?.apiBaseFromTokenResponse
  if (!field) return undefined
  const value = response[field]
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined
  const url = new URL(value)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) return undefined
  return `${value.replace(/\/+$/, '')}${preset.quirks?.apiBaseSuffix ?? ''}`
}

function stripQuery(url: string): string {
  const parsed = new URL(url)
  return parsed.origin + parsed.pathname
}

/** Rewrites a token-endpoint response into RFC 6749 JSON; untouched when it already is. */
export async function normalizeTokenResponse(response: Response, preset: ProviderPreset): Promise<Response> {
  const contentType = response.headers.get('content-type') ?? ''
  const text = await response.text()
  let body: Record<string, unknown> | undefined
  if (contentType.includes('application/x-www-form-urlencoded') || (!contentType.includes('json') && /^[\w.-]+=/.test(text))) {
    body = createDictionary(new URLSearchParams(text))
  } else {
    try {
      const parsed: unknown = parseJsonSafely(text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
    } catch {
      body = undefined
    }
  }
  let status = response.status
  if (body) {
    const path = preset.quirks?.tokenResponsePath
    if (path && status < 400) {
      const nested = path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? ownValue(value, key) : undefined), body)
      if (nested && typeof nested === 'object') body = {...body, ...(nested as Record<string, unknown>)}
    }
    if (status === 200 && (typeof body.error === 'string' || body.ok === false)) {
      status = 400
      if (typeof body.error !== 'string') body.error = 'invalid_request'
    }
    // Google's device authorization response names it `verification_url` (RFC 8628 §3.2 says `verification_uri`).
    // https://developers.google.com/identity/protocols/oauth2/limited-input-device#step-2:-handle-the-authorization-server-response
    if (typeof body.verification_url === 'string' && body.verification_uri === undefined) body.verification_uri = body.verification_url
    // RFC 6749 §3.3 makes `scope` a space-delimited string; Twitch answers with a JSON array
    // (https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow).
    if (Array.isArray(body.scope) && body.scope.every((scope) => typeof scope === 'string')) body.scope = body.scope.join(' ')
    if (body.expires_in !== undefined && typeof body.expires_in === 'string' && /^\d+$/.test(body.expires_in)) {
      body.expires_in = Number(body.expires_in)
    }
    if (status < 400 && typeof body.access_token === 'string') {
      const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : undefined
      // RFC 6749 §5.1 makes token_type required; a missing one (or Slack's `user`) is a bearer token.
      if (type === undefined || (preset.quirks?.nonStandardTokenType && type !== 'bearer' && type !== 'dpop')) {
        body.token_type = 'Bearer'
      }
      // Its `iss` names the user's tenant, never the templated issuer, or there is no known issuer at all
      // (a provider added by hand): it cannot be validated (OIDC Core §3.1.3.7), so drop it.
      if (preset.quirks?.multiTenantIssuer || preset.issuer === undefined) delete body.id_token
    }
  }
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  if (body) headers.set('content-type', 'application/json')
  return new Response(body ? JSON.stringify(body) : text, {status, statusText: response.statusText, headers})
}
