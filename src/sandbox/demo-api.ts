/// <reference path="./oidc-provider.d.ts" />
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Provider} from 'oidc-provider'
import {profileFor} from './accounts.js'
import {authenticateDPoP} from './dpop-api.js'
import {createDPoPVerifier, type DPoPVerifier} from './dpop.js'
import {certificateBindingRefusal} from './mtls.js'
import {BodyTooLargeError, readBody, sendJson} from './http-util.js'

export interface DemoApiDeps {
  provider: Provider
  /** Origin (`http://127.0.0.1:PORT`) that absolute pagination links point to. */
  origin: string
  log: (line: string) => void
}

/** Who a valid access token speaks for. */
interface Caller {
  /** The end user, absent for client-credentials tokens. */
  accountId?: string
  clientId: string
}

interface Query {
  get(name: string): string | null
}

class BadRequest extends Error {}

/**
 * The protected demo API under `/api`: every endpoint needs `Authorization: Bearer <access token>`
 * (or `DPoP <token>` with a valid proof for a DPoP-bound token, dpop-api.ts) that this sandbox issued (authorization code, refresh, device or client-credentials grant), unexpired
 * and unrevoked; otherwise 401 with a `WWW-Authenticate` challenge (RFC 6750 §3) and a JSON body.
 *
 * Endpoints (all JSON):
 * - `GET /api/v2/me`                          the caller, shaped like LinkedIn's /v2/me
 * - `GET /api/items?page&per_page&pages`      5 items a page, 3 pages, RFC 8288 `Link: <…>; rel="next"`
 * - `GET /api/odata?page&per_page&pages`      the same list paged with `@odata.nextLink` in the body
 * - `GET /api/big?page&pages&size`            pages of about `size` bytes (default 100000), Link next
 * - `ANY /api/echo`                           the request as the API saw it (token never echoed)
 * - `GET /api/status/:code`                   answers that status
 * - `GET /api/redirect?to=URL`                302 to URL
 * - `GET /api/flaky?key&fail&status&retry_after`  fails `fail` times per key (429/503 + Retry-After)
 */
export function createDemoApi(deps: DemoApiDeps): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const flakyAttempts = new Map<string, number>()
  const dpop = createDPoPVerifier()

  return async (req, res, url) => {
    const caller = await authenticate(req, res, url, deps, dpop)
    if (!caller) return
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const query = url.searchParams
    const method = req.method ?? 'GET'
    try {
      if (path === '/api/echo') return await answerEcho(req, res, url)
      if (method !== 'GET' && method !== 'HEAD') {
        sendJson(res, 405, {error: 'method_not_allowed', error_description: `${method} ${path} is not supported`}, {allow: 'GET, HEAD'})
        return
      }
      if (path === '/api/v2/me') return sendJson(res, 200, buildLinkedInMe(caller))
      if (path === '/api/items') return answerItems(res, url, deps.origin)
      if (path === '/api/odata') return answerOData(res, url, deps.origin)
      if (path === '/api/big') return answerBig(res, url, deps.origin)
      if (path === '/api/redirect') return answerRedirect(res, query)
      if (path === '/api/flaky') return answerFlaky(res, query, flakyAttempts)
      const status = /^\/api\/status\/(\d{3})$/.exec(path)
      if (status) return answerStatus(res, Number(status[1]))
      sendJson(res, 404, {error: 'not_found', error_description: `no demo API endpoint at ${path}`})
    } catch (error) {
      if (error instanceof BadRequest) sendJson(res, 400, {error: 'invalid_request', error_description: error.message})
      else if (error instanceof BodyTooLargeError) sendJson(res, 413, {error: 'payload_too_large', error_description: error.message})
      else throw error
    }
  }
}

/**
 * The caller behind the request's bearer token, or undefined after answering 401.
 * @see RFC 6750 §2.1 (header), §3 (challenge: no error code when no token was sent)
 */
