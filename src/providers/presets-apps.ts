import type {ProviderPreset} from './preset.js'

/**
 * Built-in presets for SaaS APIs people ask for: Twitch, Notion, HubSpot, Xero, Bitbucket, Figma and
 * Asana. Facts are written beside the document they come from; where a document says nothing, the preset
 * takes the safer choice (no PKCE where it is not documented, a fixed registered port, refresh tokens
 * treated as single-use).
 */

/** Port suggested for an exact, registered loopback redirect (`--port` overrides). */
const FIXED_PORT = 8085

export const twitchPreset: ProviderPreset = {
  name: 'twitch',
  displayName: 'Twitch',
  issuer: 'https://id.twitch.tv/oauth2',
  authorizationEndpoint: 'https://id.twitch.tv/oauth2/authorize',
  tokenEndpoint: 'https://id.twitch.tv/oauth2/token',
  revocationEndpoint: 'https://id.twitch.tv/oauth2/revoke',
  userinfoEndpoint: 'https://id.twitch.tv/oauth2/userinfo',
  apiBase: 'https://api.twitch.tv/helix',
  apiOrigins: ['https://api.twitch.tv'],
  // GET /helix/users without parameters answers {"data": [the token's user]}.
  meEndpoint: '/users',
  defaultScopes: ['user:read:email'],
  scopeSeparator: ' ',
  // Authorization code grant: client_id and client_secret in the body
  // (https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow).
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://dev.twitch.tv/console/apps',
  // The OAuth Redirect URL must match exactly; http://localhost is accepted (same page).
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  // Not documented for Twitch: not sent.
  pkce: 'off',
  // Every Helix request carries the app's client id (https://dev.twitch.tv/docs/api/#twitch-api-request-format).
  apiHeaders: {'Client-Id': '{client_id}'},
  quirks: {identityPath: 'data.0'},
  notes: [
    'Every API call sends Client-Id with the client id you logged in with; the token response lists scopes as a JSON array (normalised).',
    'Helix pages with a `pagination.cursor` in the body: pass it back as ?after=CURSOR.',
    'Public clients (no secret) get tokens only through Twitch\'s device flow, which oauthctl does not offer for Twitch yet: use a confidential app.',
  ],
  docsUrl: 'https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/',
  checked: {date: '2026-12-03', source: 'https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/'},
}

/** https://developers.notion.com/reference/versioning (the latest version at the time of checking). */
const NOTION_VERSION = '2025-09-03'

export const notionPreset: ProviderPreset = {
  name: 'notion',
  displayName: 'Notion',
  authorizationEndpoint: 'https://api.notion.com/v1/oauth/authorize',
  tokenEndpoint: 'https://api.notion.com/v1/oauth/token',
  revocationEndpoint: 'https://api.notion.com/v1/oauth/revoke',
  introspectionEndpoint: 'https://api.notion.com/v1/oauth/introspect',
  apiBase: 'https://api.notion.com/v1',
  apiOrigins: ['https://api.notion.com'],
  meEndpoint: '/users/me',
  // No scopes: a public integration asks for its configured capabilities.
  defaultScopes: [],
  scopeSeparator: ' ',
  // https://developers.notion.com/reference/create-a-token: Basic base64(client_id:client_secret), JSON body.
  clientAuth: 'client_secret_basic',
  clientSecretRequired: true,
  consoleUrl: 'https://www.notion.so/profile/integrations',
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  authorizeParams: {owner: 'user'},
  // https://developers.notion.com/reference/refresh-a-token: a new access token and a new refresh token.
  rotatesRefreshTokens: true,
  pagination: 'none',
  // Not documented for Notion: not sent.
  pkce: 'off',
  // Every request names the API version (https://developers.notion.com/reference/versioning).
  apiHeaders: {'Notion-Version': NOTION_VERSION},
  // Client ids are UUIDs: Basic carries base64(client_id:client_secret) as is, without RFC 6749 §2.3.1's
  // form-encoding of their `-` (the reference shows the plain pair).
  quirks: {jsonTokenRequests: true, tokenRequestHeaders: {'Notion-Version': NOTION_VERSION}, plainBasicCredentials: true},
  notes: [
    'Create a public integration with the redirect URI below; if Notion refuses an http://localhost redirect, use login --paste with an https page you control.',
    'Lists page with `next_cursor` and `has_more` in the body: pass start_cursor=NEXT_CURSOR.',
  ],
  docsUrl: 'https://developers.notion.com/docs/authorization',
  checked: {date: '2026-12-03', source: 'https://developers.notion.com/reference/create-a-token'},
}

