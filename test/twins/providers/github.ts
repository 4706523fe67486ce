import type {ServerResponse} from 'node:http'
import {randomBytes} from 'node:crypto'
import {redirectWith, s256, sendJson, sendText, TwinGrants, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * GitHub, as a GitHub App with expiring user tokens (the case with refresh tokens). Sources, per rule:
 * - AUTHZ: https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * - TROUBLE: https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 * - PKCE: https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication
 * - REFRESH: https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 * - REVOKE: https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token
 * - REST: https://docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api (User-Agent required),
 *   https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api (Link header)
 */
export interface GithubApp {
  clientId: string
  clientSecret: string
  /** The registered callback URL; on a loopback host any port matches (AUTHZ, "Loopback redirect urls"). */
  callbackUrl: string
}

export interface GithubTwin extends Twin {
  grants: TwinGrants
}

const USER = {login: 'octocat', id: 583231, name: 'The Octocat', email: 'octocat@github.com'}

export function createGithubTwin(app: GithubApp): GithubTwin {
  const grants = new TwinGrants('ghu')
  const devices = new Map<string, {scope: string; polls: number}>()

  /** AUTHZ: the redirect_uri host and path must match the callback URL; the port may differ on loopback. */
  function redirectMatches(given: string | null): boolean {
    if (!given || !URL.canParse(given)) return false
    const a = new URL(given)
    const b = new URL(app.callbackUrl)
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname && (a.port === b.port || a.hostname === '127.0.0.1')
  }

  /** TROUBLE: token answers are form-encoded unless Accept asks for JSON, and errors come as HTTP 200. */
  function answer(req: TwinRequest, res: ServerResponse, body: Record<string, string | number>): void {
    if (String(req.headers.accept ?? '').includes('application/json')) return sendJson(res, 200, body)
    const form = new URLSearchParams(Object.entries(body).map(([key, value]): [string, string] => [key, String(value)]))
    res.writeHead(200, {'content-type': 'application/x-www-form-urlencoded; charset=utf-8'}).end(form.toString())
  }

  function issue(req: TwinRequest, res: ServerResponse, scope: string): void {
    // REFRESH: user tokens expire after 8 hours, refresh tokens after 6 months.
    const tokens = grants.issueTokens({clientId: app.clientId, scope, user: USER.login}, true)
    answer(req, res, {...tokens, expires_in: 28800, refresh_token_expires_in: 15811200, scope, token_type: 'bearer'})
  }

  function token(req: TwinRequest, res: ServerResponse): void {
    const f = req.form
    if (f.get('client_id') !== app.clientId) return answer(req, res, {error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.'})
    const grantType = f.get('grant_type') ?? 'authorization_code'
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      // AUTHZ "Device flow": pending until the user enters the code, then the token; no secret needed.
      const device = devices.get(f.get('device_code') ?? '')
      if (!device) return answer(req, res, {error: 'bad_verification_code', error_description: 'The device_code provided is not valid.'})
      if (device.polls++ === 0) return answer(req, res, {error: 'authorization_pending', error_description: 'The authorization request is still pending.'})
      devices.delete(f.get('device_code') ?? '')
      return issue(req, res, device.scope)
    }
    // AUTHZ: the client secret is required for the web flow, even with PKCE (PKCE changelog).
    if (f.get('client_secret') !== app.clientSecret) return answer(req, res, {error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.'})
    if (grantType === 'refresh_token') {
      // REFRESH: a new refresh token each time; the old one is spent.
      const old = grants.refresh.get(f.get('refresh_token') ?? '')
      if (!old) return answer(req, res, {error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.'})
      grants.revoke(f.get('refresh_token') ?? '')
      return issue(req, res, old.scope)
    }
    const grant = grants.takeCode(f.get('code'))
    if (!grant) return answer(req, res, {error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.'})
    if (f.has('redirect_uri') && !redirectMatches(f.get('redirect_uri'))) return answer(req, res, {error: 'redirect_uri_mismatch', error_description: 'The redirect_uri MUST match the registered callback URL for this application.'})
    // PKCE: S256 only; a challenge given at authorize must be answered by the verifier.
    if (grant.codeChallenge && s256(f.get('code_verifier') ?? '') !== grant.codeChallenge) {
      return answer(req, res, {error: 'invalid_grant', error_description: 'The code_verifier does not match the code_challenge.'})
    }
    issue(req, res, grant.scope.split(' ').join(','))
  }

  function api(req: TwinRequest, res: ServerResponse): void {
    // REST: a request without User-Agent is rejected.
    if (!req.headers['user-agent']) return sendText(res, 403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.', 'text/plain')
    const path = req.url.pathname
    const revoke = /^\/applications\/([^/]+)\/token$/.exec(path)
    if (revoke && req.method === 'DELETE') {
      // REVOKE: Basic client_id:client_secret, JSON {"access_token"}; 204, or 404 for wrong credentials.
      if (revoke[1] !== app.clientId || req.basic?.id !== app.clientId || req.basic.secret !== app.clientSecret) return sendJson(res, 404, {message: 'Not Found', status: '404'})
      const {access_token: accessToken} = JSON.parse(req.body || '{}') as {access_token?: string}
      if (!accessToken || !grants.revoke(accessToken)) return sendJson(res, 404, {message: 'Not Found', status: '404'})
      return void res.writeHead(204).end()
    }
    if (!grants.accessGrant(req.bearer)) return sendJson(res, 401, {message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401'})
    if (path === '/user') return sendJson(res, 200, USER)
    const issues = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(path)
    if (issues && req.method === 'POST') {
      // https://docs.github.com/rest/issues/issues#create-an-issue: a JSON body with a title; 201 and the issue.
      const body = JSON.parse(req.body || '{}') as {title?: unknown; labels?: unknown}
      if (typeof body.title !== 'string') return sendJson(res, 422, {message: 'Validation Failed', status: '422'})
      return sendJson(res, 201, {number: 1, title: body.title, labels: Array.isArray(body.labels) ? body.labels.map((name) => ({name})) : [], user: {login: USER.login}, html_url: `https://github.com/${issues[1]}/${issues[2]}/issues/1`})
    }
    if (path === '/user/repos') {
      // REST pagination: Link header with rel="next" until the last page.
      const page = Number(req.url.searchParams.get('page') ?? '1')
      const headers: Record<string, string> = page < 3 ? {link: `<https://api.github.com/user/repos?page=${page + 1}>; rel="next", <https://api.github.com/user/repos?page=3>; rel="last"`} : {}
      return sendJson(res, 200, [{name: `repo-${page}`}], headers)
    }
    sendJson(res, 404, {message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404'})
  }

  return {
    name: 'github',
    hosts: ['github.com', 'api.github.com'],
    log: [],
    grants,
    handle(req, res) {
      const route = `${req.method} ${req.host}${req.url.pathname}`
      if (route === 'GET github.com/login/oauth/authorize') {
        const q = req.url.searchParams
        if (q.get('client_id') !== app.clientId) return sendText(res, 404, '<h1>Not Found</h1>')
        // AUTHZ "Redirect URLs": a mismatch goes back to the registered callback with error=redirect_uri_mismatch.
        if (q.has('redirect_uri') && !redirectMatches(q.get('redirect_uri'))) {
          return redirectWith(res, app.callbackUrl, {error: 'redirect_uri_mismatch', error_description: 'The redirect_uri MUST match the registered callback URL for this application.', state: q.get('state') ?? undefined})
        }
        if (q.get('code_challenge') && q.get('code_challenge_method') !== 'S256') return sendText(res, 400, '<h1>code_challenge_method must be S256</h1>')
        const redirectUri = q.get('redirect_uri') ?? app.callbackUrl
        const code = grants.issueCode({clientId: app.clientId, redirectUri, scope: q.get('scope') ?? '', codeChallenge: q.get('code_challenge') ?? undefined})
        return redirectWith(res, redirectUri, {code, state: q.get('state') ?? undefined})
      }
      if (route === 'POST github.com/login/oauth/access_token') return token(req, res)
      if (route === 'POST github.com/login/device/code') {
        if (req.form.get('client_id') !== app.clientId) return answer(req, res, {error: 'incorrect_client_credentials', error_description: 'The client_id is not valid.'})
        const deviceCode = randomBytes(20).toString('hex')
        devices.set(deviceCode, {scope: req.form.get('scope') ?? '', polls: 0})
        // AUTHZ "Device flow": verification_uri https://github.com/login/device, interval 5.
        return answer(req, res, {device_code: deviceCode, user_code: 'WDJB-MJHT', verification_uri: 'https://github.com/login/device', expires_in: 899, interval: 5})
      }
      if (req.host === 'api.github.com') return api(req, res)
      sendText(res, 404, '<h1>Not Found</h1>')
    },
  }
}
