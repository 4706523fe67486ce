import type {ErrorsInOkShape, ProviderPreset} from './preset.js'

/**
 * Presets of APIs that still speak OAuth 1.0a (RFC 5849): three-legged login, every request signed. The
 * consumer key is `--client-id`, the consumer secret `--client-secret` (kept in the credential store).
 * Facts from each provider's documentation, cited per preset. Garmin Connect is left out: its OAuth 1.0a
 * endpoints are only documented to members of its developer program, which has moved to OAuth 2.0.
 */

/** Fields every OAuth 1.0a preset shares: no PKCE, no refresh, a loopback callback on any port unless said. */
const oauth1Defaults = {
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: false,
  pagination: 'none',
  pkce: 'off',
} as const satisfies Partial<ProviderPreset>

/** The sandbox's OAuth 1.0a endpoint set (src/sandbox/oauth1.ts), on the same issuer as `sandbox`. */
export function sandboxOAuth1Preset(issuer: string): ProviderPreset {
  return {
    ...oauth1Defaults,
    name: 'sandbox-1a',
    displayName: 'oauthctl sandbox (OAuth 1.0a)',
    authorizationEndpoint: `${issuer}/oauth1/authorize`,
    tokenEndpoint: `${issuer}/oauth1/access_token`,
    oauth1: {
      requestTokenUrl: `${issuer}/oauth1/request_token`,
      authorizeUrl: `${issuer}/oauth1/authorize`,
      accessTokenUrl: `${issuer}/oauth1/access_token`,
      signatureMethod: 'HMAC-SHA1',
      revokeUrl: `${issuer}/oauth1/revoke`,
    },
    apiBase: `${issuer}/oauth1/api`,
    apiOrigins: [new URL(issuer).origin],
    meEndpoint: '/me',
    defaultScopes: [],
    // The demo consumer has an empty secret, so nothing needs registering.
    clientId: 'oauthctl-oauth1',
    clientSecretRequired: false,
    checked: {date: '2026-12-03', source: 'src/sandbox/oauth1.ts (the embedded server)'},
  }
}

