import type {IncomingMessage} from 'node:http'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {LiteHeaders, LiteResponse} from './lite.js'
import {bodyStream, guardRequest, writeBody} from './request-timers.js'
import {DEFAULT_TIMEOUTS, type HttpTimeouts} from './timeouts.js'
import {loadNet} from '../util/lazy-builtins.js'
import type {ClientCertificate} from '../store/client-cert-record.js'

/**
 * A request init that may carry a TLS client certificate (RFC 8705 mTLS): presented to the request's own
 * origin only; a redirect to another origin goes without it, as it goes without the Authorization header.
 */
export type TlsRequestInit = RequestInit & {tls?: TlsOptions}

/** A client certificate and key, and extra trusted CAs (PEM), for one request (any of them). */
export type TlsOptions = Partial<ClientCertificate>

/**
 * A `fetch` for oauthctl's own requests, on node:http / node:https. Node 20's built-in fetch (undici)
 * costs about 70 ms of extra process time on a one-shot CLI call (loading undici and compiling its WASM
 * HTTP parser), which is more than the whole budget of `oauthctl get`. This covers what oauthctl sends
 * (string / bytes / URLSearchParams bodies, manual or followed redirects, abort signals) and returns
 * undici-free {@link LiteResponse} objects typed as `Response` (see lite.ts; openid-client gets standard
 * ones through toStandardResponse); anything else (a Request object, a stream or form body) goes to the
 * built-in fetch.
 *
 * Like fetch, network failures reject with `TypeError('fetch failed', {cause})` and the cause keeps the
 * system error code (ECONNREFUSED, ECONNRESET...). Unlike fetch, no `Accept-Encoding` is added, so bodies
 * arrive exactly as the server sent them.
 *
 * Unlike fetch, nothing waits forever: the connection must be made within `timeouts.connectMs`, and the
 * server must send something within `timeouts.idleMs` whenever oauthctl is waiting for it (the answer, the
 * next piece of the body) or sending to it; otherwise the request fails with an {@link HttpTimeoutError}
 * (code `ETIMEDOUT`) as cause, or the body stream errors with it.
 */
export async function nodeFetch(input: string | URL | Request, init: TlsRequestInit = {}, timeouts: HttpTimeouts = DEFAULT_TIMEOUTS): Promise<Response> {
  const body = init.body
  const simpleBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams || body instanceof ArrayBuffer
  if (!(typeof input === 'string' || input instanceof URL) || !simpleBody) return globalThis.fetch(input, init)
  const bytes = toBytes(body)
  const headers = new LiteHeaders(init.headers as ConstructorParameters<typeof LiteHeaders>[0])
  if (body instanceof URLSearchParams && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
  }
  if (typeof body === 'string' && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8')
  let url = new URL(input)
  let method = (init.method ?? 'GET').toUpperCase()
  let payload = bytes
  let tls = init.tls
  for (let hop = 0; ; hop++) {
    const response = await send(url, method, headers, payload, init.signal ?? undefined, timeouts, tls)
    const location = response.headers.get('location')
    if ((init.redirect ?? 'follow') !== 'follow' || ![301, 302, 303, 307, 308].includes(response.status) || !location) {
      return response
    }
    await response.body?.cancel()
    if (hop >= 20) throw new TypeError('fetch failed', {cause: new Error('redirect count exceeded')})
    const next = new URL(location, url)
    if (next.origin !== url.origin) {
      headers.delete('authorization')
      // The client certificate stays with its origin; the CAs the user trusts still apply.
      tls = tls?.ca ? {ca: tls.ca} : undefined
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET'
      payload = undefined
      headers.delete('content-type')
    }
    url = next
  }
}

function toBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return Buffer.from(body)
  if (body instanceof URLSearchParams) return Buffer.from(body.toString())
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  return body as Uint8Array
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

async function send(
  url: URL,
  method: string,
  headers: LiteHeaders,
  body: Uint8Array | undefined,
  signal: AbortSignal | undefined,
  timeouts: HttpTimeouts,
  tls?: TlsOptions,
): Promise<Response> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('fetch failed', {cause: new Error(`unsupported protocol ${url.protocol}`)})
  }
  signal?.throwIfAborted()
  const outgoing: Record<string, string> = {}
  headers.forEach((value, name) => (outgoing[name] = value))
  if (!headers.has('accept')) outgoing.accept = '*/*'
  // Some APIs (GitHub) refuse requests without a User-Agent; say who we are unless the caller did.
  if (!headers.has('user-agent')) outgoing['user-agent'] = DEFAULT_USER_AGENT
  if (body) outgoing['content-length'] = String(body.byteLength)
  const proxy = proxyFor(url, process.env)
  // The client certificate (and extra CAs) only on https; the global agent keeps such connections apart.
  const secure = tls && url.protocol === 'https:' ? Object.fromEntries(Object.entries(tls).filter(([name, value]) => ['cert', 'key', 'ca'].includes(name) && value)) : undefined
  const options = proxy ? await viaProxy(url, proxy, outgoing, signal, timeouts, secure) : (secure ?? {})
  const {request} = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, {method, headers: outgoing, signal, ...options})
    const idle = guardRequest(req, url.host, timeouts)
    req.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.name === 'AbortError' ? signal?.reason ?? error : new TypeError('fetch failed', {cause: error}))
    })
    req.once('response', (res: IncomingMessage) => {
      const responseHeaders = new LiteHeaders()
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1])
      const status = res.statusCode ?? 502
      const empty = method === 'HEAD' || NULL_BODY_STATUSES.has(status)
      if (empty) res.resume()
      const stream = empty ? null : bodyStream(res, url.host, timeouts.idleMs, signal)
      resolve(new LiteResponse(stream, status < 200 ? 200 : status, res.statusMessage ?? '', responseHeaders, url.href) as unknown as Response)
    })
    writeBody(req, body, idle).catch(() => {
      // A failed write also fails the request: its 'error' handler above reports it.
    })
  })
}

