import {randomBytes} from 'node:crypto'
import type {ServerResponse} from 'node:http'
import {formParams, parseAuthorizationHeader, signatureBaseString, verifySignature} from '../../src/http/oauth1-signature.js'
import {redirectWith, sendText, type Twin, type TwinRequest} from './twin-kit.js'

/**
 * The OAuth 1.0a machinery every OAuth 1.0a provider twin shares (RFC 5849): the three legs (temporary
 * credentials §2.1, resource owner authorization §2.2, token credentials §2.3) and the checks of every signed
 * request (§3.2: consumer key, signature method, token, signature, nonce and timestamp). Each provider twin
 * (test/twins/providers/*.ts) supplies its host names, leg URLs, signature method, what its access-token
 * answer adds, and its API, each with the documentation that says so. Signatures are checked with
 * src/http/oauth1-signature.ts, whose RFC 5849 examples are pinned in test/http/oauth1-signature.test.ts.
 */
export interface OAuth1TwinSpec {
  name: string
  hosts: string[]
  consumer: {key: string; secret: string}
  signatureMethod: 'HMAC-SHA1' | 'PLAINTEXT'
  /** Full https URLs of the three legs (host + path; the query is ignored). */
  requestTokenUrl: string
  authorizeUrl: string
  accessTokenUrl: string
  /** HTTP methods each token leg accepts (default POST only). */
  tokenLegMethods?: string[]
  /** Fields the access-token answer carries besides oauth_token / oauth_token_secret (X: user_id, screen_name). */
  accessTokenExtra?: Record<string, string>
  /** A provider rule on the request token's oauth_callback (X: registered callback URLs only); a refusal or undefined. */
  checkCallback?(callback: string): {status: number; body: string} | undefined
  /** A provider rule checked before anything else on every request (Discogs: a User-Agent); a refusal or undefined. */
  precheck?(req: TwinRequest): {status: number; body: string} | undefined
  /** How the provider words a refused signed request (default: the reason as text/plain). */
  refuse?(res: ServerResponse, status: number, reason: string): void
  /** True for requests this twin's API serves (they must be signed with an access token). */
  isApi(req: TwinRequest): boolean
  /** Answers a signed API request; `token` is the access token it was signed with. */
  api(req: TwinRequest, res: ServerResponse, token: string, twin: OAuth1Twin): void
}

export interface OAuth1Twin extends Twin {
  /** Parameters of the last authorize request. */
  lastAuthorize?: URLSearchParams
  /** Access token -> token secret, for the tokens this twin issued and has not invalidated. */
  accessTokens: Map<string, string>
  /** The signed requests refused, with the reason (for assertions). */
  refusals: string[]
}

/** RFC 5849 §3.3: the server may reject timestamps too far from its clock; this twin allows 10 minutes. */
const TIMESTAMP_WINDOW_SECONDS = 600

