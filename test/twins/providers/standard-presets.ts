import type {ServerResponse} from 'node:http'
import {sendJson, type TokenGrant, type TwinRequest} from '../twin-kit.js'
import {createStandardTwin, type StandardTwin} from '../standard-twin.js'

/**
 * Twins of the presets whose OAuth side is close to RFC 6749. Every rule names its source; the provider
 * audit (shared docs/provider-audit.md) has the wider context. Redirect ports: the fixed-port presets are
 * registered here on a test port that the test passes with --port (the same exact-match rule, without
 * colliding with other test files).
 */

/** An API handler from a table of `path -> body`; a missing or revoked token is `unauthorized`. */
export function apiTable(routes: Record<string, (req: TwinRequest) => unknown>, unauthorized: {status: number; body: unknown}) {
  return (req: TwinRequest, res: ServerResponse, grant: TokenGrant | undefined) => {
    if (!grant) return sendJson(res, unauthorized.status, unauthorized.body)
    const route = routes[`${req.method} ${req.host}${req.url.pathname}`]
    if (!route) return sendJson(res, 404, {message: 'Not Found'})
    const answer = route(req)
    if (Array.isArray(answer) && typeof answer[0] === 'number') return sendJson(res, answer[0] as number, answer[1], (answer[2] ?? {}) as Record<string, string>)
    sendJson(res, 200, answer)
  }
}

export function createGitlabTwin(app: {clientId: string; clientSecret?: string}): StandardTwin {
  return createStandardTwin({
    name: 'gitlab',
    hosts: ['gitlab.com'],
    authorize: 'gitlab.com/oauth/authorize',
    token: 'gitlab.com/oauth/token',
    revoke: 'gitlab.com/oauth/revoke',
    // https://docs.gitlab.com/api/oauth2/#device-authorization-grant-flow
    device: 'gitlab.com/oauth/authorize_device',
    app,
    // Doorkeeper's URIChecker ignores the port when both URIs are loopback IPs
    // (https://github.com/doorkeeper-gem/doorkeeper/blob/main/lib/doorkeeper/oauth/helpers/uri_checker.rb).
    redirect: {uri: 'http://127.0.0.1/callback', anyPort: true},
    // https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce:
    // a non-confidential app needs no secret; a confidential one authenticates (Basic accepted by Doorkeeper).
    clientAuth: 'basic-or-none',
    pkce: 'optional',
    // https://docs.gitlab.com/api/oauth2/: a refresh invalidates the old access and refresh tokens; 2 h tokens.
    refresh: 'rotate',
    expiresIn: 7200,
    // https://docs.gitlab.com/integration/openid_connect_provider/: id_token with the openid scope, iss https://gitlab.com.
    idTokenIssuer: 'https://gitlab.com',
    api: apiTable(
      {
        // https://docs.gitlab.com/api/users/#for-normal-users-1
        'GET gitlab.com/api/v4/user': () => ({id: 4242, username: 'tanuki', name: 'Tanuki Fox', email: 'tanuki@example.com'}),
        'GET gitlab.com/oauth/userinfo': () => ({sub: '4242', name: 'Tanuki Fox', nickname: 'tanuki', email: 'tanuki@example.com'}),
        // https://docs.gitlab.com/api/rest/#pagination-link-header
        'GET gitlab.com/api/v4/projects': (req) => {
          const page = Number(req.url.searchParams.get('page') ?? '1')
          return [200, [{id: page}], page < 2 ? {link: '<https://gitlab.com/api/v4/projects?page=2>; rel="next"'} : {}]
        },
      },
      {status: 401, body: {message: '401 Unauthorized'}},
    ),
  })
}

