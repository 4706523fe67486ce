import type {ServerResponse} from 'node:http'
import {randomBytes} from 'node:crypto'
import {redirectWith, s256, sendJson, sendText, TwinGrants, TwinSigner, type TokenGrant, type Twin, type TwinRequest} from './twin-kit.js'

/**
 * A twin for a provider whose OAuth side is close to RFC 6749, configured by data. Each provider file
 * (providers/*.ts) states its rules here with the source URL beside each one; this file only applies them.
 */
export interface StandardTwinRules {
  name: string
  hosts: string[]
  /** `host/path` of each endpoint. */
  authorize: string
  token: string
  revoke?: string
  device?: string
  app: {clientId: string; clientSecret?: string}
  /** The registered redirect: exact, or any port when `anyPort` (loopback port rules). */
  redirect: {uri: string; anyPort?: boolean}
  /**
   * How the client must authenticate at the token endpoint: `post` (secret in the body), `basic`, `basic-or-none`
   * (Basic for a confidential client, nothing for a public PKCE client), `none` (public: a secret is refused),
   * `basic-empty-password` (Basic `client_id:` with the secret or an empty password, Reddit).
   */
  clientAuth: 'post' | 'basic' | 'basic-or-none' | 'none' | 'basic-empty-password' | 'post-or-none'
  /** `required`: no code_challenge is an error; `optional`: checked when sent; `ignored`: not looked at. */
  pkce: 'required' | 'optional' | 'ignored'
  /**
   * `rotate`: a refresh returns a new refresh token and the old one dies; `renew`: a new one comes back and
   * whether the old one still works is not documented (the twin keeps it working); `reuse`: no new one.
   */
  refresh: 'rotate' | 'renew' | 'reuse' | 'none'
  /** The scope parameter's separator in the authorize request. */
  scopeSeparator?: ' ' | ','
  /** Extra members of every token response (Salesforce `instance_url`, Strava `athlete`). */
  tokenExtras?: Record<string, unknown>
  /** Authorization parameters that must be present with these values (Atlassian audience, Dropbox token_access_type). */
  requiredAuthorizeParams?: Record<string, string>
  /** Request headers every request must carry (Reddit's distinctive User-Agent); answered with `status` (and `body`) otherwise. */
  requireHeader?: {name: string; test: RegExp; status: number; body?: unknown}
  /** `json`: the token and revocation endpoints take a JSON body, and refuse a form (Notion). */
  tokenBody?: 'form' | 'json'
  /** `host/path` of a separate refresh endpoint (Figma): the token endpoint then refuses refresh_token grants. */
  refreshAt?: string
  /** Seconds; `null`: the token response has no expires_in (Salesforce). */
  expiresIn?: number | null
  /** With `openid` in the scope, an ID token with this issuer. */
  idTokenIssuer?: string
  /** The provider's API: answers with the grant of a valid bearer token (undefined: unknown/revoked token). */
  api(req: TwinRequest, res: ServerResponse, grant: TokenGrant | undefined): void
}

export interface StandardTwin extends Twin {
  grants: TwinGrants
}

const fail = (res: ServerResponse, status: number, error: string, description: string) => sendJson(res, status, {error, error_description: description})