export const hubspotPreset: ProviderPreset = {
  name: 'hubspot',
  displayName: 'HubSpot',
  authorizationEndpoint: 'https://app.hubspot.com/oauth/authorize',
  // https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide: form body.
  tokenEndpoint: 'https://api.hubapi.com/oauth/v1/token',
  apiBase: 'https://api.hubapi.com',
  apiOrigins: ['https://api.hubapi.com'],
  meEndpoint: '/account-info/v3/details',
  defaultScopes: ['oauth'],
  scopeSeparator: ' ',
  // client_id and client_secret in the form body (same guide).
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://app.hubspot.com/developer',
  // "HubSpot will allow a redirect URI to be served over http ... if the host is localhost"
  // (https://developers.hubspot.com/changelog/2018-03-05-oauth2-redirect-uri-served-over-http-localhost).
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  // Not documented for HubSpot's v1 endpoints: not sent.
  pkce: 'off',
  notes: [
    'Revocation is DELETE /oauth/v1/refresh-tokens/{token} (not RFC 7009): logout only forgets the tokens.',
    'CRM lists page with `paging.next.after` in the body: pass after=VALUE.',
  ],
  docsUrl: 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide',
  checked: {date: '2026-12-03', source: 'https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide'},
}

export const xeroPreset: ProviderPreset = {
  name: 'xero',
  displayName: 'Xero',
  issuer: 'https://identity.xero.com',
  authorizationEndpoint: 'https://login.xero.com/identity/connect/authorize',
  tokenEndpoint: 'https://identity.xero.com/connect/token',
  revocationEndpoint: 'https://identity.xero.com/connect/revocation',
  userinfoEndpoint: 'https://identity.xero.com/connect/userinfo',
  jwksUri: 'https://identity.xero.com/.well-known/openid-configuration/jwks',
  apiBase: 'https://api.xero.com',
  apiOrigins: ['https://api.xero.com'],
  meEndpoint: 'https://identity.xero.com/connect/userinfo',
  // offline_access: without it no refresh token (https://developer.xero.com/documentation/guides/oauth2/auth-flow/).
  defaultScopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.settings.read'],
  scopeSeparator: ' ',
  // Web apps: Basic client_id:client_secret; "Auth code with PKCE" apps send no secret.
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://developer.xero.com/app/manage',
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  // Refresh tokens rotate and last 60 days (https://developer.xero.com/faq/oauth2).
  rotatesRefreshTokens: true,
  pagination: 'none',
  pkce: 'optional',
  notes: [
    'Create an "Auth code with PKCE" app (no secret) with the redirect URI below.',
    'Accounting calls need the organisation: list them with `oauthctl get /connections`, then pass -H "xero-tenant-id: TENANT_ID" (e.g. oauthctl get /api.xro/2.0/Organisation -H "xero-tenant-id: ...").',
  ],
  docsUrl: 'https://developer.xero.com/documentation/guides/oauth2/pkce-flow',
  checked: {date: '2026-12-03', source: 'https://developer.xero.com/faq/oauth2'},
}