async function authenticate(req: IncomingMessage, res: ServerResponse, url: URL, deps: DemoApiDeps, dpop: DPoPVerifier): Promise<Caller | undefined> {
  const header = req.headers.authorization ?? ''
  if (/^DPoP /i.test(header)) return authenticateDPoP(req, res, url, deps, dpop)
  if (!/^Bearer(?: |$)/i.test(header)) {
    // No credentials, or another scheme: a bare challenge, no error code (RFC 6750 §3.1).
    deps.log(`API ${req.method ?? '?'} ${url.pathname}: 401 no bearer token`)
    sendJson(
      res,
      401,
      {error: 'unauthorized', error_description: 'this API needs an access token: send Authorization: Bearer <token>'},
      {'www-authenticate': 'Bearer'},
    )
    return undefined
  }
  // error_description is a quoted-string: keep these free of quotes and backslashes.
  const invalid = (description: string): undefined => {
    deps.log(`API ${req.method ?? '?'} ${url.pathname}: 401 ${description}`)
    sendJson(res, 401, {error: 'invalid_token', error_description: description}, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    })
    return undefined
  }
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header)
  if (!match?.[1]) return invalid('the Authorization header is not of the form Bearer <token>')
  const value = match[1]
  const {provider} = deps
  const userToken = await provider.AccessToken.find(value)
  const token = userToken ?? (await provider.ClientCredentials.find(value))
  if (!token) return invalid('the access token is unknown, revoked or expired')
  // find() allows oidc-provider's clock tolerance (15 s) past expiry; the API does not.
  if (token.isExpired) return invalid('the access token expired')
  // A certificate-bound token (RFC 8705 §3) is a Bearer token that must come with its certificate.
  const thumbprint = (token as {'x5t#S256'?: string})['x5t#S256']
  if (thumbprint) {
    const refusal = certificateBindingRefusal(req, thumbprint)
    if (refusal) return invalid(refusal)
  } else if (token.isSenderConstrained()) return invalid('sender-constrained tokens are not accepted as Bearer')
  return {accountId: userToken?.accountId, clientId: token.clientId}
}

/** LinkedIn's /v2/me (lite profile) shape, so the CLI's LinkedIn path can be tried against the sandbox. */
function buildLinkedInMe(caller: Caller): Record<string, unknown> {
  const sub = caller.accountId ?? caller.clientId
  const profile = caller.accountId ? profileFor(caller.accountId) : {given_name: caller.clientId, family_name: ''}
  const localized = (text: string): Record<string, unknown> => ({
    localized: {en_US: text},
    preferredLocale: {country: 'US', language: 'en'},
  })
  return {
    id: sub,
    localizedFirstName: profile.given_name,
    localizedLastName: profile.family_name,
    firstName: localized(profile.given_name),
    lastName: localized(profile.family_name),
  }
}

interface PageRequest {
  page: number
  perPage: number
  pages: number
}

function parsePageRequest(query: Query, defaults: {perPage: number; pages: number}): PageRequest {
  return {
    page: readIntParam(query, 'page', 1, 1, 1_000_000),
    perPage: readIntParam(query, 'per_page', defaults.perPage, 1, 1000),
    pages: readIntParam(query, 'pages', defaults.pages, 0, 1_000_000),
  }
}

function buildNextPageUrl(url: URL, origin: string, page: number): string {
  const next = new URL(`${url.pathname}${url.search}`, origin)
  next.searchParams.set('page', String(page + 1))
  return next.href
}

function listItems({page, perPage, pages}: PageRequest): Array<{id: number; name: string}> {
  if (page > pages) return []
  return Array.from({length: perPage}, (_, i) => {
    const id = (page - 1) * perPage + i + 1
    return {id, name: `Item ${id}`}
  })
}

/** RFC 8288 `Link` pagination, as GitHub's API does. */
function answerItems(res: ServerResponse, url: URL, origin: string): void {
  const request = parsePageRequest(url.searchParams, {perPage: 5, pages: 3})
  const headers: Record<string, string> = {}
  if (request.page < request.pages) headers.link = `<${buildNextPageUrl(url, origin, request.page)}>; rel="next"`
  sendJson(res, 200, {items: listItems(request), page: request.page}, headers)
}