/** Host and path of a URL, the way the twin matches requests to the legs. */
const hostPath = (url: string | URL) => {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname}`
}

export function createOAuth1Twin(spec: OAuth1TwinSpec): OAuth1Twin {
  const temporaries = new Map<string, {secret: string; callback: string; verifier?: string}>()
  const accessTokens = new Map<string, string>()
  const seen = new Set<string>()
  const id = () => randomBytes(16).toString('hex')
  const legMethods = spec.tokenLegMethods ?? ['POST']
  const refuse = spec.refuse ?? ((res, status, reason) => sendText(res, status, reason, 'text/plain'))

  /** RFC 5849 §3.2: the checks of a signed request; the oauth_* parameters when it passes, else a reason. */
  function check(req: TwinRequest, tokenSecret: (token: string | undefined) => string | undefined): {ok: true; params: Map<string, string>} | {ok: false; reason: string} {
    const header = parseAuthorizationHeader(req.headers.authorization)
    if (!header) return {ok: false, reason: 'missing OAuth header'}
    const params = new Map(header)
    if (params.get('oauth_consumer_key') !== spec.consumer.key) return {ok: false, reason: 'invalid consumer key'}
    if (params.get('oauth_signature_method') !== spec.signatureMethod) return {ok: false, reason: 'unsupported signature method'}
    const secret = tokenSecret(params.get('oauth_token'))
    if (secret === undefined) return {ok: false, reason: 'invalid token'}
    // RFC 5849 §3.1: timestamp and nonce MAY be omitted with PLAINTEXT (TLS protects it); HMAC-SHA1 needs both.
    if (spec.signatureMethod !== 'PLAINTEXT') {
      const timestamp = Number(params.get('oauth_timestamp'))
      if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_SECONDS) return {ok: false, reason: 'timestamp out of range'}
    }
    const body = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? formParams(req.body) : []
    const base = signatureBaseString(req.method, req.url, header, body)
    if (!verifySignature(spec.signatureMethod, base, params.get('oauth_signature') ?? '', {consumerSecret: spec.consumer.secret, tokenSecret: secret})) return {ok: false, reason: 'invalid signature'}
    // RFC 5849 §3.3: a nonce is spent once per timestamp, consumer and token; only by a request whose
    // signature holds (a forged request must not spend the nonce of a genuine one).
    if (spec.signatureMethod !== 'PLAINTEXT') {
      const nonce = `${params.get('oauth_consumer_key')}:${params.get('oauth_token') ?? ''}:${params.get('oauth_timestamp')}:${params.get('oauth_nonce') ?? ''}`
      if (!params.get('oauth_nonce') || seen.has(nonce)) return {ok: false, reason: 'nonce reused'}
      seen.add(nonce)
    }
    return {ok: true, params}
  }
  /** RFC 5849 §2.1 / §2.3: credentials answer as application/x-www-form-urlencoded. */
  const form = (res: ServerResponse, values: Record<string, string>) => sendText(res, 200, new URLSearchParams(values).toString(), 'application/x-www-form-urlencoded')

  const twin: OAuth1Twin = {
    name: spec.name,
    hosts: spec.hosts,
    log: [],
    accessTokens,
    refusals: [],
    handle(req, res) {
      const refused = spec.precheck?.(req)
      if (refused) return sendText(res, refused.status, refused.body, 'text/plain')
      const denied = (reason: string) => {
        twin.refusals.push(reason)
        return refuse(res, 401, reason)
      }
      const path = hostPath(req.url)
      if (path === hostPath(spec.requestTokenUrl) && legMethods.includes(req.method)) {
        const checked = check(req, (token) => (token === undefined ? '' : undefined))
        if (!checked.ok) return denied(checked.reason)
        // RFC 5849 §2.1: oauth_callback is REQUIRED ("oob" for out-of-band).
        const callback = checked.params.get('oauth_callback')
        if (!callback) return sendText(res, 400, 'oauth_callback missing', 'text/plain')
        const notApproved = spec.checkCallback?.(callback)
        if (notApproved) return sendText(res, notApproved.status, notApproved.body, 'application/json')
        const token = id()
        temporaries.set(token, {secret: id(), callback})
        return form(res, {oauth_token: token, oauth_token_secret: temporaries.get(token)!.secret, oauth_callback_confirmed: 'true'})
      }
      if (path === hostPath(spec.authorizeUrl) && req.method === 'GET') {
        twin.lastAuthorize = req.url.searchParams
        const token = req.url.searchParams.get('oauth_token') ?? ''
        const temporary = temporaries.get(token)
        if (!temporary) return sendText(res, 400, 'invalid token')
        temporary.verifier = id()
        if (temporary.callback === 'oob') return sendText(res, 200, `<p>Your verification code: <code>${temporary.verifier}</code></p>`)
        // RFC 5849 §2.2: back to the callback with oauth_token and oauth_verifier.
        return redirectWith(res, temporary.callback, {oauth_token: token, oauth_verifier: temporary.verifier})
      }
      if (path === hostPath(spec.accessTokenUrl) && legMethods.includes(req.method)) {
        const checked = check(req, (token) => (token === undefined ? undefined : temporaries.get(token)?.secret))
        if (!checked.ok) return denied(checked.reason)
        const temporary = temporaries.get(checked.params.get('oauth_token')!)!
        // RFC 5849 §2.3: the verifier the authorize step issued, once.
        if (!temporary.verifier || checked.params.get('oauth_verifier') !== temporary.verifier) return denied('invalid verifier')
        temporaries.delete(checked.params.get('oauth_token')!)
        const token = id()
        accessTokens.set(token, id())
        return form(res, {oauth_token: token, oauth_token_secret: accessTokens.get(token)!, ...spec.accessTokenExtra})
      }
      if (spec.isApi(req)) {
        const checked = check(req, (token) => (token === undefined ? undefined : accessTokens.get(token)))
        if (!checked.ok) return denied(checked.reason)
        return spec.api(req, res, checked.params.get('oauth_token')!, twin)
      }
      return sendText(res, 404, 'not found')
    },
  }
  return twin
}
