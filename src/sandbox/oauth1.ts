/**
 * The sandbox's OAuth 1.0a server (RFC 5849), so `oauthctl login sandbox-1a` works with no account:
 *
 * - `POST /oauth1/request_token` (§2.1), `GET|POST /oauth1/authorize` (§2.2, approved at once with
 *   `--auto-approve`, else an Approve button; an `oob` callback shows the verifier; `POST decision=deny` sends
 *   the browser back with `denied=<request token>`, as X does), `POST /oauth1/access_token` (§2.3)
 * - `/oauth1/api/me` and `/oauth1/api/echo` (any method): the demo API, which answers only requests whose
 *   signature (HMAC-SHA1, RSA-SHA1, or PLAINTEXT: allowed because the sandbox is loopback-only), timestamp
 *   (±5 minutes) and nonce (never seen before with that timestamp, consumer and token, §3.3) check out
 * - `POST /oauth1/revoke`: forgets the signing token
 * - `GET /oauth1/demo-rsa-key.pem`: the private key of the RSA-SHA1 demo consumer, made at start (a sandbox
 *   convenience: a real provider never has your private key)
 *
 * Consumers: `oauthctl-oauth1` (HMAC-SHA1 / PLAINTEXT, an empty consumer secret, so nothing needs
 * registering) and `oauthctl-oauth1-rsa` (RSA-SHA1).
 */
import {generateKeyPairSync, randomBytes, type KeyObject} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {
  formParams,
  isFormContentType,
  parseAuthorizationHeader,
  signatureBaseString,
  verifySignature,
  OAUTH1_SIGNATURE_METHODS,
  type OAuth1Param,
  type OAuth1SignatureMethod,
} from '../http/oauth1-signature.js'
import {readBody, redirect, sendHtml, sendJson} from './http-util.js'
import {escapeHtml, renderErrorPage, renderPage} from './pages.js'

/** Consumer key of the HMAC-SHA1 / PLAINTEXT demo consumer (its secret is empty). */
export const SANDBOX_OAUTH1_CONSUMER = 'oauthctl-oauth1'
/** Consumer key of the RSA-SHA1 demo consumer. */
export const SANDBOX_OAUTH1_RSA_CONSUMER = 'oauthctl-oauth1-rsa'
/** How far a request's `oauth_timestamp` may be from the sandbox's clock. */
const TIMESTAMP_WINDOW_S = 300
const TEMPORARY_TTL_MS = 10 * 60_000

interface Consumer {
  secret: string
  methods: readonly OAuth1SignatureMethod[]
  publicKey?: KeyObject
}

interface Temporary {
  consumer: string
  secret: string
  callback: string
  verifier?: string
  expires: number
}