export function createStandardTwin(rules: StandardTwinRules): StandardTwin {
  const grants = new TwinGrants(rules.name)
  const devices = new Map<string, {scope: string; polls: number}>()
  const {app} = rules

  function redirectMatches(given: string | null): boolean {
    if (!given || !URL.canParse(given)) return false
    if (!rules.redirect.anyPort) return given === rules.redirect.uri
    const a = new URL(given)
    const b = new URL(rules.redirect.uri)
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname
  }

  /** The client id the request authenticated as, or a reason it did not. */
  function authenticate(req: TwinRequest): string | {error: string} {
    const bodyId = req.form.get('client_id')
    const bodySecret = req.form.get('client_secret')
    switch (rules.clientAuth) {
      case 'post':
        if (req.basic) return {error: 'client credentials must be in the body'}
        return bodyId === app.clientId && bodySecret === app.clientSecret ? bodyId : {error: 'bad client credentials in the body'}
      case 'post-or-none':
        if (req.basic) return {error: 'client credentials must be in the body'}
        if (bodySecret === null) {
          const publicOk = bodyId === app.clientId && (req.form.has('code_verifier') || req.form.get('grant_type') === 'refresh_token')
          return publicOk ? app.clientId : {error: 'a public client must use PKCE'}
        }
        return bodyId === app.clientId && bodySecret === app.clientSecret ? bodyId : {error: 'bad client credentials in the body'}
      case 'basic':
        return req.basic?.id === app.clientId && req.basic.secret === app.clientSecret ? app.clientId : {error: 'HTTP Basic client authentication required'}
      case 'basic-or-none':
        if (req.basic) return req.basic.id === app.clientId && req.basic.secret === app.clientSecret ? app.clientId : {error: 'bad Basic credentials'}
        if (bodySecret) return {error: 'a confidential client must use HTTP Basic'}
        return bodyId === app.clientId ? bodyId : {error: 'unknown client_id'}
      case 'none':
        if (req.basic || bodySecret) return {error: 'a public client must not send a secret'}
        return bodyId === app.clientId ? bodyId : {error: 'unknown client_id'}
      case 'basic-empty-password':
        if (bodySecret || !req.basic) return {error: 'HTTP Basic client authentication required'}
        return req.basic.id === app.clientId && req.basic.secret === (app.clientSecret ?? '') ? app.clientId : {error: 'bad Basic credentials'}
    }
  }

  const signer = new TwinSigner()
  const expiry = () => (rules.expiresIn === null ? {} : {expires_in: rules.expiresIn ?? 3600})

  function issue(res: ServerResponse, clientId: string, scope: string, nonce?: string): void {
    const tokens = grants.issueTokens({clientId, scope, user: rules.name}, rules.refresh !== 'none')
    const now = Math.floor(Date.now() / 1000)
    const idToken = rules.idTokenIssuer && scope.split(' ').includes('openid')
      ? {id_token: signer.sign({iss: rules.idTokenIssuer, aud: clientId, sub: `${rules.name}-user`, iat: now, exp: now + 600, ...(nonce ? {nonce} : {})})}
      : {}
    sendJson(res, 200, {...tokens, token_type: 'bearer', ...expiry(), scope, ...idToken, ...rules.tokenExtras})
  }

  function token(req: TwinRequest, res: ServerResponse, atRefreshEndpoint = false): void {
    const f = req.form
    const grantType = f.get('grant_type')
    if (rules.refreshAt && (grantType === 'refresh_token') !== atRefreshEndpoint) {
      return fail(res, 400, 'unsupported_grant_type', atRefreshEndpoint ? 'only refresh_token here' : 'refresh at the refresh endpoint')
    }
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      if (f.get('client_id') !== app.clientId) return fail(res, 401, 'invalid_client', 'unknown client_id')
      const device = devices.get(f.get('device_code') ?? '')
      if (!device) return fail(res, 400, 'expired_token', 'the device code expired')
      if (device.polls++ === 0) return fail(res, 400, 'authorization_pending', 'the user has not approved yet')
      devices.delete(f.get('device_code') ?? '')
      return issue(res, app.clientId, device.scope)
    }
    const client = authenticate(req)
    if (typeof client !== 'string') return fail(res, 401, 'invalid_client', client.error)
    if (grantType === 'refresh_token') {
      const old = grants.refresh.get(f.get('refresh_token') ?? '')
      if (!old) return fail(res, 400, 'invalid_grant', 'the refresh token is invalid or was already used')
      if (rules.refresh === 'rotate') grants.revoke(f.get('refresh_token') ?? '')
      if (rules.refresh === 'rotate' || rules.refresh === 'renew') return issue(res, client, old.scope)
      const fresh = grants.issueTokens({clientId: client, scope: old.scope, user: rules.name}, false)
      return sendJson(res, 200, {...fresh, token_type: 'bearer', ...expiry(), scope: old.scope, ...rules.tokenExtras})
    }
    if (grantType !== 'authorization_code') return fail(res, 400, 'unsupported_grant_type', `grant_type ${grantType}`)
    const grant = grants.takeCode(f.get('code'))
    if (!grant) return fail(res, 400, 'invalid_grant', 'the code is invalid, expired or already used')
    if (f.get('redirect_uri') !== grant.redirectUri) return fail(res, 400, 'invalid_grant', 'redirect_uri does not match the authorization request')
    if (rules.pkce !== 'ignored' && grant.codeChallenge && s256(f.get('code_verifier') ?? '') !== grant.codeChallenge) {
      return fail(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge')
    }
    // OIDC Core §3.1.3.6 / §2: the ID token echoes the authorization request's nonce.
    issue(res, client, grant.scope, grant.nonce)
  }

  function authorize(req: TwinRequest, res: ServerResponse): void {
    const q = req.url.searchParams
    if (q.get('client_id') !== app.clientId) return sendText(res, 400, '<h1>invalid_client: unknown client_id</h1>')
    if (!redirectMatches(q.get('redirect_uri'))) return sendText(res, 400, '<h1>invalid_request: redirect_uri does not match the registered one</h1>')
    const redirectUri = q.get('redirect_uri')!
    const state = q.get('state') ?? undefined
    if (rules.pkce === 'required' && (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256')) {
      return redirectWith(res, redirectUri, {error: 'invalid_request', error_description: 'code_challenge (S256) is required', state})
    }
    for (const [key, value] of Object.entries(rules.requiredAuthorizeParams ?? {})) {
      if (q.get(key) !== value) return redirectWith(res, redirectUri, {error: 'invalid_request', error_description: `${key}=${value} is required`, state})
    }
    const scope = (q.get('scope') ?? '').split(rules.scopeSeparator ?? ' ').filter(Boolean).join(' ')
    const code = grants.issueCode({clientId: app.clientId, redirectUri, scope, codeChallenge: q.get('code_challenge') ?? undefined, nonce: q.get('nonce') ?? undefined})
    redirectWith(res, redirectUri, {code, state})
  }

  function revoke(req: TwinRequest, res: ServerResponse): void {
    const value = req.form.get('token') ?? ''
    grants.revoke(value)
    // RFC 7009 §2.2: 200 whether or not the token was valid.
    res.writeHead(200).end()
  }

  const route = (endpoint: string | undefined, req: TwinRequest) => endpoint !== undefined && `${req.host}${req.url.pathname}` === endpoint

  return {
    name: rules.name,
    hosts: rules.hosts,
    log: [],
    grants,
    handle(req, res) {
      // The authorize page is what the person's browser opens: only oauthctl's own requests are held to the header rule.
      if (req.method === 'GET' && route(rules.authorize, req)) return authorize(req, res)
      const need = rules.requireHeader
      if (need && !need.test.test(String(req.headers[need.name] ?? ''))) return sendJson(res, need.status, need.body ?? {message: 'Too Many Requests', error: need.status})
      const isClientEndpoint = req.method === 'POST' && [rules.token, rules.revoke, rules.refreshAt].some((endpoint) => route(endpoint, req))
      if (isClientEndpoint && rules.tokenBody === 'json') {
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(res, 400, 'invalid_request', 'the body must be JSON')
        const parsed = JSON.parse(req.body || '{}') as Record<string, string>
        // Into the logged request's (empty) form, so tests read JSON and form requests alike.
        for (const [key, value] of Object.entries(parsed)) req.form.set(key, String(value))
      }
      if (req.method === 'POST' && route(rules.token, req)) return token(req, res)
      if (req.method === 'POST' && route(rules.refreshAt, req)) return token(req, res, true)
      if (req.method === 'POST' && route(rules.revoke, req)) return revoke(req, res)
      if (req.method === 'POST' && route(rules.device, req)) {
        const deviceCode = randomBytes(16).toString('hex')
        devices.set(deviceCode, {scope: req.form.get('scope') ?? '', polls: 0})
        return sendJson(res, 200, {device_code: deviceCode, user_code: 'ABCD-EFGH', verification_uri: `https://${rules.hosts[0]}/oauth/device`, expires_in: 300, interval: 5})
      }
      rules.api(req, res, grants.accessGrant(req.bearer))
    },
  }
}
