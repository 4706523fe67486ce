import type {TwinRequest} from '../twin-kit.js'
import {createStandardTwin, type StandardTwin} from '../standard-twin.js'
import {apiTable} from './api-table.js'

/**
 * Twins of the SaaS API presets (Twitch, Notion, HubSpot, Xero, Bitbucket, Figma, Asana). Every rule
 * names its source; where the source is silent the twin is the stricter reading and says so.
 */

export function createTwitchTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  const twitchUser = {id: '141981764', login: 'twitchdev', display_name: 'TwitchDev', email: 'dev@example.com'}
  return createStandardTwin({
    name: 'twitch',
    hosts: ['id.twitch.tv', 'api.twitch.tv'],
    authorize: 'id.twitch.tv/oauth2/authorize',
    token: 'id.twitch.tv/oauth2/token',
    // https://dev.twitch.tv/docs/authentication/revoke-tokens/: POST client_id + token.
    revoke: 'id.twitch.tv/oauth2/revoke',
    app,
    // https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow:
    // redirect_uri must exactly match one registered (http://localhost allowed); client_id and client_secret
    // in the body; no PKCE documented (not looked at).
    redirect: {uri: `http://localhost:${port}/callback`},
    clientAuth: 'post',
    pkce: 'ignored',
    // https://dev.twitch.tv/docs/authentication/refresh-tokens/: a new refresh token comes back; the twin
    // treats the old one as spent (the page does not say it stays valid).
    refresh: 'rotate',
    expiresIn: 14124,
    // Same page as the grant: "scope" is a JSON array.
    tokenExtras: {scope: ['user:read:email']},
    api: apiTable(
      {
        // https://dev.twitch.tv/docs/api/#twitch-api-request-format: every request needs Client-Id and it must
        // be the client the token was issued to; https://dev.twitch.tv/docs/api/reference/#get-users.
        'GET api.twitch.tv/helix/users': (req: TwinRequest) =>
          req.headers['client-id'] === app.clientId
            ? {data: [twitchUser]}
            : [401, {error: 'Unauthorized', status: 401, message: 'Client ID and OAuth token do not match'}],
      },
      {status: 401, body: {error: 'Unauthorized', status: 401, message: 'Invalid OAuth token'}},
    ),
  })
}

export function createNotionTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'notion',
    hosts: ['api.notion.com'],
    // https://developers.notion.com/docs/authorization: the authorization URL carries owner=user.
    authorize: 'api.notion.com/v1/oauth/authorize',
    requiredAuthorizeParams: {owner: 'user'},
    // https://developers.notion.com/reference/create-a-token: Basic base64(client_id:client_secret),
    // Content-Type application/json, Notion-Version required; refresh-a-token on the same endpoint.
    token: 'api.notion.com/v1/oauth/token',
    tokenBody: 'json',
    revoke: 'api.notion.com/v1/oauth/revoke',
    app,
    redirect: {uri: `http://localhost:${port}/callback`},
    clientAuth: 'basic',
    pkce: 'ignored',
    // https://developers.notion.com/reference/refresh-a-token: "a new access token and new refresh token".
    refresh: 'rotate',
    tokenExtras: {bot_id: 'b3414d65-1224-4ff7-8ffe-cc9d8773d601', workspace_name: "Ada's Notion Workspace", workspace_id: 'j565j4d7-2882-41b5-864a-99d9d9cc36f7', owner: {type: 'user', user: {object: 'user', id: 'u-ada', name: 'Ada Lovelace'}}},
    // https://developers.notion.com/reference/versioning: requests without Notion-Version fail with 400 missing_version.
    requireHeader: {name: 'notion-version', test: /^\d{4}-\d{2}-\d{2}$/, status: 400, body: {object: 'error', status: 400, code: 'missing_version', message: 'Notion-Version header failed validation.'}},
    api: apiTable(
      // https://developers.notion.com/reference/get-self: the integration's bot user.
      {'GET api.notion.com/v1/users/me': () => ({object: 'user', id: '16d84278-ab0e-484c-9bdd-b35da3bd8905', name: 'oauthctl bot', type: 'bot', bot: {}})},
      {status: 401, body: {object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.'}},
    ),
  })
}

