/**
 * A twin of the standards servers we did not write (Glewlwyd's OpenID Connect plugin, axa-group's
 * oauth2-mock-server): an authorization server on 127.0.0.1 that behaves as their documentation and source
 * say, not as our own sandbox does. Each rule names its source. It is deliberately strict where the real
 * servers are strict or where a user reported them to be.
 *
 * Sources:
 * - [G-OIDC] Glewlwyd OIDC plugin docs:
 *   https://github.com/babelouest/glewlwyd/blob/0219fa08044c1594d8b014903165e53754291605/docs/OIDC.md
 * - [M-SVC] oauth2-mock-server's request handlers:
 *   https://github.com/axa-group/oauth2-mock-server/blob/017ddb14b2084bde58d2a3ab512f5506b9125e23/src/lib/oauth2-service.ts
 * - [ISSUE9] oauthctl issue 9 ("a first login with the discovered default scope openid fails because no
 *   nonce is sent (Glewlwyd requires one)").
 */
import {createHash, generateKeyPairSync, randomUUID, sign, type KeyObject} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface TwinClient {
  secret?: string
  /**
   * How the client must authenticate at the token endpoint. [G-OIDC] supports "Client authentication using
   * HTTP Basic Auth, POST Parameter or JWT"; the twin holds each client to one method (stricter than
   * Glewlwyd needs to be, so that tests can tell which one oauthctl used).
   */
  auth: 'client_secret_basic' | 'client_secret_post' | 'none'
  /** Exact redirect URIs (a registered port is matched exactly); undefined: any loopback port (RFC 8252 §7.3). */
  redirectUris?: string[]
}

export interface TwinOptions {
  /** Path of the issuer under the origin ("/api/oidc/glwd" in Glewlwyd's default install). */
  issuerPath?: string
  clients?: Record<string, TwinClient>
  /** Sends `iss` with this value in authorization responses (default: none, as [M-SVC] authorizeHandler and this Glewlwyd setup). */
  issInResponse?: string | 'issuer'
  /** Puts this nonce in ID tokens instead of the one from the request (a replayed ID token). */
  idTokenNonce?: string
  /** Answers every token request with this status and an empty body. */
  tokenStatus?: number
  /** Lifetime of access tokens in seconds (default 3600). */
  expiresIn?: number
  /** Serves an RFC 7591 registration endpoint at /register, NOT advertised in the metadata. */
  hiddenRegistration?: boolean
}

export interface TokenRequest {
  headers: IncomingMessage['headers']
  form: URLSearchParams
}

export interface StandardsTwin {
  origin: string
  issuer: string
  authorizeRequests: URLSearchParams[]
  tokenRequests: TokenRequest[]
  registrations: Record<string, unknown>[]
  introspections: number
  revocations: number
  options: TwinOptions
  close(): Promise<void>
}