export function createSpotifyTwin(app: {clientId: string}): StandardTwin {
  return createStandardTwin({
    name: 'spotify',
    hosts: ['accounts.spotify.com', 'api.spotify.com'],
    authorize: 'accounts.spotify.com/authorize',
    token: 'accounts.spotify.com/api/token',
    app,
    // https://developer.spotify.com/documentation/web-api/concepts/redirect_uri: loopback IP literal, any port
    // when registered without one; "localhost is not allowed".
    redirect: {uri: 'http://127.0.0.1/callback', anyPort: true},
    // https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow: no secret, PKCE required.
    clientAuth: 'none',
    pkce: 'required',
    // Same tutorial, "Refreshing tokens": a new refresh token is returned.
    refresh: 'rotate',
    api: apiTable(
      {
        // https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile
        'GET api.spotify.com/v1/me': () => ({id: 'wizzler', display_name: 'JM Wizzler', email: 'email@example.com'}),
        // https://developer.spotify.com/documentation/web-api/concepts/api-calls#pagination ("next": full URL)
        'GET api.spotify.com/v1/me/playlists': (req) =>
          req.url.searchParams.get('offset') === '1'
            ? {items: [{name: 'b'}], next: null}
            : {items: [{name: 'a'}], next: 'https://api.spotify.com/v1/me/playlists?offset=1&limit=1'},
      },
      {status: 401, body: {error: {status: 401, message: 'The access token expired'}}},
    ),
  })
}

export function createDropboxTwin(app: {clientId: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'dropbox',
    hosts: ['www.dropbox.com', 'api.dropboxapi.com'],
    authorize: 'www.dropbox.com/oauth2/authorize',
    token: 'api.dropboxapi.com/oauth2/token',
    app,
    // https://developers.dropbox.com/oauth-guide: the redirect URI must exactly match a registered one (http only for localhost).
    redirect: {uri: `http://localhost:${port}/callback`},
    // https://developers.dropbox.com/oauth-guide "PKCE": a public client sends no secret.
    clientAuth: 'basic-or-none',
    pkce: 'optional',
    // https://developers.dropbox.com/oauth-guide: token_access_type=offline for a refresh token, which does not change.
    requiredAuthorizeParams: {token_access_type: 'offline'},
    refresh: 'reuse',
    expiresIn: 14400,
    api: apiTable(
      {
        // https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account (RPC: POST)
        'POST api.dropboxapi.com/2/users/get_current_account': () => ({account_id: 'dbid:AAH4f99', name: {display_name: 'Franz Ferdinand'}, email: 'franz@example.com'}),
      },
      {status: 401, body: {error_summary: 'invalid_access_token/...', error: {'.tag': 'invalid_access_token'}}},
    ),
  })
}

export function createDiscordTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'discord',
    hosts: ['discord.com'],
    authorize: 'discord.com/oauth2/authorize',
    token: 'discord.com/api/oauth2/token',
    revoke: 'discord.com/api/oauth2/token/revoke',
    app,
    // https://discord.com/developers/docs/topics/oauth2: redirect_uri must match one registered.
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    // Same page: confidential clients authenticate with Basic (or the body); PKCE is accepted.
    clientAuth: 'basic',
    pkce: 'optional',
    // Same page "Refresh token exchange": a new refresh token comes back; 7-day access tokens.
    refresh: 'rotate',
    expiresIn: 604800,
    api: apiTable(
      {'GET discord.com/api/v10/users/@me': () => ({id: '80351110224678912', username: 'nelly', global_name: 'Nelly', email: 'nelly@discord.com'})},
      {status: 401, body: {message: '401: Unauthorized', code: 0}},
    ),
  })
}