export function createHubspotTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'hubspot',
    hosts: ['app.hubspot.com', 'api.hubapi.com'],
    authorize: 'app.hubspot.com/oauth/authorize',
    // https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide: URL-form
    // encoded POST with client_id and client_secret in the body.
    token: 'api.hubapi.com/oauth/v1/token',
    app,
    // https://developers.hubspot.com/changelog/2018-03-05-oauth2-redirect-uri-served-over-http-localhost:
    // http only for localhost; the redirect_uri must match the app's.
    redirect: {uri: `http://localhost:${port}/callback`},
    clientAuth: 'post',
    pkce: 'ignored',
    // Same guide: the refresh token stays the same; access tokens last 30 minutes.
    refresh: 'reuse',
    expiresIn: 1800,
    api: apiTable(
      {
        // https://developers.hubspot.com/docs/api-reference/account-account-info-v3/details/get-account-info-v3-details
        'GET api.hubapi.com/account-info/v3/details': () => ({portalId: 62515, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD'}),
        'GET api.hubapi.com/crm/v3/objects/contacts': () => ({results: [{id: '51', properties: {email: 'bh@hubspot.com'}}], paging: {next: {after: '52'}}}),
      },
      {status: 401, body: {status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION'}},
    ),
  })
}

export function createXeroTwin(app: {clientId: string}, port: number): StandardTwin {
  const tenantId = '70784a63-d24b-46a9-a4db-0e70a274b056'
  return createStandardTwin({
    name: 'xero',
    hosts: ['login.xero.com', 'identity.xero.com', 'api.xero.com'],
    authorize: 'login.xero.com/identity/connect/authorize',
    token: 'identity.xero.com/connect/token',
    // https://developer.xero.com/documentation/guides/oauth2/auth-flow/#revoking-tokens
    revoke: 'identity.xero.com/connect/revocation',
    app,
    // https://developer.xero.com/documentation/guides/oauth2/pkce-flow: the redirect URI must match one of the
    // app's exactly (http://localhost allowed); a PKCE app sends client_id, no secret, and must send PKCE.
    redirect: {uri: `http://localhost:${port}/callback`},
    clientAuth: 'basic-or-none',
    pkce: 'required',
    // https://developer.xero.com/faq/oauth2: refresh tokens rotate (the old one works 30 minutes more; the
    // twin is stricter) and last 60 days; access tokens 30 minutes.
    refresh: 'rotate',
    expiresIn: 1800,
    idTokenIssuer: 'https://identity.xero.com',
    api: apiTable(
      {
        'GET identity.xero.com/connect/userinfo': () => ({sub: '9a8b7c6d', name: 'Xero Demo', email: 'demo@example.com'}),
        // https://developer.xero.com/documentation/guides/oauth2/tenants: the organisations the token can reach.
        'GET api.xero.com/connections': () => [{id: 'e1eede29', tenantId, tenantType: 'ORGANISATION', tenantName: 'Demo Company (AU)'}],
        // https://developer.xero.com/documentation/guides/oauth2/tenants: every accounting call names xero-tenant-id.
        'GET api.xero.com/api.xro/2.0/Organisation': (req: TwinRequest) =>
          req.headers['xero-tenant-id'] === tenantId
            ? {Organisations: [{Name: 'Demo Company (AU)', CountryCode: 'AU'}]}
            : [403, {Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful'}],
      },
      {status: 401, body: {Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired: token expired'}},
    ),
  })
}

export function createBitbucketTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'bitbucket',
    hosts: ['bitbucket.org', 'api.bitbucket.org'],
    // https://developer.atlassian.com/cloud/bitbucket/oauth-2: the two URLs; `curl -X POST -u "client_id:secret"`.
    authorize: 'bitbucket.org/site/oauth2/authorize',
    token: 'bitbucket.org/site/oauth2/access_token',
    app,
    // https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/: one callback URL per
    // consumer; the twin holds redirect_uri to it exactly (stricter than "appended to the same URL").
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    clientAuth: 'basic',
    pkce: 'ignored',
    // Same page: access tokens expire in two hours; a refresh with the same refresh token.
    refresh: 'reuse',
    expiresIn: 7200,
    api: apiTable(
      // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get
      {'GET api.bitbucket.org/2.0/user': () => ({uuid: '{d301aafa-d676-4ee0-88be-962be7417567}', account_id: '557058:c0b72ad0', username: 'evzijst', display_name: 'Erik van Zijst'})},
      {status: 401, body: {type: 'error', error: {message: 'Access token expired.'}}},
    ),
  })
}

export function createFigmaTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'figma',
    hosts: ['www.figma.com', 'api.figma.com'],
    // https://developers.figma.com/docs/rest-api/authentication/: authorize at www.figma.com/oauth, exchange at
    // api.figma.com/v1/oauth/token (moved there in 2025: https://community.auth0.com/t/figma-tokenurl-migration/182728),
    // refresh at /v1/oauth/refresh, which answers only a new access token (https://arcticjs.dev/providers/figma).
    authorize: 'www.figma.com/oauth',
    token: 'api.figma.com/v1/oauth/token',
    refreshAt: 'api.figma.com/v1/oauth/refresh',
    app,
    // The redirect_uri must match the app's callback exactly.
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    clientAuth: 'post',
    pkce: 'ignored',
    refresh: 'reuse',
    expiresIn: 7776000,
    tokenExtras: {user_id: '1234567890'},
    api: apiTable(
      // https://developers.figma.com/docs/rest-api/users-endpoints/#get-me-endpoint
      {'GET api.figma.com/v1/me': () => ({id: '1234567890', handle: 'Ada', email: 'ada@example.com', img_url: 'https://x'})},
      // What an expired or revoked OAuth token gets is not documented (the errors list names 403 for a bad
      // personal token); the twin answers 401 (RFC 6750 §3.1), the status that makes oauthctl refresh. Unverified.
      {status: 401, body: {status: 401, err: 'Invalid token'}},
    ),
  })
}

export function createAsanaTwin(app: {clientId: string; clientSecret: string}, port: number): StandardTwin {
  const me = {gid: '12345', name: 'Greg Sanchez', email: 'gsanchez@example.com', resource_type: 'user'}
  return createStandardTwin({
    name: 'asana',
    hosts: ['app.asana.com'],
    // https://developers.asana.com/docs/oauth (quick reference): the three endpoints.
    authorize: 'app.asana.com/-/oauth_authorize',
    token: 'app.asana.com/-/oauth_token',
    revoke: 'app.asana.com/-/oauth_revoke',
    app,
    // Same page: redirect_uri must match one of the app's redirect URLs.
    redirect: {uri: `http://localhost:${port}/callback`},
    // Same page: client_id and client_secret in the form body; PKCE (code_challenge S256) supported.
    clientAuth: 'post',
    pkce: 'optional',
    // Same page: refresh tokens do not expire; a refresh answers a new access token.
    refresh: 'reuse',
    tokenExtras: {data: {id: 12345, gid: '12345', name: me.name, email: me.email}},
    api: apiTable(
      // https://developers.asana.com/reference/getuser: {"data": {...}}
      {'GET app.asana.com/api/1.0/users/me': () => ({data: me})},
      {status: 401, body: {errors: [{message: 'Not Authorized'}]}},
    ),
  })
}
