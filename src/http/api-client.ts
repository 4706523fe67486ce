import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
import type {LoadedLogin} from '../flows/session.js'
import {getAccessToken} from '../flows/session.js'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'

/** Matches an origin against an allow-list entry; `https://*.googleapis.com` allows any subdomain. */
export function originAllowed(origin: string, allowed: string): boolean {
  if (!allowed.includes('*')) return origin === normalizeOrigin(allowed)
  const pattern = new URL(allowed.replace('*.', 'wildcard.'))
  const target = new URL(origin)
  return (
    target.protocol === pattern.protocol &&
    target.port === pattern.port &&
    target.hostname.endsWith(pattern.hostname.slice('wildcard'.length))
  )
}

function normalizeOrigin(value: string): string {
  try {
    return new URL(value).origin
  } catch {
    return value
  }
}

/** `--allow-host` values may be bare host names (`example.com`) or origins (`https://example.com:8443`). */
export function allowHostEntries(hosts: string[]): string[] {
  return hosts.map((host) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`))
}

/**
 * Resolves what the user typed against the API base. A path (`/v2/me` or `v2/me`) is appended to the base;
 * an absolute URL must be on one of the provider's API origins (or one the user allowed), so that a token
 * is never sent to a host the user did not mean.
 */
export function resolveApiUrl(apiBase: string, origins: string[], pathOrUrl: string, allowHosts: string[] = []): URL {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) {
    const url = new URL(pathOrUrl)
    const allowed = [...origins, ...allowHostEntries(allowHosts)]
    if (!allowed.some((entry) => originAllowed(url.origin, entry))) {
      throw new ConfigError(`refusing to send the token to ${url.host}: it is not one of this provider's API hosts`, {
        hint: `Allowed: ${origins.join(', ')}. Pass --allow-host ${url.host} if you really mean it.`,
      })
    }
    return url
  }
  const base = apiBase.replace(/\/+$/, '')
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`
  return new URL(`${base}${path}`)
}

export interface SendOptions {
  method: string
  headers?: Headers
  body?: RequestInit['body']
  /** Redirects are followed only for GET and HEAD. */
  maxRedirects?: number
  signal?: AbortSignal
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/**
 * Sends one API request with the login's bearer token. Redirects (GET/HEAD only) are followed by hand so
 * that the Authorization header is dropped as soon as the origin changes. A 401 on the token we sent
 * triggers one refresh (shared across processes, see getAccessToken) and one retry.
 */
export async function sendAuthorized(ctx: Context, login: LoadedLogin, url: URL, options: SendOptions): Promise<Response> {
  let secrets = await getAccessToken(ctx, login)
  let response = await sendFollowingRedirects(ctx, url, options, secrets.accessToken)
  if (response.status === 401 && (secrets.refreshToken || login.record.grant === 'client_credentials')) {
    await response.body?.cancel()
    ctx.debug(`${url.origin} answered 401; refreshing once and retrying`)
    secrets = await getAccessToken(ctx, login, {rejectedAccessToken: secrets.accessToken})
    response = await sendFollowingRedirects(ctx, url, options, secrets.accessToken)
  }
  return response
}

async function sendFollowingRedirects(ctx: Context, start: URL, options: SendOptions, accessToken: string): Promise<Response> {
  const tokenOrigin = start.origin
  const follow = options.method === 'GET' || options.method === 'HEAD'
  let url = start
  // Once a redirect leaves the origin the token was meant for, it is never sent again in this chain.
  let sendToken = true
  for (let hop = 0; ; hop++) {
    if (url.origin !== tokenOrigin) sendToken = false
    const headers = new Headers(options.headers)
    if (!headers.has('user-agent')) headers.set('user-agent', DEFAULT_USER_AGENT)
    if (sendToken) headers.set('authorization', `Bearer ${accessToken}`)
    else headers.delete('authorization')
    ctx.debug(`${options.method} ${url.href}${headers.has('authorization') ? ' (with token)' : ' (no token)'}`)
    const response = await ctx.fetch(url, {
      method: options.method,
      headers,
      body: hop === 0 ? options.body : undefined,
      redirect: 'manual',
      signal: options.signal,
    })
    const location = response.headers.get('location')
    if (!follow || !REDIRECT_STATUSES.has(response.status) || !location || hop >= (options.maxRedirects ?? 10)) {
      return response
    }
    await response.body?.cancel()
    url = new URL(location, url)
  }
}
