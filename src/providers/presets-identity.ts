import type {PresetOption, ProviderPreset} from './preset.js'

/**
 * Built-in presets for identity platforms that live on the customer's own domain: Okta, Auth0, Keycloak
 * and Amazon Cognito. Each takes its host as an option (`--domain`, `--host --realm`), the same `{key}`
 * mechanism as Microsoft's `--tenant` (see options.ts). The source of each fact is written beside it.
 */

/** A DNS host name with an optional port (the same rule as GitLab's `--host`). */
export const DOMAIN_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\\d{1,5})?$'

/** Port suggested for an exact, registered loopback redirect (`--port` overrides). */
const FIXED_PORT = 8085

const domainOption = (example: string, what: string): PresetOption => ({
  flag: 'domain',
  description: what,
  default: example,
  pattern: DOMAIN_PATTERN,
})

export const oktaPreset: ProviderPreset = {
  name: 'okta',
  displayName: 'Okta',
  // The "default" custom authorization server (https://developer.okta.com/docs/concepts/auth-servers/).
  issuer: 'https://{domain}/oauth2/default',
  authorizationEndpoint: 'https://{domain}/oauth2/default/v1/authorize',
  tokenEndpoint: 'https://{domain}/oauth2/default/v1/token',
  revocationEndpoint: 'https://{domain}/oauth2/default/v1/revoke',
  introspectionEndpoint: 'https://{domain}/oauth2/default/v1/introspect',
  userinfoEndpoint: 'https://{domain}/oauth2/default/v1/userinfo',
  // https://developer.okta.com/docs/guides/device-authorization-grant/main/
  deviceAuthorizationEndpoint: 'https://{domain}/oauth2/default/v1/device/authorize',
  jwksUri: 'https://{domain}/oauth2/default/v1/keys',
  apiBase: 'https://{domain}',
  apiOrigins: ['https://{domain}'],
  meEndpoint: 'https://{domain}/oauth2/default/v1/userinfo',
  // offline_access: a refresh token needs it and the Refresh Token grant on the app.
  defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
  scopeSeparator: ' ',
  // A Native app is a public client with PKCE; a Web app sends its secret (Basic is Okta's default method).
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://{domain}/admin/apps/active',
  // Sign-in redirect URIs are matched exactly (no port wildcard documented): a fixed, registered port.
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'link-header',
  supportsDeviceFlow: true,
  pkce: 'required',
  options: {domain: domainOption('example.okta.com', 'Your Okta domain (dev-123456.okta.com or a custom domain).')},
  notes: [
    'Create an OIDC "Native Application" (public client, PKCE) with the sign-in redirect URI below and the Authorization Code and Refresh Token grants; add Device Authorization for login --device.',
    'Endpoints are those of the "default" custom authorization server (/oauth2/default); for another one add a provider with `oauthctl providers add NAME --issuer https://DOMAIN/oauth2/ID`.',
  ],
  docsUrl: 'https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/',
  checked: {date: '2026-12-03', source: 'https://developer.okta.com/docs/guides/device-authorization-grant/main/'},
}

export const auth0Preset: ProviderPreset = {
  name: 'auth0',
  displayName: 'Auth0',
  // Auth0's issuer ends with a slash (https://{domain}/.well-known/openid-configuration).
  issuer: 'https://{domain}/',
  authorizationEndpoint: 'https://{domain}/authorize',
  tokenEndpoint: 'https://{domain}/oauth/token',
  revocationEndpoint: 'https://{domain}/oauth/revoke',
  userinfoEndpoint: 'https://{domain}/userinfo',
  // https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device
  deviceAuthorizationEndpoint: 'https://{domain}/oauth/device/code',
  jwksUri: 'https://{domain}/.well-known/jwks.json',
  apiBase: 'https://{domain}',
  apiOrigins: ['https://{domain}'],
  meEndpoint: 'https://{domain}/userinfo',
  defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://manage.auth0.com/#/applications',
  // "Allowed Callback URLs" are matched exactly; http://localhost is allowed for development.
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  // An access token for your API needs `audience` (https://auth0.com/docs/get-started/applications/confidential-and-public-applications);
  // it goes in the authorize and device requests. Empty (the default) is not sent.
  authorizeParams: {audience: '{audience}'},
  deviceAuthorizationParams: {audience: '{audience}'},
  // Refresh token rotation is an application setting; treat the refresh token as single-use.
  rotatesRefreshTokens: true,
  pagination: 'none',
  supportsDeviceFlow: true,
  pkce: 'required',
  options: {
    domain: domainOption('example.us.auth0.com', 'Your Auth0 tenant domain (tenant.us.auth0.com or a custom domain).'),
    audience: {
      flag: 'audience',
      description: 'The API identifier the access token is for (sent as the audience parameter); none by default.',
      default: '',
      pattern: '^[\\x21-\\x7E]{0,512}$',
    },
  },
  notes: [
    'Create a "Native" application with the callback URL below (PKCE, no secret); enable the Device Code grant for login --device and Refresh Token rotation.',
    'Without --audience the access token is only good for /userinfo; pass your API identifier (--audience https://api.example.com) to call your API, and add its origin to apiOrigins in the config.',
  ],
  docsUrl: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce',
  checked: {date: '2026-12-03', source: 'https://auth0.com/docs/quickstart/native/device/interactive'},
}

