import type {IncomingMessage} from 'node:http'
import {Readable} from 'node:stream'

/**
 * A `fetch` for oauthctl's own requests, on node:http / node:https. Node 20's built-in fetch (undici)
 * costs about 70 ms of extra process time on a one-shot CLI call (loading undici and compiling its WASM
 * HTTP parser), which is more than the whole budget of `oauthctl get`. This covers what oauthctl sends
 * (string / bytes / URLSearchParams bodies, manual or followed redirects, abort signals) and returns real
 * `Response` objects; anything else (a Request object, a stream or form body) goes to the built-in fetch.
 *
 * Like fetch, network failures reject with `TypeError('fetch failed', {cause})` and the cause keeps the
 * system error code (ECONNREFUSED, ECONNRESET...). Unlike fetch, no `Accept-Encoding` is added, so bodies
 * arrive exactly as the server sent them.
 */
export async function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body
  const simpleBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams || body instanceof ArrayBuffer
  if (!(typeof input === 'string' || input instanceof URL) || !simpleBody) return globalThis.fetch(input, init)
  const bytes = toBytes(body)
  const headers = new Headers(init.headers)
  if (body instanceof URLSearchParams && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
  }
  if (typeof body === 'string' && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8')
  let url = new URL(input)
  let method = (init.method ?? 'GET').toUpperCase()
  let payload = bytes
  for (let hop = 0; ; hop++) {
    const response = await send(url, method, headers, payload, init.signal ?? undefined)
    const location = response.headers.get('location')
    if ((init.redirect ?? 'follow') !== 'follow' || ![301, 302, 303, 307, 308].includes(response.status) || !location) {
      return response
    }
    await response.body?.cancel()
    if (hop >= 20) throw new TypeError('fetch failed', {cause: new Error('redirect count exceeded')})
    const next = new URL(location, url)
    if (next.origin !== url.origin) headers.delete('authorization')
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

async function send(url: URL, method: string, headers: Headers, body: Uint8Array | undefined, signal?: AbortSignal): Promise<Response> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('fetch failed', {cause: new Error(`unsupported protocol ${url.protocol}`)})
  }
  signal?.throwIfAborted()
  const {request} = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const outgoing: Record<string, string> = {}
  headers.forEach((value, name) => (outgoing[name] = value))
  if (!headers.has('accept')) outgoing.accept = '*/*'
  if (body) outgoing['content-length'] = String(body.byteLength)
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, {method, headers: outgoing, signal})
    req.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.name === 'AbortError' ? signal?.reason ?? error : new TypeError('fetch failed', {cause: error}))
    })
    req.once('response', (res: IncomingMessage) => {
      const responseHeaders = new Headers()
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1])
      const status = res.statusCode ?? 502
      const empty = method === 'HEAD' || NULL_BODY_STATUSES.has(status)
      if (empty) res.resume()
      const stream = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>)
      const response = new Response(stream, {status: status < 200 ? 200 : status, statusText: res.statusMessage ?? '', headers: responseHeaders})
      Object.defineProperty(response, 'url', {value: url.href})
      resolve(response)
    })
    req.end(body)
  })
}