export function createXTwin(app: {clientId: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'x',
    hosts: ['x.com', 'api.x.com'],
    authorize: 'x.com/i/oauth2/authorize',
    token: 'api.x.com/2/oauth2/token',
    revoke: 'api.x.com/2/oauth2/revoke',
    app,
    // https://developer.x.com/en/docs/apps/callback-urls: exact match against the allow-list.
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    // https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code: PKCE required;
    // public clients send client_id in the body, confidential ones use Basic.
    clientAuth: 'basic-or-none',
    pkce: 'required',
    // https://github.com/r-lib/httr2/issues/197: the refresh token changes on every refresh; the old one dies.
    refresh: 'rotate',
    expiresIn: 7200,
    api: apiTable(
      // https://docs.x.com/x-api/users/user-lookup-me: the user is wrapped in "data".
      {'GET api.x.com/2/users/me': () => ({data: {id: '2244994945', name: 'X Dev', username: 'XDevelopers'}})},
      {status: 401, body: {title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized'}},
    ),
  })
}

export function createStravaTwin(app: {clientId: string; clientSecret: string}): StandardTwin {
  return createStandardTwin({
    name: 'strava',
    hosts: ['www.strava.com'],
    authorize: 'www.strava.com/oauth/authorize',
    token: 'www.strava.com/oauth/token',
    app,
    // https://developers.strava.com/docs/authentication/: "localhost and 127.0.0.1 are white-listed" callback domains.
    redirect: {uri: 'http://127.0.0.1/callback', anyPort: true},
    // Same page: client_id and client_secret in the body; comma-separated scopes; no PKCE documented.
    clientAuth: 'post',
    pkce: 'ignored',
    scopeSeparator: ',',
    // Same page "Refreshing Expired Access Tokens": a new refresh token; the old one is invalid.
    refresh: 'rotate',
    expiresIn: 21600,
    tokenExtras: {athlete: {id: 227615, firstname: 'John', lastname: 'Applestrava'}},
    api: apiTable(
      // https://developers.strava.com/docs/reference/#api-Athletes-getLoggedInAthlete
      {'GET www.strava.com/api/v3/athlete': () => ({id: 227615, firstname: 'John', lastname: 'Applestrava'})},
      {status: 401, body: {message: 'Authorization Error', errors: [{resource: 'Athlete', field: 'access_token', code: 'invalid'}]}},
    ),
  })
}

export function createZoomTwin(app: {clientId: string; clientSecret: string}): StandardTwin {
  return createStandardTwin({
    name: 'zoom',
    hosts: ['zoom.us', 'api.zoom.us'],
    authorize: 'zoom.us/oauth/authorize',
    token: 'zoom.us/oauth/token',
    revoke: 'zoom.us/oauth/revoke',
    app,
    // https://developers.zoom.us/changelog/platform/pkce-loopback: the port of loopback redirect URIs is ignored.
    redirect: {uri: 'http://127.0.0.1/callback', anyPort: true},
    // https://developers.zoom.us/docs/integrations/oauth/: Basic client_id:client_secret; public PKCE clients none.
    clientAuth: 'basic-or-none',
    pkce: 'optional',
    // Same page "Refreshing an access token": single-use refresh tokens.
    refresh: 'rotate',
    api: apiTable(
      {
        // https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
        'GET api.zoom.us/v2/users/me': () => ({id: 'KDcuGIm1QgePTO8WbOqwIQ', first_name: 'Jill', last_name: 'Chill', display_name: 'Jill Chill', email: 'jchill@example.com'}),
      },
      {status: 401, body: {code: 124, message: 'Invalid access token.'}},
    ),
  })
}

export function createSalesforceTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'salesforce',
    hosts: ['login.salesforce.com', 'acme.my.salesforce.com'],
    authorize: 'login.salesforce.com/services/oauth2/authorize',
    token: 'login.salesforce.com/services/oauth2/token',
    revoke: 'login.salesforce.com/services/oauth2/revoke',
    app,
    // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm: redirect_uri must match the callback URL exactly.
    redirect: {uri: `http://localhost:${port}/OauthRedirect`},
    // Same page: client_secret in the body; public External Client Apps send none
    // (https://developer.salesforce.com/docs/atlas.en-us.pkg2_dev.meta/pkg2_dev/secure_code_ac_eca.htm).
    clientAuth: 'post-or-none',
    pkce: 'optional',
    // Same page: the token response names instance_url (the API host) and has no expires_in; a refresh
    // returns no new refresh token.
    refresh: 'reuse',
    expiresIn: null,
    tokenExtras: {instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A', issued_at: '1278448101416', signature: 'x'},
    api: apiTable(
      {
        'GET login.salesforce.com/services/oauth2/userinfo': () => ({user_id: '005xx000001Sv6A', name: 'Marc Benioff', email: 'marc@example.com', preferred_username: 'marc@acme.com'}),
        // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
        'GET acme.my.salesforce.com/services/data/v62.0/limits': () => ({DailyApiRequests: {Max: 15000, Remaining: 14998}}),
      },
      {status: 401, body: [{message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID'}]},
    ),
  })
}

export function createAtlassianTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'atlassian',
    hosts: ['auth.atlassian.com', 'api.atlassian.com'],
    authorize: 'auth.atlassian.com/authorize',
    token: 'auth.atlassian.com/oauth/token',
    app,
    // https://developer.atlassian.com/cloud/oauth/getting-started/implementing-oauth-3lo: redirect_uri must
    // match the app's callback URL; audience=api.atlassian.com and prompt=consent are required.
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    requiredAuthorizeParams: {audience: 'api.atlassian.com', prompt: 'consent'},
    // Same page: client_id and client_secret in the request body. PKCE is not documented (not looked at).
    clientAuth: 'post',
    pkce: 'ignored',
    // https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/: rotating refresh tokens.
    refresh: 'rotate',
    api: apiTable(
      {
        // https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/ (GET /me: account_id, not sub)
        'GET api.atlassian.com/me': () => ({account_id: '5b10ac8d82e05b22cc7d4ef5', email: 'mia@example.com', name: 'Mia Krystof', picture: 'https://avatar'}),
        'GET api.atlassian.com/oauth/token/accessible-resources': () => [{id: '1324a887-45db-1bf4-1e99-ef0ff456d421', name: 'acme', url: 'https://acme.atlassian.net'}],
      },
      {status: 401, body: {code: 401, message: 'Unauthorized'}},
    ),
  })
}

