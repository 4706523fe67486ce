/** Twins of strava, zoom, salesforce, atlassian, reddit and box (see standard-presets.ts). */
import {createStandardTwin, type StandardTwin} from '../standard-twin.js'
import {apiTable} from './api-table.js'

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

export function createZoomTwin(app: {clientId: string; clientSecret?: string}): StandardTwin {
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

/** Salesforce production, or a sandbox org's `test.salesforce.com` (the preset's `--login-host`). */
export function createSalesforceTwin(app: {clientId: string; clientSecret?: string}, port: number, loginHost = 'login.salesforce.com'): StandardTwin {
  return createStandardTwin({
    name: 'salesforce',
    hosts: [loginHost, 'acme.my.salesforce.com'],
    authorize: `${loginHost}/services/oauth2/authorize`,
    token: `${loginHost}/services/oauth2/token`,
    revoke: `${loginHost}/services/oauth2/revoke`,
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
    tokenExtras: {instance_url: 'https://acme.my.salesforce.com', id: `https://${loginHost}/id/00Dxx0000001gPL/005xx000001Sv6A`, issued_at: '1278448101416', signature: 'x'},
    api: apiTable(
      {
        [`GET ${loginHost}/services/oauth2/userinfo`]: () => ({user_id: '005xx000001Sv6A', name: 'Marc Benioff', email: 'marc@example.com', preferred_username: 'marc@acme.com'}),
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