export interface OAuth1Sandbox {
  /** Handles `/oauth1/*`; answers 404 for other paths below it. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
}

const token = (bytes = 16) => randomBytes(bytes).toString('base64url')

/** Starts the OAuth 1.0a endpoint set (state in memory; lost when the sandbox stops). */
export function createOAuth1Sandbox(options: {autoApprove: boolean; log: (line: string) => void; now?: () => number}): OAuth1Sandbox {
  const now = options.now ?? Date.now
  const rsa = generateKeyPairSync('rsa', {modulusLength: 2048})
  const consumers = new Map<string, Consumer>([
    [SANDBOX_OAUTH1_CONSUMER, {secret: '', methods: ['HMAC-SHA1', 'PLAINTEXT']}],
    [SANDBOX_OAUTH1_RSA_CONSUMER, {secret: '', methods: ['RSA-SHA1'], publicKey: rsa.publicKey}],
  ])
  const temporaries = new Map<string, Temporary>()
  const tokens = new Map<string, {consumer: string; secret: string; user: string}>()
  const nonces = new Map<string, number>()

  /** Checks a request's OAuth parameters and signature; the error (401) or the parameters. */
  async function verify(
    req: IncomingMessage,
    url: URL,
    tokenSecretOf: (token: string | undefined, consumer: string) => string | undefined,
  ): Promise<{ok: false; error: string} | {ok: true; params: Map<string, string>; form: OAuth1Param[]}> {
    const header = parseAuthorizationHeader(req.headers.authorization)
    if (!header) return {ok: false, error: 'missing_oauth_authorization'}
    const params = new Map(header)
    const consumerKey = params.get('oauth_consumer_key') ?? ''
    const consumer = consumers.get(consumerKey)
    if (!consumer) return {ok: false, error: 'consumer_key_unknown'}
    const method = params.get('oauth_signature_method') as OAuth1SignatureMethod
    if (!OAUTH1_SIGNATURE_METHODS.includes(method) || !consumer.methods.includes(method)) return {ok: false, error: 'signature_method_rejected'}
    const version = params.get('oauth_version')
    if (version !== undefined && version !== '1.0') return {ok: false, error: 'version_rejected'}
    const timestamp = Number(params.get('oauth_timestamp'))
    if (!Number.isSafeInteger(timestamp) || Math.abs(timestamp - now() / 1000) > TIMESTAMP_WINDOW_S) return {ok: false, error: 'timestamp_refused'}
    const nonce = params.get('oauth_nonce') ?? ''
    if (!nonce) return {ok: false, error: 'parameter_absent: oauth_nonce'}
    const tokenSecret = tokenSecretOf(params.get('oauth_token'), consumerKey)
    if (tokenSecret === undefined) return {ok: false, error: 'token_rejected'}
    const body = await readBody(req, 64 * 1024)
    const form = isFormContentType(req.headers['content-type']) ? formParams(body) : []
    const base = signatureBaseString(req.method ?? 'GET', url, header, form)
    if (!verifySignature(method, base, params.get('oauth_signature') ?? '', {consumerSecret: consumer.secret, tokenSecret, publicKey: consumer.publicKey})) {
      return {ok: false, error: 'signature_invalid'}
    }
    // §3.3: a nonce is unique per timestamp, consumer and token; kept as long as the timestamp is acceptable.
    const seen = `${consumerKey}\n${params.get('oauth_token') ?? ''}\n${timestamp}\n${nonce}`
    for (const [key, at] of nonces) if (Math.abs(at - now() / 1000) > TIMESTAMP_WINDOW_S) nonces.delete(key)
    if (nonces.has(seen)) return {ok: false, error: 'nonce_used'}
    nonces.set(seen, timestamp)
    return {ok: true, params, form}
  }

  const refuse = (res: ServerResponse, error: string) => {
    options.log(`oauth1: refused (${error})`)
    sendJson(res, 401, {error}, {'www-authenticate': 'OAuth realm="oauthctl sandbox"'})
  }
  const sendForm = (res: ServerResponse, values: Record<string, string>) => {
    const text = new URLSearchParams(values).toString()
    res.writeHead(200, {'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store'})
    res.end(text)
  }

  function approve(res: ServerResponse, requestToken: string, temporary: Temporary): void {
    temporary.verifier = token(12)
    options.log(`oauth1: request token approved for "demo"`)
    if (temporary.callback === 'oob') {
      sendHtml(res, 200, renderPage('Verifier', `<p>Paste this verifier into oauthctl:</p><p><code id="verifier">${escapeHtml(temporary.verifier)}</code></p>`))
      return
    }
    const target = new URL(temporary.callback)
    target.searchParams.set('oauth_token', requestToken)
    target.searchParams.set('oauth_verifier', temporary.verifier)
    redirect(res, 302, target.href)
  }

  /**
   * The user clicked Deny: the request token is spent and, as X (Twitter) does, the browser goes back to the
   * callback with `denied=<request token>` and neither `oauth_token` nor `oauth_verifier`.
   * @see https://github.com/omab/python-social-auth/pull/242 (quotes X's docs: "redirects the user to the oauth_callback url with a 'denied' parameter instead of oauth_token")
   */
  function deny(res: ServerResponse, requestToken: string, temporary: Temporary): void {
    temporaries.delete(requestToken)
    options.log('oauth1: request token denied by the user')
    if (temporary.callback === 'oob') {
      sendHtml(res, 200, renderPage('Access denied', '<p>You denied oauthctl access. You can close this tab.</p>'))
      return
    }
    const target = new URL(temporary.callback)
    target.searchParams.set('denied', requestToken)
    redirect(res, 302, target.href)
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    if (path === '/oauth1/demo-rsa-key.pem' && req.method === 'GET') {
      const pem = rsa.privateKey.export({type: 'pkcs8', format: 'pem'}) as string
      res.writeHead(200, {'content-type': 'application/x-pem-file', 'cache-control': 'no-store'})
      res.end(pem)
      return
    }
    if (path === '/oauth1/request_token' && req.method === 'POST') {
      const checked = await verify(req, url, (given) => (given === undefined ? '' : undefined))
      if (!checked.ok) return refuse(res, checked.error)
      const callback = checked.params.get('oauth_callback') ?? ''
      if (callback !== 'oob' && !/^http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost):\d+\//.test(callback)) return refuse(res, 'parameter_rejected: oauth_callback')
      const requestToken = token()
      const secret = token()
      temporaries.set(requestToken, {consumer: checked.params.get('oauth_consumer_key') as string, secret, callback, expires: now() + TEMPORARY_TTL_MS})
      return sendForm(res, {oauth_token: requestToken, oauth_token_secret: secret, oauth_callback_confirmed: 'true'})
    }
    if (path === '/oauth1/authorize' && (req.method === 'GET' || req.method === 'POST')) {
      const form = req.method === 'POST' ? new URLSearchParams(await readBody(req, 64 * 1024)) : url.searchParams
      const requestToken = form.get('oauth_token') ?? ''
      const temporary = temporaries.get(requestToken)
      if (!temporary || temporary.expires < now() || temporary.verifier) {
        return sendHtml(res, 400, renderErrorPage('Unknown request token', 'Start the login again from oauthctl.'))
      }
      if (req.method === 'POST' && form.get('decision') === 'deny') return deny(res, requestToken, temporary)
      if (options.autoApprove || (req.method === 'POST' && form.get('decision') === 'approve')) return approve(res, requestToken, temporary)
      return sendHtml(
        res,
        200,
        renderPage(
          'Authorize oauthctl',
          `<form method="post" action="/oauth1/authorize"><input type="hidden" name="oauth_token" value="${escapeHtml(requestToken)}"><p>Let oauthctl act as Demo User (OAuth 1.0a)?</p><button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button></form>`,
        ),
      )
    }
    if (path === '/oauth1/access_token' && req.method === 'POST') {
      const checked = await verify(req, url, (given, consumer) => {
        const temporary = given === undefined ? undefined : temporaries.get(given)
        return temporary && temporary.consumer === consumer && temporary.expires >= now() ? temporary.secret : undefined
      })
      if (!checked.ok) return refuse(res, checked.error)
      const requestToken = checked.params.get('oauth_token') as string
      const temporary = temporaries.get(requestToken) as Temporary
      if (!temporary.verifier || checked.params.get('oauth_verifier') !== temporary.verifier) return refuse(res, 'verifier_invalid')
      temporaries.delete(requestToken)
      const access = token()
      const secret = token()
      tokens.set(access, {consumer: temporary.consumer, secret, user: 'demo'})
      options.log('oauth1: access token issued for "demo"')
      return sendForm(res, {oauth_token: access, oauth_token_secret: secret})
    }
    const signedWithToken = (given: string | undefined, consumer: string) => {
      const found = given === undefined ? undefined : tokens.get(given)
      return found && found.consumer === consumer ? found.secret : undefined
    }
    if (path === '/oauth1/revoke' && req.method === 'POST') {
      const checked = await verify(req, url, signedWithToken)
      if (!checked.ok) return refuse(res, checked.error)
      tokens.delete(checked.params.get('oauth_token') as string)
      return sendJson(res, 200, {revoked: true})
    }
    if (path === '/oauth1/api/me' || path === '/oauth1/api/echo') {
      const checked = await verify(req, url, signedWithToken)
      if (!checked.ok) return refuse(res, checked.error)
      if (path === '/oauth1/api/me') return sendJson(res, 200, {id: 'demo', name: 'Demo User', signature_method: checked.params.get('oauth_signature_method')})
      return sendJson(res, 200, {method: req.method, query: Object.fromEntries(url.searchParams), form: Object.fromEntries(checked.form)})
    }
    return sendJson(res, 404, {error: 'not_found'})
  }

  return {handle}
}