export const keycloakPreset: ProviderPreset = {
  name: 'keycloak',
  displayName: 'Keycloak',
  issuer: 'https://{host}/realms/{realm}',
  authorizationEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/auth',
  tokenEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/token',
  revocationEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/revoke',
  introspectionEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/token/introspect',
  userinfoEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/userinfo',
  deviceAuthorizationEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/auth/device',
  jwksUri: 'https://{host}/realms/{realm}/protocol/openid-connect/certs',
  apiBase: 'https://{host}',
  apiOrigins: ['https://{host}'],
  meEndpoint: 'https://{host}/realms/{realm}/protocol/openid-connect/userinfo',
  defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
  scopeSeparator: ' ',
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://{host}/admin/master/console/#/{realm}/clients',
  // Valid redirect URIs match exactly or with a trailing `*` on the path; no port wildcard
  // (https://github.com/keycloak/keycloak/issues/39880): a fixed, registered port.
  loopback: {host: '127.0.0.1', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  rotatesRefreshTokens: true,
  pagination: 'none',
  supportsDeviceFlow: true,
  pkce: 'required',
  options: {
    host: {flag: 'host', description: 'Host of the Keycloak server (with a port when not 443).', default: 'keycloak.example.com', pattern: DOMAIN_PATTERN},
    realm: {flag: 'realm', description: 'The realm your client is in.', default: 'master', pattern: '^[A-Za-z0-9._-]{1,255}$'},
  },
  notes: [
    'Create an OpenID Connect client with "Client authentication" off (public, PKCE) and the redirect URI below; turn on "OAuth 2.0 Device Authorization Grant" for login --device.',
  ],
  docsUrl: 'https://www.keycloak.org/securing-apps/oidc-layers',
  checked: {date: '2026-12-03', source: 'https://www.keycloak.org/securing-apps/oidc-layers'},
}

export const cognitoPreset: ProviderPreset = {
  name: 'cognito',
  displayName: 'Amazon Cognito',
  // The issuer (https://cognito-idp.{region}.amazonaws.com/{poolId}) cannot be derived from the domain:
  // no issuer is assumed, so an ID token is not used (identity comes from /oauth2/userInfo).
  authorizationEndpoint: 'https://{domain}/oauth2/authorize',
  tokenEndpoint: 'https://{domain}/oauth2/token',
  revocationEndpoint: 'https://{domain}/oauth2/revoke',
  userinfoEndpoint: 'https://{domain}/oauth2/userInfo',
  apiBase: 'https://{domain}',
  apiOrigins: ['https://{domain}'],
  meEndpoint: '/oauth2/userInfo',
  defaultScopes: ['openid', 'email', 'profile'],
  scopeSeparator: ' ',
  // An app client with a secret authenticates with Basic; a public client sends none.
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  consoleUrl: 'https://console.aws.amazon.com/cognito/v2/idp/user-pools',
  // "Amazon Cognito requires HTTPS over HTTP except for http://localhost"; callback URLs match exactly
  // (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html, CallbackURLs).
  loopback: {host: 'localhost', anyPort: false, defaultPort: FIXED_PORT, path: '/callback'},
  // Refresh tokens are reused unless refresh token rotation is turned on; treat them as single-use.
  rotatesRefreshTokens: true,
  pagination: 'none',
  pkce: 'required',
  options: {domain: domainOption('example.auth.us-east-1.amazoncognito.com', 'Your user pool domain (prefix.auth.REGION.amazoncognito.com or a custom domain).')},
  notes: [
    'Create an app client (public: no secret) with the Authorization code grant and the callback URL below; http is accepted only for localhost.',
    'Cognito has no device flow; logout revokes the refresh token at /oauth2/revoke when token revocation is on (the default).',
  ],
  docsUrl: 'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html',
  checked: {date: '2026-12-03', source: 'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html'},
}

/** Identity-platform presets, in the order `providers list` shows them. */
export const identityPresets: readonly ProviderPreset[] = [oktaPreset, auth0Preset, keycloakPreset, cognitoPreset]