export const bitbucketPreset: ProviderPreset = {
  name: 'bitbucket',
  displayName: 'Bitbucket Cloud',
  authorizationEndpoint: 'https://bitbucket.org/site/oauth2/authorize',
  tokenEndpoint: 'https://bitbucket.org/site/oauth2/access_token',
  apiBase: 'https://api.bitbucket.org/2.0',
  apiOrigins: ['https://api.bitbucket.org'],
  meEndpoint: '/user',
  // No scope parameter: the consumer's permissions apply.
  defaultScopes: [],
  scopeSeparator: ' ',
  // `curl -X POST -u "client_id:secret" .../access_token` (https://developer.atlassian.com/cloud/bitbucket/oauth-2).
  clientAuth: 'client_secret_basic',
  clientSecretRequired: true,
  consoleUrl: 'https://bitbucket.org/account/workspaces/',
  // One callback URL per consumer; redirect_uri must start with it: a fixed, registered port.
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'next-url',
  // Not documented for Bitbucket: not sent.
  pkce: 'off',
  notes: ['Add an OAuth consumer (private) in the workspace settings with the callback URL below; access tokens last 2 hours.', 'No revocation endpoint: logout only forgets the tokens.'],
  docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2',
  checked: {date: '2026-12-03', source: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2'},
}

export const figmaPreset: ProviderPreset = {
  name: 'figma',
  displayName: 'Figma',
  authorizationEndpoint: 'https://www.figma.com/oauth',
  // The token endpoint moved here in February 2025 (https://community.auth0.com/t/figma-tokenurl-migration/182728).
  tokenEndpoint: 'https://api.figma.com/v1/oauth/token',
  apiBase: 'https://api.figma.com/v1',
  apiOrigins: ['https://api.figma.com'],
  meEndpoint: '/me',
  defaultScopes: ['current_user:read', 'file_content:read'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://www.figma.com/developers/apps',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  // A refresh answers only a new access token and its lifetime (https://arcticjs.dev/providers/figma).
  rotatesRefreshTokens: false,
  pagination: 'none',
  // Not documented for Figma: not sent.
  pkce: 'off',
  // Refreshes go to their own endpoint (https://developers.figma.com/docs/rest-api/authentication/).
  quirks: {refreshEndpoint: 'https://api.figma.com/v1/oauth/refresh'},
  notes: ['Refreshes use POST https://api.figma.com/v1/oauth/refresh, which answers a new access token only.'],
  docsUrl: 'https://developers.figma.com/docs/rest-api/authentication/',
  checked: {date: '2026-12-03', source: 'https://developers.figma.com/docs/rest-api/authentication/'},
}

export const asanaPreset: ProviderPreset = {
  name: 'asana',
  displayName: 'Asana',
  // Quick reference of https://developers.asana.com/docs/oauth: authorize, token exchange and revocation.
  authorizationEndpoint: 'https://app.asana.com/-/oauth_authorize',
  tokenEndpoint: 'https://app.asana.com/-/oauth_token',
  revocationEndpoint: 'https://app.asana.com/-/oauth_revoke',
  apiBase: 'https://app.asana.com/api/1.0',
  apiOrigins: ['https://app.asana.com'],
  meEndpoint: '/users/me',
  // No scope parameter: the app's configured permissions apply.
  defaultScopes: [],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://app.asana.com/0/my-apps',
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  pkce: 'optional',
  // Every answer wraps the resource in "data" (https://developers.asana.com/reference/getuser).
  quirks: {identityPath: 'data'},
  notes: ['Lists page with `next_page.offset` in the body: pass offset=VALUE.'],
  docsUrl: 'https://developers.asana.com/docs/oauth',
  checked: {date: '2026-12-03', source: 'https://developers.asana.com/docs/oauth'},
}

/** SaaS API presets, in the order `providers list` shows them. */
export const appPresets: readonly ProviderPreset[] = [twitchPreset, notionPreset, hubspotPreset, xeroPreset, bitbucketPreset, figmaPreset, asanaPreset]
