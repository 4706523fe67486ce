import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import type {LoadedLogin} from '../session/session.js'
import {getAccessToken} from '../session/access-token.js'
import {isLoopbackUrl} from '../providers/preset.js'
import {applyPresetApiHeaders, DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {loadProofSigner, setAuthorization, takeDPoPNonce, type ProofSigner} from './dpop-request.js'
import {DPoPNonceFile} from './dpop-nonces.js'
import {LiteHeaders} from './lite.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import {REDIRECT_STATUSES, tooManyRedirects} from './redirects.js'
import {fetchWithRetry, sleep} from './retry.js'

/** Matches an origin against an allow-list entry; `https://*.googleapis.com` allows any subdomain. */
export function originAllowed(origin: string, allowed: string): boolean {
  if (!allowed.includes('*')) return origin === normalizeOrigin(allowed)
  const wildcard = allowed.replace('*.', 'wildcard.')
  if (!URL.canParse(wildcard) || !URL.canParse(origin)) return false
  const pattern = new URL(wildcard)
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

/**
 * `--allow-host` values may be bare host names (`example.com`, `*.example.com`, meaning https) or origins
 * (`https://example.com:8443`). A bare loopback host (`127.0.0.1:8080`) allows http as well.
 */
export function allowHostEntries(hosts: string[]): string[] {
  return hosts.flatMap((host) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return [host]
    const https = `https://${host}`
    return URL.canParse(https) && isLoopbackUrl(https) ? [https, `http://${host}`] : [https]
  })
}

/** The origins that may receive this login's token: the preset's, plus an API base learned at login. */
export function tokenOrigins(login: LoadedLogin): string[] {
  const learned = login.record.apiBase
  return learned ? [...login.preset.apiOrigins, new URL(learned).origin] : login.preset.apiOrigins
}

/**
 * Refuses (exit 3, naming the host) a URL whose origin is not one of `origins` or `--allow-host`, and plain
 * http anywhere but loopback, before any token is loaded or sent.
 */
export function checkTokenDestination(url: URL, origins: string[], allowHosts: string[] = []): void {
  const allowed = [...origins, ...allowHostEntries(allowHosts)]
  if (!allowed.some((entry) => originAllowed(url.origin, entry))) {
    throw new ConfigError(`refusing to send the token to ${url.host}: it is not one of this provider's API hosts`, {
      hint: `Allowed: ${origins.join(', ')}. Pass --allow-host ${url.host} if you really mean it.`,
    })
  }
  if (url.protocol !== 'https:' && !isLoopbackUrl(url)) {
    throw new ConfigError(`refusing to send the token over plain ${url.protocol.replace(':', '')} to ${url.host}`, {
      hint: `Use https://${url.host}${url.pathname}.`,
    })
  }
}

/**
 * Resolves what the user typed against the API base. A path (`/v2/me` or `v2/me`) is appended to the base;
 * an absolute URL must be on one of the provider's API origins (or one the user allowed), so that a token
 * is never sent to a host the user did not mean.
 */
export function resolveApiUrl(apiBase: string, origins: string[], pathOrUrl: string, allowHosts: string[] = []): URL {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) {
    if (!URL.canParse(pathOrUrl)) throw new ConfigError(`"${pathOrUrl}" is not a valid URL`)
    const url = new URL(pathOrUrl)
    checkTokenDestination(url, origins, allowHosts)
    return url
  }
  const base = apiBase.replace(/\/+$/, '')
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`
  const url = new URL(`${base}${path}`)
  checkTokenDestination(url, [...origins, new URL(base).origin], allowHosts)
  return url
}

/** `--allow-host` values that name no host (`*`, `http://`) are usage errors (exit 2). */
export function checkAllowHosts(hosts: string[]): void {
  for (const entry of allowHostEntries(hosts)) {
    const probe = entry.replace('*.', 'wildcard.')
    if (!URL.canParse(probe) || new URL(probe).origin === 'null' || new URL(probe).hostname === '' || probe.includes('*')) {
      throw new UsageError(`bad --allow-host "${entry}": expected a host (api.example.com, *.example.com) or an origin (https://host:port)`)
    }
  }
}

export interface SendOptions {
  method: string
  headers?: Headers
  body?: Uint8Array | string
  /** Redirects are followed only for GET and HEAD; a longer chain is exit 7. */
  maxRedirects?: number
  /** The login's TLS client certificate (mTLS) and the origins it may be presented to. */
  tls?: {cert: ClientCertificate; origins: string[]}
}

/** Headers that carry credentials: never sent to an origin the token was not meant for (as curl does). */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']

/**
 * Sends one API request with the login's token (Bearer, or DPoP with a fresh proof per attempt and one
 * retry when the API asks for a DPoP nonce, RFC 9449 §7.1, §9). Redirects (GET/HEAD only) are followed by hand so
 * that the Authorization header (and any Cookie) is dropped as soon as the origin changes; a redirect
 * target needs no allow-listing because no credential goes there. Connection resets and 429/503 are
 * retried for idempotent methods (see fetchWithRetry). A 401 on the token we sent triggers one refresh
 * (shared across processes, see getAccessToken in session/access-token.ts) and one retry.
 */
export async function sendAuthorized(ctx: Context, login: LoadedLogin, url: URL, given: SendOptions): Promise<Response> {
  const headers = new LiteHeaders(given.headers as Headers)
  applyPresetApiHeaders(login.preset, headers as unknown as Headers)
  const options = {...given, headers: headers as unknown as Headers}
  if (login.preset.oauth1) {
    // OAuth 1.0a: every request (and every redirect hop) carries its own signature; nothing to refresh.
    const {oauth1Authorization} = await import('./oauth1-client.js')
    const sign = await oauth1Authorization(login)
    return sendFollowingRedirects(ctx, url, options, '', undefined, (target) => sign(options.method, target, {contentType: headers.get('content-type'), bytes: options.body}))
  }
  let secrets = await getAccessToken(ctx, login)
  // DPoP nonces outlive the process, so a script's next call starts with the one this call gets.
  const kept = secrets.dpopKey ? new DPoPNonceFile(ctx.configDir) : undefined
  const signer = await loadProofSigner(secrets, ctx.now, kept)
  // RFC 8705 §3: a certificate-bound token goes with its certificate, to the provider's API origins only.
  const cert = secrets.clientCert ? {cert: secrets.clientCert, origins: tokenOrigins(login)} : undefined
  options.tls = cert
  let response = await sendFollowingRedirects(ctx, url, options, secrets.accessToken, signer)
  if (signer && takeDPoPNonce(url, response, kept, ctx.now())) {
    // RFC 9449 §9: the API wants a nonce in the proof; it gave one, so the request goes once more.
    await response.body?.cancel()
    ctx.debug(`${url.origin} answered use_dpop_nonce; retrying once with the nonce it gave`)
    response = await sendFollowingRedirects(ctx, url, options, secrets.accessToken, signer)
    // A nonce on the retried answer is kept too (no second retry).
    takeDPoPNonce(url, response, kept, ctx.now())
  }
  if (response.status === 401 && /(?:^|,)\s*UMA\b/i.test(response.headers.get('www-authenticate') ?? '')) {
    // UMA 2.0: the API wants a requesting party token for a permission ticket, not a refreshed token.
    const {retryWithUma} = await import('./uma.js')
    const send = (token: string) => sendFollowingRedirects(ctx, url, options, token)
    return (await retryWithUma(ctx, login, url, response, secrets.accessToken, send)) ?? response
  }
  if (response.status === 401 && (secrets.refreshToken || login.record.grant === 'client_credentials')) {
    await response.body?.cancel()
    ctx.debug(`${url.origin} answered 401; refreshing once and retrying`)
    secrets = await getAccessToken(ctx, login, {rejectedAccessToken: secrets.accessToken})
    response = await sendFollowingRedirects(ctx, url, options, secrets.accessToken, signer)
  }
  return response
}

async function sendFollowingRedirects(
  ctx: Context,
  start: URL,
  options: SendOptions,
  accessToken: string,
  signer?: ProofSigner,
  /** The Authorization header for a hop when it is not the token (an OAuth 1.0a signature per request). */
  authorize?: (url: URL) => string,
): Promise<Response> {
  const tokenOrigin = start.origin
  const follow = options.method === 'GET' || options.method === 'HEAD'
  const retryDeps = {now: ctx.now, sleep: (ms: number) => sleep(ms, ctx.signal), say: (line: string) => ctx.io.say(line)}
  let url = start
  // Once a redirect leaves the origin the token was meant for, it is never sent again in this chain.
  let sendToken = true
  for (let hop = 0; ; hop++) {
    if (url.origin !== tokenOrigin) sendToken = false
    const headers = new LiteHeaders(options.headers as Headers)
    if (!headers.has('user-agent')) headers.set('user-agent', DEFAULT_USER_AGENT)
    if (sendToken && authorize) headers.set('authorization', authorize(url))
    else if (sendToken) setAuthorization(headers, accessToken, signer, options.method, url)
    else for (const name of [...CREDENTIAL_HEADERS, 'dpop']) headers.delete(name)
    ctx.debug(`${options.method} ${url.href}${headers.has('authorization') ? ' (with token)' : ' (no token)'}`)
    const target = url
    let firstAttempt = true
    const response = await fetchWithRetry(
      options.method,
      target,
      () => {
        // A retried attempt (429, 503, reset) is a new request: it needs a proof of its own.
        if (!firstAttempt && sendToken && signer) setAuthorization(headers, accessToken, signer, options.method, target)
        firstAttempt = false
        return ctx.fetch(target, {
          method: options.method,
          headers,
          body: hop === 0 ? options.body : undefined,
          redirect: 'manual',
          signal: ctx.signal,
          ...(sendToken && options.tls?.origins.includes(target.origin) ? {tls: options.tls.cert} : {}),
        } as RequestInit)
      },
      retryDeps,
    )
    ctx.debug(`-> HTTP ${response.status} ${response.statusText}`)
    const location = response.headers.get('location')
    // Anything not followed is the caller's answer; see unfollowedRedirect for why a 3xx then fails.
    if (!follow || !REDIRECT_STATUSES.has(response.status) || !location) return response
    if (!URL.canParse(location, url.href) || !/^https?:$/.test(new URL(location, url).protocol)) return response
    await response.body?.cancel()
    const maxRedirects = options.maxRedirects ?? 10
    if (hop >= maxRedirects) throw tooManyRedirects(options.method, start, new URL(location, url), maxRedirects)
    url = new URL(location, url)
  }
}
