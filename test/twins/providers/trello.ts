import {randomBytes} from 'node:crypto'
import {formParams, parseAuthorizationHeader, signatureBaseString, verifySignature} from '../../../src/http/oauth1-signature.js'
import {redirectWith, sendJson, sendText, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * Trello as its "Using Basic OAuth" documentation describes it
 * (https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/): OAuth 1.0a with
 * HMAC-SHA1 at https://trello.com/1/OAuthGetRequestToken, /1/OAuthAuthorizeToken (which takes `name`,
 * `scope` and `expiration`) and /1/OAuthGetAccessToken; the REST API at https://api.trello.com/1 with the
 * same signatures (`GET /1/members/me`). Signatures are checked with RFC 5849's rules (the RFC examples pin
 * those down in test/http/oauth1-signature.test.ts).
 */
export interface TrelloTwin extends Twin {
  /** Parameters of the last authorize request. */
  lastAuthorize?: URLSearchParams
  accessTokens: Map<string, string>
}

export function createTrelloTwin(app: {key: string; secret: string}): TrelloTwin {
  const temporaries = new Map<string, {secret: string; callback: string; verifier?: string}>()
  const accessTokens = new Map<string, string>()
  const seen = new Set<string>()
  const id = () => randomBytes(16).toString('hex')

  /** The token secret the request was signed with, after checking signature and nonce; else a reason. */
  function check(req: TwinRequest, tokenSecret: (token: string | undefined) => string | undefined): {ok: true; params: Map<string, string>} | {ok: false; reason: string} {
    const header = parseAuthorizationHeader(req.headers.authorization)
    if (!header) return {ok: false, reason: 'missing OAuth header'}
    const params = new Map(header)
    if (params.get('oauth_consumer_key') !== app.key) return {ok: false, reason: 'invalid key'}
    if (params.get('oauth_signature_method') !== 'HMAC-SHA1') return {ok: false, reason: 'unsupported signature method'}
    const secret = tokenSecret(params.get('oauth_token'))
    if (secret === undefined) return {ok: false, reason: 'invalid token'}
    const nonce = `${params.get('oauth_timestamp')}:${params.get('oauth_nonce')}`
    if (seen.has(nonce)) return {ok: false, reason: 'nonce reused'}
    seen.add(nonce)
    const body = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? formParams(req.body) : []
    const base = signatureBaseString(req.method, req.url, header, body)
    if (!verifySignature('HMAC-SHA1', base, params.get('oauth_signature') ?? '', {consumerSecret: app.secret, tokenSecret: secret})) return {ok: false, reason: 'invalid signature'}
    return {ok: true, params}
  }
  const form = (res: Parameters<Twin['handle']>[1], values: Record<string, string>) => sendText(res, 200, new URLSearchParams(values).toString(), 'text/plain; charset=utf-8')

  const twin: TrelloTwin = {
    name: 'trello',
    hosts: ['trello.com', 'api.trello.com'],
    log: [],
    accessTokens,
    handle(req, res) {
      twin.log.push(req)
      const path = `${req.url.host}${req.url.pathname}`
      if (path === 'trello.com/1/OAuthGetRequestToken' && req.method === 'POST') {
        const checked = check(req, (token) => (token === undefined ? '' : undefined))
        if (!checked.ok) return sendText(res, 401, checked.reason, 'text/plain')
        const token = id()
        temporaries.set(token, {secret: id(), callback: checked.params.get('oauth_callback') ?? 'oob'})
        return form(res, {oauth_token: token, oauth_token_secret: temporaries.get(token)!.secret, oauth_callback_confirmed: 'true'})
      }
      if (path === 'trello.com/1/OAuthAuthorizeToken' && req.method === 'GET') {
        twin.lastAuthorize = req.url.searchParams
        const token = req.url.searchParams.get('oauth_token') ?? ''
        const temporary = temporaries.get(token)
        if (!temporary) return sendText(res, 400, 'invalid token')
        temporary.verifier = id()
        if (temporary.callback === 'oob') return sendText(res, 200, `<p>Your verification code: <code>${temporary.verifier}</code></p>`)
        return redirectWith(res, temporary.callback, {oauth_token: token, oauth_verifier: temporary.verifier})
      }
      if (path === 'trello.com/1/OAuthGetAccessToken' && req.method === 'POST') {
        const checked = check(req, (token) => (token === undefined ? undefined : temporaries.get(token)?.secret))
        if (!checked.ok) return sendText(res, 401, checked.reason, 'text/plain')
        const temporary = temporaries.get(checked.params.get('oauth_token')!)!
        if (!temporary.verifier || checked.params.get('oauth_verifier') !== temporary.verifier) return sendText(res, 401, 'invalid verifier', 'text/plain')
        temporaries.delete(checked.params.get('oauth_token')!)
        const token = id()
        accessTokens.set(token, id())
        return form(res, {oauth_token: token, oauth_token_secret: accessTokens.get(token)!})
      }
      if (req.url.host === 'api.trello.com' && req.url.pathname.startsWith('/1/')) {
        const checked = check(req, (token) => (token === undefined ? undefined : accessTokens.get(token)))
        if (!checked.ok) return sendText(res, 401, checked.reason, 'text/plain')
        if (req.url.pathname === '/1/members/me') return sendJson(res, 200, {id: '5f1a', username: 'ada', fullName: 'Ada Lovelace'})
        if (req.url.pathname === '/1/cards' && req.method === 'POST') return sendJson(res, 200, {name: req.form.get('name'), idList: req.form.get('idList') ?? req.url.searchParams.get('idList')})
        return sendJson(res, 404, {message: 'not found'})
      }
      return sendText(res, 404, 'not found')
    },
  }
  return twin
}
