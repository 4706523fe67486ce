import {createHash, createSign, generateKeyPairSync, randomBytes} from 'node:crypto'
import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http'

/**
 * Building blocks of a provider twin: a small in-process http handler that behaves as the provider's own
 * documentation says. The rules live in each twin (test/twins/providers/*.ts) with the source URL beside
 * each one; this file only parses requests, writes responses and keeps the codes and tokens a twin issued.
 */
export interface TwinRequest {
  host: string
  method: string
  /** The full https URL the CLI asked for. */
  url: URL
  headers: IncomingHttpHeaders
  /** Header names as sent, in order, with repeats (to prove a header went out once). */
  rawHeaders: string[]
  body: string
  /** The body as a form (empty unless form-encoded). */
  form: URLSearchParams
  /**
   * HTTP Basic credentials (RFC 7617), decoded as sent: no RFC 6749 §2.3.1 form-decoding, which providers
   * such as Reddit do not do (whether Zoom and Discord do is not documented; their ids are alphanumeric).
   */
  basic?: {id: string; secret: string}
  /** The bearer token of an `Authorization: Bearer` header. */
  bearer?: string
}

export interface Twin {
  name: string
  /** Host names the proxy routes to this twin. */
  hosts: string[]
  /** Every request the twin received, in order. */
  log: TwinRequest[]
  handle(req: TwinRequest, res: ServerResponse): void | Promise<void>
}

export async function readTwinRequest(req: IncomingMessage, host: string): Promise<TwinRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  const type = req.headers['content-type'] ?? ''
  const form = type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : new URLSearchParams()
  const auth = req.headers.authorization ?? ''
  let basic: TwinRequest['basic']
  const basicMatch = /^Basic\s+(\S+)$/i.exec(auth)
  if (basicMatch) {
    const decoded = Buffer.from(basicMatch[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    basic = {id: decoded.slice(0, colon), secret: decoded.slice(colon + 1)}
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1]
  return {host, method: req.method ?? 'GET', url: new URL(req.url ?? '/', `https://${host}`), headers: req.headers, rawHeaders: req.rawHeaders.filter((_, i) => i % 2 === 0), body, form, basic, bearer}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8', ...headers}).end(JSON.stringify(body))
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, {'content-type': type}).end(text)
}

export function redirectTo(res: ServerResponse, location: string | URL): void {
  res.writeHead(302, {location: String(location)}).end()
}

/** The redirect back to the client with `params` in the query (RFC 6749 §4.1.2 / §4.1.2.1). */
export function redirectWith(res: ServerResponse, redirectUri: string, params: Record<string, string | undefined>): void {
  const url = new URL(redirectUri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  redirectTo(res, url)
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

export interface CodeGrant {
  clientId: string
  redirectUri: string
  scope: string
  codeChallenge?: string
  codeChallengeMethod?: string
  /** OIDC Core §3.1.2.1: the `nonce` of the authorization request, echoed in the ID token (§2). */
  nonce?: string
}

export interface TokenGrant {
  clientId: string
  scope: string
  user: string
  refreshToken?: string
}

/** The codes and tokens one twin issued: single-use codes, access tokens, refresh tokens (rotating or not). */
export class TwinGrants {
  readonly codes = new Map<string, CodeGrant>()
  readonly access = new Map<string, TokenGrant>()
  readonly refresh = new Map<string, TokenGrant>()
  readonly revoked = new Set<string>()
  constructor(readonly prefix: string) {}

  issueCode(grant: CodeGrant): string {
    const code = `${this.prefix}-code-${randomBytes(8).toString('hex')}`
    this.codes.set(code, grant)
    return code
  }

  /** A code works once (RFC 6749 §4.1.2). */
  takeCode(code: string | null): CodeGrant | undefined {
    if (!code) return undefined
    const grant = this.codes.get(code)
    this.codes.delete(code)
    return grant
  }

  issueTokens(grant: Omit<TokenGrant, 'refreshToken'>, withRefresh: boolean): {access_token: string; refresh_token?: string} {
    const accessToken = `${this.prefix}-at-${randomBytes(12).toString('hex')}`
    const refreshToken = withRefresh ? `${this.prefix}-rt-${randomBytes(12).toString('hex')}` : undefined
    this.access.set(accessToken, {...grant, refreshToken})
    if (refreshToken) this.refresh.set(refreshToken, {...grant, refreshToken})
    return {access_token: accessToken, ...(refreshToken ? {refresh_token: refreshToken} : {})}
  }

  /** The grant behind a live access token, if any. */
  accessGrant(token: string | undefined): TokenGrant | undefined {
    return token && !this.revoked.has(token) ? this.access.get(token) : undefined
  }

  revoke(token: string): boolean {
    const known = this.access.has(token) || this.refresh.has(token)
    this.revoked.add(token)
    this.access.delete(token)
    this.refresh.delete(token)
    return known
  }
}

/** An RS256 key pair per twin, for ID tokens (OIDC Core §2) and the JWKS that publishes it. */
export class TwinSigner {
  readonly #keys = generateKeyPairSync('rsa', {modulusLength: 2048})
  readonly kid = randomBytes(4).toString('hex')

  sign(claims: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const input = `${encode({alg: 'RS256', typ: 'JWT', kid: this.kid})}.${encode(claims)}`
    return `${input}.${createSign('RSA-SHA256').update(input).sign(this.#keys.privateKey).toString('base64url')}`
  }

  jwks(): {keys: unknown[]} {
    return {keys: [{...this.#keys.publicKey.export({format: 'jwk'}), kid: this.kid, alg: 'RS256', use: 'sig'}]}
  }
}
