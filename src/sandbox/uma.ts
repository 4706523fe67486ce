/// <reference path="./oidc-provider.d.ts" />
import {randomBytes} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {KoaContextWithOIDC, Provider} from 'oidc-provider'
import {sendJson} from './http-util.js'
import {UMA_TICKET_GRANT} from './provider-config.js'

/** Permission tickets are short-lived and single-use (UMA 2.0 Grant §3.2). */
const TICKET_TTL_S = 300

/**
 * The UMA-protected resources of the sandbox, under `/api/uma/`:
 * - `GET /api/uma/resource`: the demo user's shared resource; any valid user access token may get an RPT.
 * - `GET /api/uma/denied`: a resource nobody was granted; the ticket grant answers `request_denied`.
 */
const RESOURCES: Record<string, {denied: boolean}> = {
  '/api/uma/resource': {denied: false},
  '/api/uma/denied': {denied: true},
}

interface Ticket {
  resource: string
  exp: number
}

interface Rpt {
  resource: string
  accountId: string
  exp: number
}

/** An error oidc-provider's token endpoint renders as `{"error": ..., "error_description": ...}`. */
class UmaGrantError extends Error {
  readonly expose = true
  readonly error: string
  constructor(
    error: string,
    readonly error_description: string,
    readonly statusCode: number,
  ) {
    super(error)
    this.error = error
  }
  get status(): number {
    return this.statusCode
  }
}

export interface UmaSandbox {
  /** `GET /.well-known/uma2-configuration`. */
  configuration(res: ServerResponse): void
  /** Requests under `/api/uma/`: 200 for a valid RPT, else 401 with a UMA permission ticket. */
  resource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
  /** Adds the UMA ticket grant to oidc-provider's token endpoint (call before serving requests). */
  registerGrant(provider: Provider): void
}

/**
 * A minimal UMA 2.0 authorization server and resource server for tests: the resource server answers
 * `401` + `WWW-Authenticate: UMA realm="sandbox", as_uri="<issuer>", ticket="..."`; the token endpoint
 * exchanges a ticket plus the user's access token (`claim_token`) for an RPT, which the resource server
 * then accepts until it expires. Tickets and RPTs live in memory only.
 * @see UMA 2.0 Grant for OAuth 2.0 Authorization §3.2, §3.3
 */
export function createUmaSandbox(deps: {issuer: string; rptTtl: number; log: (line: string) => void}): UmaSandbox {
  const tickets = new Map<string, Ticket>()
  const rpts = new Map<string, Rpt>()
  const now = () => Math.floor(Date.now() / 1000)
  const prune = () => {
    for (const [key, value] of tickets) if (value.exp <= now()) tickets.delete(key)
    for (const [key, value] of rpts) if (value.exp <= now()) rpts.delete(key)
  }

  return {
    configuration(res) {
      sendJson(res, 200, {
        issuer: deps.issuer,
        token_endpoint: `${deps.issuer}/token`,
        grant_types_supported: [UMA_TICKET_GRANT],
        uma_profiles_supported: [],
        claim_token_profiles_supported: ['urn:ietf:params:oauth:token-type:jwt'],
      })
    },

    async resource(req, res, url) {
      prune()
      const path = url.pathname.replace(/\/+$/, '')
      const resource = RESOURCES[path]
      if (!resource) return sendJson(res, 404, {error: 'not_found', error_description: `no UMA resource at ${path}`})
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendJson(res, 405, {error: 'method_not_allowed'}, {allow: 'GET, HEAD'})
      }
      const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(req.headers.authorization ?? '')
      const rpt = match?.[1] ? rpts.get(match[1]) : undefined
      if (rpt && rpt.resource === path && rpt.exp > now()) {
        deps.log(`UMA ${path}: 200 with an RPT for "${rpt.accountId}"`)
        return sendJson(res, 200, {resource: path.slice('/api/uma/'.length), owner: 'demo', sharedWith: rpt.accountId, via: 'rpt'})
      }
      const ticket = randomBytes(24).toString('base64url')
      tickets.set(ticket, {resource: path, exp: now() + TICKET_TTL_S})
      deps.log(`UMA ${path}: 401 with a permission ticket`)
      sendJson(
        res,
        401,
        {error: 'uma_ticket', error_description: 'this resource needs a requesting party token; exchange the ticket at as_uri'},
        {'www-authenticate': `UMA realm="sandbox", as_uri="${deps.issuer}", ticket="${ticket}"`},
      )
    },

    registerGrant(provider) {
      const handler = async (ctx: KoaContextWithOIDC) => {
        prune()
        const params = ctx.oidc.params ?? {}
        const ticket = params.ticket ? tickets.get(params.ticket) : undefined
        if (!params.ticket || !ticket) throw new UmaGrantError('invalid_grant', 'the permission ticket is unknown, used or expired', 400)
        tickets.delete(params.ticket)
        if (!params.claim_token) {
          throw new UmaGrantError('need_info', 'send the user access token as claim_token', 403)
        }
        const token = await provider.AccessToken.find(params.claim_token)
        if (!token || token.isExpired) throw new UmaGrantError('request_denied', 'the claim token is not a valid access token', 403)
        if (token.clientId !== ctx.oidc.client?.clientId) {
          throw new UmaGrantError('request_denied', 'the claim token was issued to another client', 403)
        }
        if (RESOURCES[ticket.resource]?.denied) {
          throw new UmaGrantError('request_denied', 'the resource owner has not shared this resource with you', 403)
        }
        const value = randomBytes(32).toString('base64url')
        rpts.set(value, {resource: ticket.resource, accountId: token.accountId, exp: now() + deps.rptTtl})
        ctx.body = {access_token: value, token_type: 'Bearer', expires_in: deps.rptTtl, upgraded: false}
      }
      const register = (provider as unknown as {
        registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, params: string[]): void
      }).registerGrantType.bind(provider)
      register(UMA_TICKET_GRANT, handler, ['ticket', 'claim_token', 'claim_token_format', 'rpt', 'pct'])
    },
  }
}
