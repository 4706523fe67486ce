import type {ProviderPreset} from './preset.js'
import {appPresets} from './presets-apps.js'
import {identityPresets} from './presets-identity.js'
import {oauth1Presets, sandboxOAuth1Preset} from './presets-oauth1.js'

/**
 * Built-in presets. Facts come from each provider's documentation (see shared docs/providers.md); every
 * value can be overridden per user in the config. Functions of the environment only where a preset
 * really depends on it (the sandbox issuer).
 */

/** Default issuer of `oauthctl sandbox`. */
export const DEFAULT_SANDBOX_ISSUER = 'http://127.0.0.1:9000'

/**
 * The embedded oidc-provider sandbox. Its endpoint paths are oidc-provider's defaults
 * (see src/sandbox/).
 */
export function sandboxPreset(env: NodeJS.ProcessEnv = process.env): ProviderPreset {
  const issuer = (env.OAUTHCTL_SANDBOX_ISSUER || DEFAULT_SANDBOX_ISSUER).replace(/\/+$/, '')
  return {
    name: 'sandbox',
    displayName: 'oauthctl sandbox',
    issuer,
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/token/revocation`,
    userinfoEndpoint: `${issuer}/me`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    deviceAuthorizationEndpoint: `${issuer}/device/auth`,
    registrationEndpoint: `${issuer}/reg`,
    jwksUri: `${issuer}/jwks`,
    idTokenSigningAlg: 'ES256',
    issParameterSupported: true,
    parEndpoint: `${issuer}/request`,
    jarSupported: true,
    jarmSupported: true,
    apiBase: `${issuer}/api`,
    apiOrigins: [new URL(issuer).origin],
    meEndpoint: '/v2/me',
    defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
    scopeSeparator: ' ',
    clientAuth: 'none',
    clientId: 'oauthctl',
    clientSecretRequired: false,
    loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
    rotatesRefreshTokens: true,
    pagination: 'link-header',
    supportsDeviceFlow: true,
    checked: {date: '2026-12-03', source: 'src/sandbox (oidc-provider, the embedded server)'},
  }
}

export const linkedinPreset: ProviderPreset = {
  name: 'linkedin',
  displayName: 'LinkedIn',
  issuer: 'https://www.linkedin.com/oauth',
  authorizationEndpoint: 'https://www.linkedin.com/oauth/v2/authorization',
  tokenEndpoint: 'https://www.linkedin.com/oauth/v2/accessToken',
  introspectionEndpoint: 'https://www.linkedin.com/oauth/v2/introspectToken',
  userinfoEndpoint: 'https://api.linkedin.com/v2/userinfo',
  jwksUri: 'https://www.linkedin.com/oauth/openid/jwks',
  apiBase: 'https://api.linkedin.com',
  apiOrigins: ['https://api.linkedin.com'],
  meEndpoint: '/v2/userinfo',
  defaultScopes: ['openid', 'profile', 'email'],
  scopeSeparator: ' ',
  // Standard (non-native) LinkedIn apps need the secret, sent in the form body, and an exact redirect URI.
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://www.linkedin.com/developers/apps',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: 8085, path: '/callback'},
  rotatesRefreshTokens: false,
  pagination: 'none',
  // Standard apps answer a token request carrying code_verifier with 401 invalid_client
  // (https://github.com/UsefulSoftwareCo/executor/issues/2087, https://github.com/teamhanko/hanko/pull/2405);
  // PKCE is only for apps LinkedIn enabled for the native flow (login --pkce).
  pkce: 'off',
  // Versioned /rest APIs require LinkedIn-Version (https://learn.microsoft.com/linkedin/marketing/versioning);
  // Rest.li 2.0 is chosen by header (https://learn.microsoft.com/linkedin/shared/api-guide/concepts/protocol-version).
  apiHeaders: {'LinkedIn-Version': '202603', 'X-Restli-Protocol-Version': '2.0.0'},
  errorHints: [
    {
      // https://github.com/linkedin-developers/linkedin-api-js-client/issues/35
      match: 'me.GET.NO_VERSION',
      hint: 'With the OpenID Connect scopes (openid profile email) use `oauthctl get /v2/userinfo`; /v2/me needs the r_liteprofile scope (login --scope r_liteprofile).',
    },
  ],
  notes: [
    'Standard apps must not get PKCE (LinkedIn answers 401 invalid_client): it is off; apps LinkedIn enabled for the native PKCE flow use login --pkce.',
    'Apps LinkedIn enabled for native PKCE accept http://127.0.0.1 on any port; standard apps need the exact registered URL (use --port).',
    'Refresh tokens only for approved partners: access 60 days, refresh 365 days, not rotated.',
  ],
  docsUrl: 'https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow',
  checked: {date: '2026-12-03', source: 'https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow'},
}

export const githubPreset: ProviderPreset = {
  name: 'github',
  displayName: 'GitHub',
  // GitHub is not an OpenID provider; this is only an identifier for the protocol engine.
  issuer: 'https://github.com/login/oauth',
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
  apiBase: 'https://api.github.com',
  apiOrigins: ['https://api.github.com', 'https://uploads.github.com'],
  meEndpoint: '/user',
  defaultScopes: ['read:user', 'user:email'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://github.com/settings/developers',
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'link-header',
  supportsDeviceFlow: true,
  revocationApi: {style: 'application-token', url: 'https://api.github.com/applications/{client_id}/token'},
  quirks: {tokenErrorsAsOk: true},
  // PKCE S256 is supported, not required (https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication).
  pkce: 'optional',
  // https://docs.github.com/rest/about-the-rest-api/api-versions and /rest/using-the-rest-api/getting-started-with-the-rest-api#media-types
  apiHeaders: {Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28'},
  // https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation (`x-access-token:TOKEN`)
  passwordLogin: {username: 'x-access-token', gitHost: 'github.com'},
  notes: [
    'Refresh tokens exist only for GitHub Apps with expiring user tokens (8 h access, 6 months refresh, rotating).',
    'Revocation is DELETE https://api.github.com/applications/{client_id}/token with Basic auth (not RFC 7009); logout uses it when the client secret is known.',
  ],
  docsUrl: 'https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
  checked: {date: '2026-12-03', source: 'https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps'},
}

export const googlePreset: ProviderPreset = {
  name: 'google',
  displayName: 'Google',
  issuer: 'https://accounts.google.com',
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
  userinfoEndpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
  deviceAuthorizationEndpoint: 'https://oauth2.googleapis.com/device/code',
  jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
  apiBase: 'https://www.googleapis.com',
  apiOrigins: ['https://www.googleapis.com', 'https://*.googleapis.com'],
  meEndpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
  defaultScopes: ['openid', 'email', 'profile'],
  scopeSeparator: ' ',
  // Desktop clients still send their (non-confidential) secret.
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://console.cloud.google.com/apis/credentials',
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  authorizeParams: {access_type: 'offline', prompt: 'consent'},
  rotatesRefreshTokens: false,
  pagination: 'next-page-token',
  supportsDeviceFlow: true,
  pkce: 'optional',
  notes: [
    'Each Google API has its own host under *.googleapis.com; pass absolute URLs to `oauthctl get`.',
    'The device flow needs a separate "TVs and Limited Input devices" client and allows only a few scopes; Google recommends the loopback flow for CLIs.',
  ],
  docsUrl: 'https://developers.google.com/identity/protocols/oauth2/native-app',
  checked: {date: '2026-12-03', source: 'https://developers.google.com/identity/protocols/oauth2/native-app'},
}

/** Port suggested for providers that need one exact, registered redirect URI (`--port` overrides). */
export const DEFAULT_FIXED_PORT = 8085

/** A DNS host name with an optional port: what `--host` and `--login-host` accept. */
const HOST_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\\d{1,5})?$'

export const microsoftPreset: ProviderPreset = {
  name: 'microsoft',
  displayName: 'Microsoft (Entra ID)',
  issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
  authorizationEndpoint: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
  tokenEndpoint: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
  deviceAuthorizationEndpoint: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode',
  userinfoEndpoint: 'https://graph.microsoft.com/oidc/userinfo',
  jwksUri: 'https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys',
  apiBase: 'https://graph.microsoft.com/v1.0',
  apiOrigins: ['https://graph.microsoft.com'],
  meEndpoint: '/me',
  // No `openid`: with the `common` tenant the ID token's `iss` names the user's tenant (see quirks).
  defaultScopes: ['User.Read', 'offline_access'],
  scopeSeparator: ' ',
  // "Mobile and desktop" apps are public clients and must not send any client_secret.
  clientAuth: 'none',
  clientSecretRequired: false,
  consoleUrl: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
  // The portal rejects 127.0.0.1; the port of a localhost redirect URI is ignored.
  loopback: {host: 'localhost', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'odata-next-link',
  supportsDeviceFlow: true,
  quirks: {multiTenantIssuer: true},
  // Azure Repos takes a Microsoft identity OAuth token as the git password (Git Credential Manager,
  // docs/azrepos-users-and-tokens.md); the token needs the Azure DevOps scope, the user name is not checked.
  passwordLogin: {username: 'oauthctl', gitHost: 'dev.azure.com'},
  errorHints: [
    {
      // https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/confidential-client-application-authentication-error-aadsts7000218
      match: 'AADSTS7000218',
      hint: 'In the app registration, Authentication > Advanced settings: set "Allow public client flows" to Yes, then run the login again.',
    },
    {
      // https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS700025)
      match: 'AADSTS700025',
      hint: 'The app is a public client ("Mobile and desktop"): run the login without --client-secret (and forget a remembered one with OAUTHCTL_CLIENT_SECRET unset).',
    },
  ],
  options: {
    tenant: {
      flag: 'tenant',
      description: 'Directory (tenant) id or domain, or common / organizations / consumers.',
      default: 'common',
      pattern: '^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$',
    },
  },
  notes: [
    'Register a "Mobile and desktop applications" platform with the redirect URI below; offline_access is needed for a refresh token.',
    'For login --device set Authentication > "Allow public client flows" to Yes (otherwise AADSTS7000218).',
    'No RFC 7009 revocation endpoint: logout only forgets the tokens.',
  ],
  docsUrl: 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow',
  checked: {date: '2026-12-03', source: 'https://learn.microsoft.com/entra/identity-platform/reply-url'},
}

export const gitlabPreset: ProviderPreset = {
  name: 'gitlab',
  displayName: 'GitLab',
  issuer: 'https://{host}',
  authorizationEndpoint: 'https://{host}/oauth/authorize',
  tokenEndpoint: 'https://{host}/oauth/token',
  revocationEndpoint: 'https://{host}/oauth/revoke',
  userinfoEndpoint: 'https://{host}/oauth/userinfo',
  deviceAuthorizationEndpoint: 'https://{host}/oauth/authorize_device',
  jwksUri: 'https://{host}/oauth/discovery/keys',
  apiBase: 'https://{host}/api/v4',
  apiOrigins: ['https://{host}'],
  meEndpoint: '/user',
  defaultScopes: ['openid', 'profile', 'email', 'read_user'],
  scopeSeparator: ' ',
  // A non-confidential application needs no secret; a confidential one sends it with Basic.
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://{host}/-/user_settings/applications',
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'link-header',
  supportsDeviceFlow: true,
  options: {
    host: {flag: 'host', description: 'Host of a self-managed GitLab instance.', default: 'gitlab.com', pattern: HOST_PATTERN},
  },
  // https://docs.gitlab.com/api/oauth2/ ("git clone https://oauth2:<token>@gitlab.example.com/...")
  passwordLogin: {username: 'oauth2', gitHost: '{host}'},
  notes: ['Create the application with "Confidential" unchecked to log in without a client secret; access tokens last 2 h.'],
  docsUrl: 'https://docs.gitlab.com/api/oauth2/',
  checked: {date: '2026-12-03', source: 'https://docs.gitlab.com/api/oauth2/'},
}

export const slackPreset: ProviderPreset = {
  name: 'slack',
  displayName: 'Slack',
  authorizationEndpoint: 'https://slack.com/oauth/v2/authorize',
  tokenEndpoint: 'https://slack.com/api/oauth.v2.access',
  apiBase: 'https://slack.com/api',
  apiOrigins: ['https://slack.com'],
  meEndpoint: '/auth.test',
  defaultScopes: ['users:read'],
  scopeSeparator: ',',
  // User-token scopes go in `user_scope`; `scope` is for the bot token.
  scopeParameter: 'user_scope',
  // A PKCE-enabled app (needed for a localhost redirect) is a public client: the secret only when given.
  clientAuth: 'client_secret_post',
  clientSecretRequired: false,
  consoleUrl: 'https://api.slack.com/apps',
  loopback: {host: 'localhost', anyPort: false, defaultPort: DEFAULT_FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'next-cursor',
  quirks: {tokenErrorsAsOk: true, tokenResponsePath: 'authed_user', nonStandardTokenType: true, apiErrorsAsOk: true},
  notes: [
    'A http://localhost redirect works only once PKCE is enabled in the app settings (OAuth & Permissions; one-way: the app becomes a public client, user scopes only, refresh tokens last 30 days): https://docs.slack.dev/authentication/using-pkce',
    'Refresh tokens only when token rotation is turned on for the app.',
    'Revocation is the auth.revoke API method (not RFC 7009): logout only forgets the tokens.',
  ],
  docsUrl: 'https://api.slack.com/authentication/oauth-v2',
  checked: {date: '2026-12-03', source: 'https://docs.slack.dev/authentication/using-pkce'},
}

export const spotifyPreset: ProviderPreset = {
  name: 'spotify',
  displayName: 'Spotify',
  authorizationEndpoint: 'https://accounts.spotify.com/authorize',
  tokenEndpoint: 'https://accounts.spotify.com/api/token',
  apiBase: 'https://api.spotify.com/v1',
  apiOrigins: ['https://api.spotify.com'],
  meEndpoint: '/me',
  defaultScopes: ['user-read-private', 'user-read-email'],
  scopeSeparator: ' ',
  clientAuth: 'none',
  clientSecretRequired: false,
  consoleUrl: 'https://developer.spotify.com/dashboard',
  // An IP literal only: Spotify rejects `localhost` redirect URIs.
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'next-url',
  docsUrl: 'https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow',
  checked: {date: '2026-12-03', source: 'https://developer.spotify.com/documentation/web-api/concepts/redirect_uri'},
}

export const dropboxPreset: ProviderPreset = {
  name: 'dropbox',
  displayName: 'Dropbox',
  authorizationEndpoint: 'https://www.dropbox.com/oauth2/authorize',
  tokenEndpoint: 'https://api.dropboxapi.com/oauth2/token',
  apiBase: 'https://api.dropboxapi.com/2',
  apiOrigins: ['https://api.dropboxapi.com', 'https://content.dropboxapi.com'],
  defaultScopes: ['account_info.read'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://www.dropbox.com/developers/apps',
  loopback: {host: 'localhost', anyPort: false, defaultPort: 53682, path: '/callback'},
  // Without it Dropbox issues no refresh token.
  authorizeParams: {token_access_type: 'offline'},
  rotatesRefreshTokens: false,
  pagination: 'cursor-has-more',
  notes: [
    'The API is RPC over POST: "who am I" is POST /users/get_current_account.',
    'Revocation is POST /2/auth/token/revoke with the bearer token (not RFC 7009): logout only forgets the tokens.',
  ],
  docsUrl: 'https://developers.dropbox.com/oauth-guide',
  checked: {date: '2026-12-03', source: 'https://developers.dropbox.com/oauth-guide'},
}

export const discordPreset: ProviderPreset = {
  name: 'discord',
  displayName: 'Discord',
  issuer: 'https://discord.com',
  authorizationEndpoint: 'https://discord.com/oauth2/authorize',
  tokenEndpoint: 'https://discord.com/api/oauth2/token',
  revocationEndpoint: 'https://discord.com/api/oauth2/token/revoke',
  apiBase: 'https://discord.com/api/v10',
  apiOrigins: ['https://discord.com'],
  meEndpoint: '/users/@me',
  defaultScopes: ['identify', 'email'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://discord.com/developers/applications',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: DEFAULT_FIXED_PORT, path: '/callback'},
  // A refresh returns a new refresh token (https://discord.com/developers/docs/topics/oauth2); treat it as single-use.
  rotatesRefreshTokens: true,
  pagination: 'none',
  notes: ['RFC 8414 metadata at https://discord.com/.well-known/oauth-authorization-server.'],
  docsUrl: 'https://discord.com/developers/docs/topics/oauth2',
  checked: {date: '2026-12-03', source: 'https://discord.com/developers/docs/topics/oauth2'},
}

export const xPreset: ProviderPreset = {
  name: 'x',
  displayName: 'X (Twitter)',
  authorizationEndpoint: 'https://x.com/i/oauth2/authorize',
  tokenEndpoint: 'https://api.x.com/2/oauth2/token',
  revocationEndpoint: 'https://api.x.com/2/oauth2/revoke',
  apiBase: 'https://api.x.com/2',
  apiOrigins: ['https://api.x.com', 'https://api.twitter.com'],
  meEndpoint: '/users/me',
  // offline.access: without it X issues no refresh token.
  defaultScopes: ['tweet.read', 'users.read', 'offline.access'],
  scopeSeparator: ' ',
  // PKCE is required (always sent); confidential apps must authenticate with Basic.
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://developer.x.com/en/portal/dashboard',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: DEFAULT_FIXED_PORT, path: '/callback'},
  // The refresh token changes on every refresh and the old one stops working (https://github.com/r-lib/httr2/issues/197).
  rotatesRefreshTokens: true,
  pagination: 'meta-next-token',
  // GET /2/users/me answers {"data": {"id", "name", "username"}} (https://docs.x.com/x-api/users/user-lookup-me).
  quirks: {identityPath: 'data'},
  docsUrl: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code',
  checked: {date: '2026-12-03', source: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code'},
}

export const stravaPreset: ProviderPreset = {
  name: 'strava',
  displayName: 'Strava',
  authorizationEndpoint: 'https://www.strava.com/oauth/authorize',
  tokenEndpoint: 'https://www.strava.com/oauth/token',
  apiBase: 'https://www.strava.com/api/v3',
  apiOrigins: ['https://www.strava.com'],
  meEndpoint: '/athlete',
  defaultScopes: ['read', 'activity:read'],
  scopeSeparator: ',',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://www.strava.com/settings/api',
  // localhost and 127.0.0.1 are whitelisted callback domains, any port.
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  authorizeParams: {approval_prompt: 'auto'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  // Not documented (https://developers.strava.com/docs/authentication/): a server may reject it, as LinkedIn does.
  pkce: 'off',
  notes: [
    'No PKCE (not documented by Strava, so not sent); the client secret goes in the form body.',
    'Revocation is POST /oauth/deauthorize with the access token (not RFC 7009): logout only forgets the tokens.',
  ],
  docsUrl: 'https://developers.strava.com/docs/authentication/',
  checked: {date: '2026-12-03', source: 'https://developers.strava.com/docs/authentication/'},
}

export const zoomPreset: ProviderPreset = {
  name: 'zoom',
  displayName: 'Zoom',
  authorizationEndpoint: 'https://zoom.us/oauth/authorize',
  tokenEndpoint: 'https://zoom.us/oauth/token',
  revocationEndpoint: 'https://zoom.us/oauth/revoke',
  apiBase: 'https://api.zoom.us/v2',
  apiOrigins: ['https://api.zoom.us'],
  meEndpoint: '/users/me',
  // No scope parameter: Zoom grants the scopes configured on the app.
  defaultScopes: [],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://marketplace.zoom.us/develop/create',
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'next-page-token-snake',
  notes: [
    'To log in without a secret, turn on "Use Public Client OAuth" and pass its separate public client id (no secret is sent): https://developers.zoom.us/docs/integrations/PKCE',
  ],
  docsUrl: 'https://developers.zoom.us/docs/integrations/oauth/',
  checked: {date: '2026-12-03', source: 'https://developers.zoom.us/changelog/platform/pkce-loopback'},
}

export const salesforcePreset: ProviderPreset = {
  name: 'salesforce',
  displayName: 'Salesforce',
  issuer: 'https://{loginHost}',
  authorizationEndpoint: 'https://{loginHost}/services/oauth2/authorize',
  tokenEndpoint: 'https://{loginHost}/services/oauth2/token',
  revocationEndpoint: 'https://{loginHost}/services/oauth2/revoke',
  userinfoEndpoint: 'https://{loginHost}/services/oauth2/userinfo',
  // Replaced at login by `instance_url` from the token response (see quirks).
  apiBase: 'https://{loginHost}/services/data/v62.0',
  apiOrigins: ['https://{loginHost}', 'https://*.my.salesforce.com', 'https://*.salesforce.com'],
  meEndpoint: 'https://{loginHost}/services/oauth2/userinfo',
  // refresh_token: without it Salesforce issues no refresh token.
  defaultScopes: ['api', 'refresh_token', 'id'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: false,
  consoleUrl: 'https://{loginHost}/lightning/setup/ManageExternalClientApplication/home',
  loopback: {host: 'localhost', anyPort: false, defaultPort: 1717, path: '/OauthRedirect'},
  rotatesRefreshTokens: false,
  pagination: 'none',
  quirks: {apiBaseFromTokenResponse: 'instance_url', apiBaseSuffix: '/services/data/v62.0'},
  options: {
    loginHost: {
      flag: 'login-host',
      description: 'login.salesforce.com, test.salesforce.com (sandboxes) or your My Domain host.',
      default: 'login.salesforce.com',
      pattern: HOST_PATTERN,
    },
  },
  notes: [
    'The API base is {instance_url}/services/data/v62.0, learned from the token response at login.',
    'New Connected Apps cannot be created since Spring \'26: create an External Client App (Setup > External Client App Manager); a public one sends no secret (omit --client-secret).',
  ],
  docsUrl: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
  checked: {date: '2026-12-03', source: 'https://developer.salesforce.com/docs/atlas.en-us.pkg2_dev.meta/pkg2_dev/secure_code_ac_eca.htm'},
}

export const atlassianPreset: ProviderPreset = {
  name: 'atlassian',
  displayName: 'Atlassian',
  authorizationEndpoint: 'https://auth.atlassian.com/authorize',
  tokenEndpoint: 'https://auth.atlassian.com/oauth/token',
  apiBase: 'https://api.atlassian.com',
  apiOrigins: ['https://api.atlassian.com'],
  meEndpoint: '/me',
  defaultScopes: ['read:me', 'offline_access'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://developer.atlassian.com/console/myapps/',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: DEFAULT_FIXED_PORT, path: '/callback'},
  authorizeParams: {audience: 'api.atlassian.com', prompt: 'consent'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  notes: [
    'Your sites (cloud ids) are listed at /oauth/token/accessible-resources; product APIs live under /ex/jira/{cloudid} and /ex/confluence/{cloudid}.',
    'No revocation endpoint: logout only forgets the tokens.',
  ],
  docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
  checked: {date: '2026-12-03', source: 'https://developer.atlassian.com/cloud/oauth/getting-started/implementing-oauth-3lo'},
}

export const redditPreset: ProviderPreset = {
  name: 'reddit',
  displayName: 'Reddit',
  authorizationEndpoint: 'https://www.reddit.com/api/v1/authorize',
  tokenEndpoint: 'https://www.reddit.com/api/v1/access_token',
  revocationEndpoint: 'https://www.reddit.com/api/v1/revoke_token',
  apiBase: 'https://oauth.reddit.com',
  apiOrigins: ['https://oauth.reddit.com'],
  meEndpoint: '/api/v1/me',
  defaultScopes: ['identity'],
  scopeSeparator: ' ',
  // Web apps: Basic with the secret; installed apps: Basic `client_id:` with an empty password (quirk).
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://www.reddit.com/prefs/apps',
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: DEFAULT_FIXED_PORT, path: '/callback'},
  // Without it the token expires after an hour and there is no refresh token.
  authorizeParams: {duration: 'permanent'},
  rotatesRefreshTokens: false,
  pagination: 'none',
  quirks: {
    requiresUserAgent: true,
    userAgent: 'cli:oauthctl:0.1.0 (+https://www.npmjs.com/package/oauthctl)',
    basicAuthWithEmptySecret: true,
    plainBasicCredentials: true,
  },
  // Not in the OAuth2 wiki: not sent.
  pkce: 'off',
  notes: ['Create an "installed app" to log in without a secret.'],
  docsUrl: 'https://github.com/reddit-archive/reddit/wiki/OAuth2',
  checked: {date: '2026-12-03', source: 'https://github.com/reddit-archive/reddit/wiki/OAuth2'},
}

export const boxPreset: ProviderPreset = {
  name: 'box',
  displayName: 'Box',
  authorizationEndpoint: 'https://account.box.com/api/oauth2/authorize',
  tokenEndpoint: 'https://api.box.com/oauth2/token',
  revocationEndpoint: 'https://api.box.com/oauth2/revoke',
  apiBase: 'https://api.box.com/2.0',
  apiOrigins: ['https://api.box.com', 'https://upload.box.com'],
  meEndpoint: '/users/me',
  // No scope parameter: Box grants the scopes configured on the app.
  defaultScopes: [],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  consoleUrl: 'https://app.box.com/developers/console',
  // "Localhost and loopback address redirect URIs will be permitted to redirect to any port"
  // (https://developer.box.com/guides/authentication/oauth2/oauth2-setup).
  loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'offset-limit',
  notes: ['Refresh tokens are single-use and last 60 days.'],
  docsUrl: 'https://developer.box.com/guides/authentication/oauth2/',
  checked: {date: '2026-12-03', source: 'https://developer.box.com/guides/authentication/oauth2/oauth2-setup'},
}

/** The environment-independent presets, in the order `providers list` shows them. */
export const staticPresets: readonly ProviderPreset[] = [
  linkedinPreset,
  githubPreset,
  googlePreset,
  microsoftPreset,
  gitlabPreset,
  slackPreset,
  spotifyPreset,
  dropboxPreset,
  discordPreset,
  xPreset,
  stravaPreset,
  zoomPreset,
  salesforcePreset,
  atlassianPreset,
  redditPreset,
  boxPreset,
  // Added presets live in their own data files (identity platforms, SaaS APIs).
  ...identityPresets,
  ...appPresets,
  ...oauth1Presets,
]

/** Names of all built-in presets (the sandbox included). */
export const BUILTIN_NAMES: readonly string[] = ['sandbox', 'sandbox-1a', ...staticPresets.map((preset) => preset.name)]

/** All built-in presets, by name. Parameterised ones still hold their `{option}` placeholders. */
export function builtinPresets(env: NodeJS.ProcessEnv = process.env): ProviderPreset[] {
  const sandbox = sandboxPreset(env)
  return [sandbox, sandboxOAuth1Preset(sandbox.issuer as string), ...staticPresets]
}
