import {createStandardTwin, type StandardTwin} from '../standard-twin.js'
import {apiTable} from './api-table.js'

/**
 * Twins of the presets whose OAuth side is close to RFC 6749. Every rule names its source; the provider
 * audit (shared docs/provider-audit.md) has the wider context. Redirect ports: the fixed-port presets are
 * registered here on a test port that the test passes with --port (the same exact-match rule, without
 * colliding with other test files).
 */

/** GitLab.com, or a self-managed GitLab on `host` (the preset's `--host`). */
export function createGitlabTwin(app: {clientId: string; clientSecret?: string}, host = 'gitlab.com'): StandardTwin {
  return createStandardTwin({
    name: 'gitlab',
    hosts: [host],
    authorize: `${host}/oauth/authorize`,
    token: `${host}/oauth/token`,
    revoke: `${host}/oauth/revoke`,
    // https://docs.gitlab.com/api/oauth2/#device-authorization-grant-flow
    device: `${host}/oauth/authorize_device`,
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
    idTokenIssuer: `https://${host}`,
    api: apiTable(
      {
        // https://docs.gitlab.com/api/users/#for-normal-users-1
        [`GET ${host}/api/v4/user`]: () => ({id: 4242, username: 'tanuki', name: 'Tanuki Fox', email: 'tanuki@example.com'}),
        [`GET ${host}/oauth/userinfo`]: () => ({sub: '4242', name: 'Tanuki Fox', nickname: 'tanuki', email: 'tanuki@example.com'}),
        // https://docs.gitlab.com/api/rest/#pagination-link-header
        [`GET ${host}/api/v4/projects`]: (req) => {
          const page = Number(req.url.searchParams.get('page') ?? '1')
          return [200, [{id: page}], page < 2 ? {link: `<https://${host}/api/v4/projects?page=2>; rel="next"`} : {}]
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
    // Same page "Refresh token exchange": a new refresh token comes back (whether the old one dies is not
    // documented); 7-day access tokens.
    refresh: 'renew',
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

export * from './more-standard-presets.js'