export const trelloPreset: ProviderPreset = {
  ...oauth1Defaults,
  name: 'trello',
  displayName: 'Trello',
  authorizationEndpoint: 'https://trello.com/1/OAuthAuthorizeToken',
  tokenEndpoint: 'https://trello.com/1/OAuthGetAccessToken',
  oauth1: {
    requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
    authorizeUrl: 'https://trello.com/1/OAuthAuthorizeToken',
    accessTokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
    signatureMethod: 'HMAC-SHA1',
  },
  apiBase: 'https://api.trello.com/1',
  apiOrigins: ['https://api.trello.com'],
  meEndpoint: '/members/me',
  // Trello's authorize page takes scope (read,write,account), expiration and the app name as parameters.
  defaultScopes: ['read'],
  scopeSeparator: ',',
  scopeParameter: 'scope',
  authorizeParams: {name: 'oauthctl', expiration: '30days'},
  consoleUrl: 'https://trello.com/power-ups/admin',
  notes: ['The API key of your Power-Up is the consumer key (--client-id), its secret the consumer secret (--client-secret).', 'Tokens last 30 days (expiration=30days); set authorizeParams.expiration to "never" in your config for longer.'],
  docsUrl: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/',
  checked: {date: '2026-12-03', source: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/ ("Using Basic OAuth")'},
}

/**
 * Flickr answers a failed call with HTTP 200 and `{"stat": "fail", "code": 98, "message": "Invalid auth token"}`
 * (with `format=json&nojsoncallback=1`); code 98 is "Login failed / Invalid auth token".
 * @see https://www.flickr.com/services/api/response.json.html
 * @see https://www.flickr.com/services/api/flickr.test.login.html (error codes 95-116)
 */
export const FLICKR_ERRORS_IN_OK: ErrorsInOkShape = {flag: 'stat', failure: 'fail', error: ['code', 'message'], tokenErrors: ['98']}

export const flickrPreset: ProviderPreset = {
  ...oauth1Defaults,
  name: 'flickr',
  displayName: 'Flickr',
  authorizationEndpoint: 'https://www.flickr.com/services/oauth/authorize',
  tokenEndpoint: 'https://www.flickr.com/services/oauth/access_token',
  oauth1: {
    requestTokenUrl: 'https://www.flickr.com/services/oauth/request_token',
    authorizeUrl: 'https://www.flickr.com/services/oauth/authorize',
    accessTokenUrl: 'https://www.flickr.com/services/oauth/access_token',
    signatureMethod: 'HMAC-SHA1',
  },
  apiBase: 'https://api.flickr.com/services/rest',
  apiOrigins: ['https://api.flickr.com', 'https://up.flickr.com'],
  // The access-token answer names the user (user_nsid, username); this checks the token.
  meEndpoint: '/?method=flickr.test.login&format=json&nojsoncallback=1',
  quirks: {apiErrorsAsOk: FLICKR_ERRORS_IN_OK},
  defaultScopes: ['read'],
  scopeParameter: 'perms',
  consoleUrl: 'https://www.flickr.com/services/apps/create/',
  notes: ['Permissions (perms) are one of read, write or delete: pass one --scope.', 'API methods are query parameters: oauthctl get "/?method=flickr.people.getPhotos&user_id=me&format=json&nojsoncallback=1".'],
  docsUrl: 'https://www.flickr.com/services/api/auth.oauth.html',
  checked: {date: '2026-12-03', source: 'https://www.flickr.com/services/api/auth.oauth.html'},
}

export const tumblrPreset: ProviderPreset = {
  ...oauth1Defaults,
  name: 'tumblr',
  displayName: 'Tumblr',
  authorizationEndpoint: 'https://www.tumblr.com/oauth/authorize',
  tokenEndpoint: 'https://www.tumblr.com/oauth/access_token',
  oauth1: {
    requestTokenUrl: 'https://www.tumblr.com/oauth/request_token',
    authorizeUrl: 'https://www.tumblr.com/oauth/authorize',
    accessTokenUrl: 'https://www.tumblr.com/oauth/access_token',
    signatureMethod: 'HMAC-SHA1',
  },
  apiBase: 'https://api.tumblr.com/v2',
  apiOrigins: ['https://api.tumblr.com'],
  meEndpoint: '/user/info',
  quirks: {identityPath: 'response.user'},
  defaultScopes: [],
  consoleUrl: 'https://www.tumblr.com/oauth/apps',
  notes: ['Tumblr also offers OAuth 2.0; this preset is its OAuth 1.0a API access (the same v2 API).'],
  docsUrl: 'https://www.tumblr.com/docs/en/api/v2#authentication',
  checked: {date: '2026-12-03', source: 'https://www.tumblr.com/docs/en/api/v2 ("Authentication": OAuth 1.0a endpoints)'},
}

export const discogsPreset: ProviderPreset = {
  ...oauth1Defaults,
  name: 'discogs',
  displayName: 'Discogs',
  authorizationEndpoint: 'https://www.discogs.com/oauth/authorize',
  tokenEndpoint: 'https://api.discogs.com/oauth/access_token',
  oauth1: {
    requestTokenUrl: 'https://api.discogs.com/oauth/request_token',
    authorizeUrl: 'https://www.discogs.com/oauth/authorize',
    accessTokenUrl: 'https://api.discogs.com/oauth/access_token',
    // Discogs' examples sign with PLAINTEXT (over HTTPS only).
    signatureMethod: 'PLAINTEXT',
  },
  apiBase: 'https://api.discogs.com',
  apiOrigins: ['https://api.discogs.com'],
  meEndpoint: '/oauth/identity',
  defaultScopes: [],
  pagination: 'link-header',
  consoleUrl: 'https://www.discogs.com/settings/developers',
  // Requests without a distinctive User-Agent are refused.
  quirks: {requiresUserAgent: true},
  docsUrl: 'https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow',
  checked: {date: '2026-12-03', source: 'https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow'},
}

export const xOAuth1Preset: ProviderPreset = {
  ...oauth1Defaults,
  name: 'x-oauth1',
  displayName: 'X (OAuth 1.0a user context)',
  authorizationEndpoint: 'https://api.x.com/oauth/authorize',
  tokenEndpoint: 'https://api.x.com/oauth/access_token',
  oauth1: {
    requestTokenUrl: 'https://api.x.com/oauth/request_token',
    authorizeUrl: 'https://api.x.com/oauth/authorize',
    accessTokenUrl: 'https://api.x.com/oauth/access_token',
    signatureMethod: 'HMAC-SHA1',
    revokeUrl: 'https://api.x.com/1.1/oauth/invalidate_token',
  },
  apiBase: 'https://api.x.com',
  apiOrigins: ['https://api.x.com', 'https://api.twitter.com', 'https://upload.twitter.com'],
  // The access-token answer names the user (user_id, screen_name); v1.1 is the user-context API.
  meEndpoint: '/1.1/account/verify_credentials.json',
  defaultScopes: [],
  // Callback URLs must be registered exactly: register http://127.0.0.1:8085/callback.
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: 8085, path: '/callback'},
  consoleUrl: 'https://developer.x.com/en/portal/dashboard',
  notes: ['Use this preset for v1.1 endpoints and media upload that need OAuth 1.0a; the `x` preset is OAuth 2.0.'],
  docsUrl: 'https://docs.x.com/fundamentals/authentication/api-reference',
  checked: {date: '2026-12-03', source: 'https://docs.x.com/fundamentals/authentication/api-reference (POST oauth/request_token, GET oauth/authorize, POST oauth/access_token, POST oauth/invalidate_token)'},
}

/** The OAuth 1.0a presets of real services. */
export const oauth1Presets: readonly ProviderPreset[] = [trelloPreset, flickrPreset, tumblrPreset, discogsPreset, xOAuth1Preset]