/** OData / Microsoft Graph style: `{"value": [...], "@odata.nextLink": "<absolute url>"}`. */
function answerOData(res: ServerResponse, url: URL, origin: string): void {
  const request = parsePageRequest(url.searchParams, {perPage: 5, pages: 3})
  const body: Record<string, unknown> = {value: listItems(request)}
  if (request.page < request.pages) body['@odata.nextLink'] = buildNextPageUrl(url, origin, request.page)
  sendJson(res, 200, body)
}

const BIG_ITEM_FILLER = 'x'.repeat(1000)
// {"id":N,"data":"xxx…"} is 1000 bytes of filler plus ~20 of framing per element.
const BIG_ITEM_BYTES = BIG_ITEM_FILLER.length + 24

/**
 * A page of roughly `size` bytes for memory benchmarks: a JSON array of 1 KB elements built by string
 * concatenation of one shared filler (no per-element objects), with Link pagination.
 */
function answerBig(res: ServerResponse, url: URL, origin: string): void {
  const query = url.searchParams
  const page = readIntParam(query, 'page', 1, 1, 1_000_000)
  const pages = readIntParam(query, 'pages', 3, 0, 1_000_000)
  const size = readIntParam(query, 'size', 100_000, 2, 256 * 1024 * 1024)
  const count = page > pages ? 0 : Math.max(1, Math.floor(size / BIG_ITEM_BYTES))
  const first = (page - 1) * count
  const parts = new Array<string>(count)
  for (let i = 0; i < count; i++) parts[i] = `{"id":${first + i + 1},"data":"${BIG_ITEM_FILLER}"}`
  const text = `[${parts.join(',')}]`
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  }
  if (page < pages) headers.link = `<${buildNextPageUrl(url, origin, page)}>; rel="next"`
  res.writeHead(200, headers)
  res.end(text)
}

async function answerEcho(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readBody(req)
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    // Never reflect the credential itself: a test that prints the echo must not leak a token.
    headers[name] = name === 'authorization' ? 'present' : value
  }
  const query: Record<string, string | string[]> = {}
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name)
    query[name] = values.length === 1 ? (values[0] ?? '') : values
  }
  let json: unknown
  if (body) {
    try {
      json = JSON.parse(body)
    } catch {
      json = undefined
    }
  }
  sendJson(res, 200, {method: req.method, path: url.pathname, query, headers, body, ...(json === undefined ? {} : {json})})
}

function answerStatus(res: ServerResponse, status: number): void {
  if (status < 200 || status > 599) throw new BadRequest('status must be between 200 and 599')
  if (status === 204 || status === 304) {
    res.writeHead(status, {'cache-control': 'no-store'})
    res.end()
    return
  }
  sendJson(res, status, {status})
}

function answerRedirect(res: ServerResponse, query: Query): void {
  const to = query.get('to')
  if (!to || !URL.canParse(to)) throw new BadRequest('to must be an absolute URL')
  res.writeHead(302, {location: to, 'content-length': '0', 'cache-control': 'no-store'})
  res.end()
}

/** Fails the first `fail` calls per `key` with `status` and `Retry-After`, for retry/backoff tests. */
function answerFlaky(res: ServerResponse, query: Query, attempts: Map<string, number>): void {
  const key = query.get('key') ?? 'default'
  const fail = readIntParam(query, 'fail', 1, 0, 1_000_000)
  const status = readIntParam(query, 'status', 503, 429, 503)
  if (status !== 429 && status !== 503) throw new BadRequest('status must be 429 or 503')
  const retryAfter = readIntParam(query, 'retry_after', 0, 0, 86_400)
  const attempt = (attempts.get(key) ?? 0) + 1
  attempts.set(key, attempt)
  if (attempt <= fail) {
    const error = status === 429 ? 'rate_limited' : 'temporarily_unavailable'
    sendJson(res, status, {error, attempts: attempt}, {'retry-after': String(retryAfter)})
    return
  }
  sendJson(res, 200, {ok: true, attempts: attempt})
}

function readIntParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name)
  if (raw === null || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new BadRequest(`${name} must be a whole number`)
  const value = Number(raw)
  if (value < min || value > max) throw new BadRequest(`${name} must be between ${min} and ${max}`)
  return value
}