export function createRedditTwin(app: {clientId: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'reddit',
    hosts: ['www.reddit.com', 'oauth.reddit.com'],
    authorize: 'www.reddit.com/api/v1/authorize',
    token: 'www.reddit.com/api/v1/access_token',
    revoke: 'www.reddit.com/api/v1/revoke_token',
    app: {clientId: app.clientId, clientSecret: ''},
    // https://github.com/reddit-archive/reddit/wiki/OAuth2: redirect_uri must match the registered one exactly.
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    // Same wiki: duration=permanent for a refresh token; installed apps authenticate with Basic `client_id:`.
    requiredAuthorizeParams: {duration: 'permanent'},
    clientAuth: 'basic-empty-password',
    pkce: 'ignored',
    refresh: 'reuse',
    // https://github.com/reddit-archive/reddit/wiki/API: a unique, descriptive User-Agent on every request;
    // generic ones are throttled (429).
    requireHeader: {name: 'user-agent', test: /^cli:oauthctl:/, status: 429},
    api: apiTable(
      // https://www.reddit.com/dev/api#GET_api_v1_me
      {'GET oauth.reddit.com/api/v1/me': () => ({id: 'abc12', name: 'spez'})},
      {status: 401, body: {message: 'Unauthorized', error: 401}},
    ),
  })
}

export function createBoxTwin(app: {clientId: string; clientSecret: string}): StandardTwin {
  return createStandardTwin({
    name: 'box',
    hosts: ['account.box.com', 'api.box.com'],
    authorize: 'account.box.com/api/oauth2/authorize',
    token: 'api.box.com/oauth2/token',
    revoke: 'api.box.com/oauth2/revoke',
    app,
    // https://developer.box.com/guides/authentication/oauth2/oauth2-setup: "Localhost and loopback address
    // redirect URIs will be permitted to redirect to any port".
    redirect: {uri: 'http://127.0.0.1/callback', anyPort: true},
    // https://developer.box.com/reference/post-oauth2-token/: client_id and client_secret in the body. PKCE not documented.
    clientAuth: 'post',
    pkce: 'ignored',
    // https://developer.box.com/guides/authentication/tokens/refresh/: a refresh token is single-use.
    refresh: 'rotate',
    api: apiTable(
      {
        // https://developer.box.com/reference/get-users-me/
        'GET api.box.com/2.0/users/me': () => ({type: 'user', id: '11446498', name: 'Aaron Levie', login: 'ceo@example.com'}),
        // https://developer.box.com/guides/api-calls/pagination/marker-based/
        'GET api.box.com/2.0/folders/0/items': (req) =>
          req.url.searchParams.get('marker') ? {entries: [{id: '2'}], next_marker: ''} : {entries: [{id: '1'}], next_marker: 'm2'},
      },
      {status: 401, body: {type: 'error', status: 401, code: 'unauthorized', message: 'Unauthorized'}},
    ),
  })
}
