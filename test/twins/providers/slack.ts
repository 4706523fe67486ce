import type {ServerResponse} from 'node:http'
import {redirectWith, s256, sendJson, sendText, TwinGrants, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * Slack, as an app with PKCE enabled (the only kind a http://localhost redirect works with). Sources:
 * - V2: https://docs.slack.dev/reference/methods/oauth.v2.access and https://api.slack.com/authentication/oauth-v2
 * - PKCE: https://docs.slack.dev/authentication/using-pkce (localhost desktop redirects need PKCE; public client)
 * - WEBAPI: https://api.slack.com/web#evaluating_responses (errors are HTTP 200 {"ok": false, "error": ...})
 */
export interface SlackApp {
  clientId: string
  /** The registered redirect URL. */
  redirectUri: string
  /** PKCE switched on in the app settings (PKCE: one-way; makes the app a public client). */
  pkceEnabled: boolean
}

export interface SlackTwin extends Twin {
  grants: TwinGrants
}

export function createSlackTwin(app: SlackApp): SlackTwin {
  const grants = new TwinGrants('xoxp')
  const ok = (res: ServerResponse, body: Record<string, unknown>) => sendJson(res, 200, {ok: true, ...body})
  // WEBAPI: every failure, auth included, is HTTP 200 with ok:false.
  const fail = (res: ServerResponse, error: string, extra: Record<string, unknown> = {}) => sendJson(res, 200, {ok: false, error, ...extra})

  function authorize(req: TwinRequest, res: ServerResponse): void {
    const q = req.url.searchParams
    if (q.get('client_id') !== app.clientId) return sendText(res, 400, '<h1>invalid_client_id</h1>')
    const redirect = q.get('redirect_uri') ?? ''
    // PKCE: an http (localhost) redirect is accepted only once PKCE is enabled; V2: it must match the registered URL.
    if (redirect !== app.redirectUri || (redirect.startsWith('http:') && !app.pkceEnabled)) return sendText(res, 400, '<h1>bad_redirect_uri</h1>')
    if (app.pkceEnabled && !q.get('code_challenge')) return sendText(res, 400, '<h1>invalid_code_challenge</h1>')
    // V2: user token scopes come comma-separated in user_scope.
    const code = grants.issueCode({clientId: app.clientId, redirectUri: redirect, scope: q.get('user_scope') ?? '', codeChallenge: q.get('code_challenge') ?? undefined})
    redirectWith(res, redirect, {code, state: q.get('state') ?? undefined})
  }

  function access(req: TwinRequest, res: ServerResponse): void {
    const f = req.form
    if (f.get('client_id') !== app.clientId) return fail(res, 'invalid_client_id')
    const grant = grants.takeCode(f.get('code'))
    if (!grant) return fail(res, 'invalid_code')
    if (f.get('redirect_uri') !== grant.redirectUri) return fail(res, 'bad_redirect_uri')
    if (grant.codeChallenge && s256(f.get('code_verifier') ?? '') !== grant.codeChallenge) return fail(res, 'invalid_code_verifier')
    const tokens = grants.issueTokens({clientId: app.clientId, scope: grant.scope, user: 'U0KRQLJ9H'}, false)
    // V2: the user token is nested under authed_user, with token_type "user"; no top-level access_token.
    ok(res, {app_id: 'A0KRD7HC3', authed_user: {id: 'U0KRQLJ9H', scope: grant.scope, access_token: tokens.access_token, token_type: 'user'}, team: {id: 'T9TK3CUKW', name: 'Slack Softball Team'}, enterprise: null, is_enterprise_install: false})
  }

  function api(req: TwinRequest, res: ServerResponse): void {
    const method = req.url.pathname.replace(/^\/api\//, '')
    const grant = grants.accessGrant(req.bearer)
    if (!grant) return fail(res, 'invalid_auth')
    if (method === 'auth.test') return ok(res, {url: 'https://subarachnoiddev.slack.com/', team: 'Subarachnoid Workspace', user: 'grace', team_id: 'T12345678', user_id: 'U0KRQLJ9H'})
    if (method === 'users.list') {
      // https://api.slack.com/methods/users.list: cursor paging in response_metadata.next_cursor.
      const cursor = req.url.searchParams.get('cursor')
      return ok(res, {members: [{id: cursor ? 'U2' : 'U1'}], response_metadata: {next_cursor: cursor ? '' : 'dXNlcjpVMg=='}})
    }
    if (method === 'conversations.list') return fail(res, 'missing_scope', {needed: 'channels:read', provided: grant.scope})
    // https://api.slack.com/methods/conversations.members: a bad cursor is HTTP 200 {"ok": false, "error": "invalid_cursor"}.
    if (method === 'conversations.members') {
      return req.url.searchParams.get('cursor') ? fail(res, 'invalid_cursor') : ok(res, {members: ['U1'], response_metadata: {next_cursor: 'bad'}})
    }
    fail(res, 'unknown_method')
  }

  return {
    name: 'slack',
    hosts: ['slack.com'],
    log: [],
    grants,
    handle(req, res) {
      const path = req.url.pathname
      if (req.method === 'GET' && path === '/oauth/v2/authorize') return authorize(req, res)
      if (path === '/api/oauth.v2.access') return access(req, res)
      if (path.startsWith('/api/')) return api(req, res)
      sendText(res, 404, '<h1>not found</h1>')
    },
  }
}