interface Grant {
  clientId: string
  redirectUri: string
  scope: string
  nonce?: string
  challenge?: string
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

function signJwt(key: KeyObject, payload: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({alg: 'RS256', typ: 'JWT', kid: 'twin-1'}))}.${base64url(JSON.stringify(payload))}`
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json', 'cache-control': 'no-store'}).end(JSON.stringify(body))
}

function isLoopbackRedirect(value: string): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost')
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
  })
}

/** Starts the twin on 127.0.0.1 (a random port). */
export async function startStandardsTwin(options: TwinOptions = {}): Promise<StandardsTwin> {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const clients: Record<string, TwinClient> = {...(options.clients ?? {app: {secret: 'app-secret', auth: 'client_secret_basic'}})}
  const grants = new Map<string, Grant>()
  const accessTokens = new Map<string, {sub: string; scope: string}>()
  const refreshTokens = new Map<string, {clientId: string; scope: string}>()
  const twin = {
    origin: '',
    issuer: '',
    authorizeRequests: [] as URLSearchParams[],
    tokenRequests: [] as TokenRequest[],
    registrations: [] as Record<string, unknown>[],
    introspections: 0,
    revocations: 0,
    options,
  }
  const path = (name: string) => new URL(`${twin.issuer}/${name}`).pathname

  /** The client a token/introspection request authenticates as, or undefined (wrong or missing credentials). */
  function authenticate(req: IncomingMessage, form: URLSearchParams): string | undefined {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')
    let id: string | undefined
    let secret: string | undefined
    let method: TwinClient['auth']
    if (basic) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString()
      const colon = decoded.indexOf(':')
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))
      method = 'client_secret_basic'
    } else if (form.has('client_secret')) {
      id = form.get('client_id') ?? undefined
      secret = form.get('client_secret') ?? undefined
      method = 'client_secret_post'
    } else {
      id = form.get('client_id') ?? undefined
      method = 'none'
    }
    const client = id === undefined ? undefined : clients[id]
    if (!client || client.auth !== method || (method !== 'none' && client.secret !== secret)) return undefined
    return id
  }

  /**
   * [G-OIDC] token endpoint "Error Response: Code 401 Access denied" (no error body documented); [ISSUE9]
   * saw it as an empty answer ("unexpected response content-type"): no JSON, no WWW-Authenticate challenge.
   */
  function accessDenied(res: ServerResponse, status = 401): void {
    res.writeHead(status).end()
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req))
    twin.tokenRequests.push({headers: req.headers, form})
    if (options.tokenStatus !== undefined) return accessDenied(res, options.tokenStatus)
    const clientId = authenticate(req, form)
    if (!clientId) return accessDenied(res)
    const grantType = form.get('grant_type')
    if (grantType === 'refresh_token') {
      const refresh = refreshTokens.get(form.get('refresh_token') ?? '')
      if (!refresh || refresh.clientId !== clientId) return json(res, 400, {error: 'invalid_grant'})
      const accessToken = randomUUID()
      accessTokens.set(accessToken, {sub: 'jane', scope: refresh.scope})
      return json(res, 200, {access_token: accessToken, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600, scope: refresh.scope})
    }
    if (grantType !== 'authorization_code') return json(res, 400, {error: 'unsupported_grant_type'})
    const grant = grants.get(form.get('code') ?? '')
    grants.delete(form.get('code') ?? '')
    if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.get('redirect_uri')) {
      return json(res, 400, {error: 'invalid_grant', error_description: 'code invalid or not for this client and redirect_uri'})
    }
    // [G-OIDC] "Proof Key for Code Exchange by OAuth Public Clients" (RFC 7636): S256 is checked.
    if (grant.challenge !== undefined) {
      const verifier = form.get('code_verifier') ?? ''
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return json(res, 400, {error: 'invalid_grant', error_description: 'code_verifier does not match'})
      }
    }
    const accessToken = randomUUID()
    const refreshToken = randomUUID()
    accessTokens.set(accessToken, {sub: 'jane', scope: grant.scope})
    refreshTokens.set(refreshToken, {clientId, scope: grant.scope})
    const body: Record<string, unknown> = {access_token: accessToken, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600, refresh_token: refreshToken, scope: grant.scope}
    if (grant.scope.split(' ').includes('openid')) {
      const now = Math.floor(Date.now() / 1000)
      // [M-SVC] tokenHandler: the ID token carries the nonce of the authorization request ([G-OIDC] the same).
      body.id_token = signJwt(privateKey, {
        iss: twin.issuer,
        sub: 'jane',
        aud: clientId,
        iat: now,
        exp: now + 300,
        name: 'Jane Doe',
        email: 'jane@example.test',
        ...(options.idTokenNonce !== undefined ? {nonce: options.idTokenNonce} : grant.nonce !== undefined ? {nonce: grant.nonce} : {}),
      })
    }
    json(res, 200, body)
  }

  function authorize(url: URL, res: ServerResponse): void {
    const query = url.searchParams
    twin.authorizeRequests.push(query)
    const clientId = query.get('client_id') ?? ''
    const redirectUri = query.get('redirect_uri') ?? ''
    const client = clients[clientId]
    const allowed = client?.redirectUris ? client.redirectUris.includes(redirectUri) : isLoopbackRedirect(redirectUri)
    if (!client || !allowed) return json(res, 400, {error: 'invalid_request', error_description: 'unknown client_id or redirect_uri'})
    const back = new URL(redirectUri)
    const state = query.get('state')
    if (state !== null) back.searchParams.set('state', state)
    const iss = options.issInResponse === 'issuer' ? twin.issuer : options.issInResponse
    if (iss !== undefined) back.searchParams.set('iss', iss)
    const scope = query.get('scope') ?? ''
    // [ISSUE9] Glewlwyd refuses an OpenID request without a nonce. [G-OIDC] documents nonce as "recommended
    // for response type code, mandatory for all other response types"; the twin takes the strict reading.
    if (scope.split(' ').includes('openid') && !query.get('nonce')) {
      back.searchParams.set('error', 'invalid_request')
      back.searchParams.set('error_description', 'nonce required')
    } else if (query.get('response_type') !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type')
    } else {
      const code = randomUUID()
      grants.set(code, {clientId, redirectUri, scope, nonce: query.get('nonce') ?? undefined, challenge: query.get('code_challenge') ?? undefined})
      back.searchParams.set('code', code)
    }
    // [M-SVC] authorizeHandler: approves at once and redirects (the twin has no login page).
    res.writeHead(302, {location: back.href}).end()
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', twin.origin)
    const route = `${req.method} ${url.pathname}`
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const run = async () => {
      switch (route) {
        case `GET ${path('.well-known/openid-configuration')}`:
          // [G-OIDC] "OpenID Connect Discovery"; no registration_endpoint (registration is an option the
          // administrator enables, off here) and no authorization_response_iss_parameter_supported.
          return json(res, 200, {
            issuer: twin.issuer,
            authorization_endpoint: `${twin.issuer}/auth`,
            token_endpoint: `${twin.issuer}/token`,
            userinfo_endpoint: `${twin.issuer}/userinfo`,
            introspection_endpoint: `${twin.issuer}/introspect`,
            revocation_endpoint: `${twin.issuer}/revoke`,
            jwks_uri: `${twin.issuer}/jwks`,
            scopes_supported: ['openid', 'profile', 'email'],
            response_types_supported: ['code'],
            grant_types_supported: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
          })
        case `GET ${path('jwks')}`:
          return json(res, 200, {keys: [{...publicKey.export({format: 'jwk'}), kid: 'twin-1', use: 'sig', alg: 'RS256'}]})
        case `GET ${path('auth')}`:
          return authorize(url, res)
        case `POST ${path('token')}`:
          return token(req, res)
        case `GET ${path('userinfo')}`:
        case `GET ${path('api/me')}`: {
          const access = accessTokens.get(bearer ?? '')
          if (!access) return accessDenied(res)
          // Another name than the ID token's, so that tests can tell where an identity came from.
          return json(res, 200, {sub: access.sub, name: 'Jane from userinfo', email: 'jane@example.test'})
        }
        case `POST ${path('introspect')}`: {
          const form = new URLSearchParams(await readBody(req))
          if (!authenticate(req, form)) return accessDenied(res)
          twin.introspections++
          const access = accessTokens.get(form.get('token') ?? '')
          return json(res, 200, access ? {active: true, sub: access.sub, scope: access.scope, client_id: 'app'} : {active: false})
        }
        case `POST ${path('revoke')}`: {
          const form = new URLSearchParams(await readBody(req))
          if (!authenticate(req, form)) return accessDenied(res)
          twin.revocations++
          accessTokens.delete(form.get('token') ?? '')
          refreshTokens.delete(form.get('token') ?? '')
          res.writeHead(200).end()
          return
        }
        case `POST ${path('register')}`: {
          if (!options.hiddenRegistration) return json(res, 404, {error: 'not_found'})
          const metadata = JSON.parse(await readBody(req)) as Record<string, unknown>
          twin.registrations.push(metadata)
          const clientId = `reg-${randomUUID()}`
          clients[clientId] = {auth: 'none', redirectUris: metadata.redirect_uris as string[]}
          return json(res, 201, {...metadata, client_id: clientId, token_endpoint_auth_method: 'none'})
        }
        default:
          return json(res, 404, {error: 'not_found'})
      }
    }
    run().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  twin.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  twin.issuer = `${twin.origin}${options.issuerPath ?? '/api/oidc/glwd'}`
  return Object.assign(twin, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