/**
 * The proxy for a URL from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (or their lower-case forms), unless
 * `NO_PROXY` names its host (`*`, `example.com`, `.example.com`, `host:port`). Loopback hosts (the
 * callback, the sandbox) never go through a proxy.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return undefined
  const pick = (...names: string[]) => names.map((name) => env[name]).find((value) => value && value.trim())
  const value = url.protocol === 'https:' ? pick('https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY') : pick('http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY')
  if (!value) return undefined
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  for (const entry of (pick('no_proxy', 'NO_PROXY') ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [pattern, patternPort] = entry.toLowerCase().replace(/^\*\./, '.').split(':')
    if (pattern === '*') return undefined
    if (patternPort && patternPort !== port) continue
    const bare = pattern.replace(/^\./, '')
    if (host === bare || host.endsWith(`.${bare}`)) return undefined
  }
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    throw new TypeError('fetch failed', {cause: new Error(`the proxy setting ${JSON.stringify(value)} is not a URL`)})
  }
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
}

/**
 * Request options that send a request through an HTTP proxy: plain http in absolute form to the proxy;
 * https through a `CONNECT` tunnel, so TLS (and the token) stay end to end (RFC 9110 §9.3.6).
 */
async function viaProxy(
  url: URL,
  proxy: URL,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  timeouts: HttpTimeouts,
  secure?: TlsOptions,
): Promise<Record<string, unknown>> {
  const auth = proxyAuthorization(proxy)
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80))
  // The target's own Host header (node would derive it from the proxy, or from port 80 with no agent).
  headers.host = url.host
  if (url.protocol === 'http:') {
    if (auth) headers['proxy-authorization'] = auth
    return {host: proxy.hostname, port: proxyPort, path: url.href, hostname: undefined}
  }
  const http = await import('node:http')
  const tls = await import('node:tls')
  const target = `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || 443}`
  const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
    const connect = http.request({
      host: proxy.hostname,
      port: proxyPort,
      method: 'CONNECT',
      path: target,
      headers: {host: target, ...(auth ? {'proxy-authorization': auth} : {})},
      signal,
    })
    guardRequest(connect, proxy.host, timeouts)
    connect.once('connect', (response, tunnel) => {
      if (response.statusCode === 200) return resolve(tunnel)
      tunnel.destroy()
      reject(new TypeError('fetch failed', {cause: Object.assign(new Error(`the proxy ${proxy.host} refused to connect to ${target}: HTTP ${response.statusCode}`), {code: 'EPROXY'})}))
    })
    connect.once('error', (error) => reject(new TypeError('fetch failed', {cause: error})))
    connect.end()
  })
  // No `agent`: node then opens the connection with `createConnection`, i.e. TLS inside the tunnel.
  return {
    createConnection: () => {
      const host = url.hostname.replace(/^\[|\]$/g, '')
      // SNI carries host names only (RFC 6066 §3).
      const connection = tls.connect({socket, servername: loadNet().isIP(host) ? undefined : host, ...secure})
      connection.once('close', () => socket.destroy())
      return connection
    },
  }
}
