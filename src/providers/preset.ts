/**
 * A provider preset is data: everything the flows need to talk to one authorization server and its API.
 * Provider differences live here, never as `if (provider === 'github')` branches in the flows.
 */

/**
 * How the client authenticates at the token endpoint (RFC 6749 §2.3, OIDC Core §9): `private_key_jwt` and
 * `client_secret_jwt` send a signed assertion (RFC 7523 §2.2).
 */
export type ClientAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'client_secret_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth'

/** Every {@link ClientAuthMethod}, for validating configuration. */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'client_secret_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
]

/** The mutual-TLS client authentication methods (RFC 8705 §2.1, §2.2). */
export function isTlsClientAuth(method: string | undefined): method is 'tls_client_auth' | 'self_signed_tls_client_auth' {
  return method === 'tls_client_auth' || method === 'self_signed_tls_client_auth'
}

/** How an API says where the next page is. */
export type PaginationStyle =
  | 'link-header' // RFC 8288 `Link: <...>; rel="next"` (GitHub, GitLab)
  | 'odata-next-link' // `@odata.nextLink` in the body (Microsoft Graph)
  | 'next-cursor' // `response_metadata.next_cursor` (Slack)
  | 'next-page-token' // `nextPageToken` -> `pageToken` (Google)
  | 'meta-next-token' // `meta.next_token` -> `pagination_token` (X)
  | 'next-url' // `next` absolute URL in the body (Spotify)
  | 'next-page-token-snake' // `next_page_token` in the body -> `next_page_token` query (Zoom)
  | 'cursor-has-more' // `cursor` + `has_more` in the body, then POST `.../continue` (Dropbox)
  | 'offset-limit' // `offset`/`limit` (or `marker`) query parameters (Box)
  | 'none'

export interface LoopbackRules {
  /**
   * The host written in the redirect URI: an IP literal, or `localhost` only when the provider insists (then
   * every loopback address of localhost is bound, 127.0.0.1 and ::1 at least; see callback/loopback-listen.ts).
   */
  host: '127.0.0.1' | 'localhost' | '[::1]'
  /** True when the provider accepts any port on the registered loopback redirect (RFC 8252 §7.3). */
  anyPort: boolean
  /** The port to use when `anyPort` is false (the user registers `http://host:port/path`). */
  defaultPort?: number
  /** Path of the redirect URI. */
  path: string
}

export interface ProviderQuirks {
  /** The token endpoint answers form-encoded unless asked for JSON, and errors come as HTTP 200 + `error` (GitHub). */
  tokenErrorsAsOk?: boolean
  /** Dotted path of the object holding the user's token in the token response (Slack `authed_user`). */
  tokenResponsePath?: string
  /** Token-response field whose value becomes the API base (Salesforce `instance_url`). */
  apiBaseFromTokenResponse?: string
  /** Suffix appended to that API base (Salesforce `/services/data/v62.0`). */
  apiBaseSuffix?: string
  /** The provider rejects requests without a distinctive User-Agent (Reddit). */
  requiresUserAgent?: boolean
  /** The User-Agent to send to this provider's authorization server instead of the default one. */
  userAgent?: string
  /**
   * A public client authenticates with HTTP Basic `client_id:` and an empty password instead of sending
   * `client_id` in the body (Reddit installed apps). Applied in the token request through `customFetch`.
   */
  basicAuthWithEmptySecret?: boolean
  /**
   * The server base64-decodes Basic credentials without the form-decoding RFC 6749 §2.3.1 asks for, so a
   * `-` or `_` in a client id or secret (form-encoded as `%2D`, `%5F` by openid-client) breaks it (Reddit).
   * The header is re-sent as plain `base64(id:secret)`.
   */
  plainBasicCredentials?: boolean
  /** `token_type` is a provider word (Slack `user`): report it as `Bearer`, which it is on the wire. */
  nonStandardTokenType?: boolean
  /**
   * The issuer is a template (Microsoft `common`/`organizations`): an ID token names the user's own tenant
   * as `iss`, which cannot match, so it is dropped (identity comes from the "me" endpoint instead).
   */
  multiTenantIssuer?: boolean
  /**
   * The Web API reports failures with a success status and a body that says so: such an answer is an API
   * error (exit 7) carrying the provider's words. `true` is Slack's `{"ok": false, "error": "..."}`
   * ({@link SLACK_ERRORS_IN_OK}); an {@link ErrorsInOkShape} names another shape (Flickr's `"stat": "fail"`).
   */
  apiErrorsAsOk?: boolean | ErrorsInOkShape
  /** Dotted path of the object that holds the user in the "me" answer (X wraps it in `data`, Twitch in `data.0`). */
  identityPath?: string
  /**
   * The token, revocation and introspection endpoints take a JSON body instead of a form (Notion's
   * `POST /v1/oauth/token`): the form openid-client builds is sent as the same members in JSON.
   */
  jsonTokenRequests?: boolean
  /** Headers the token, revocation and introspection endpoints require (Notion-Version at Notion). */
  tokenRequestHeaders?: Record<string, string>
  /**
   * A separate endpoint for the refresh_token grant (Figma `POST /v1/oauth/refresh`): refresh requests
   * addressed to the token endpoint are sent there instead.
   */
  refreshEndpoint?: string
}

/**
 * PKCE (RFC 7636) at this provider: `required` (always sent), `optional` (sent; the server accepts it and
 * works without), `off` (never sent unless `login --pkce`: standard LinkedIn apps reject a token request
 * carrying `code_verifier`, Strava and Reddit do not document it).
 */
export type PkceSupport = 'required' | 'optional' | 'off'

/** A known failure and what to do about it: `match` is looked for in the provider's error text. */
export interface ErrorHint {
  match: string
  hint: string
}

/** When a preset's facts were last checked, and against which document. */
export interface FactsChecked {
  /** ISO date (YYYY-MM-DD). */
  date: string
  source: string
}

/**
 * A parameter of a preset (Microsoft tenant, self-managed GitLab host, Salesforce login host). Its key is
 * written as `{key}` in any string of the preset and replaced by the value given on the command line, the
 * value saved in the config, or {@link PresetOption.default}.
 */
export interface PresetOption {
  /** The `login` flag that sets it (`tenant` for `--tenant`). */
  flag: string
  description: string
  default: string
  /** What a value must look like (a regular expression source), so it cannot rewrite the URL around it. */
  pattern: string
}

/**
 * A non-RFC 7009 way to revoke a token. `application-token`: `DELETE {url}` with HTTP Basic
 * `client_id:client_secret` and the JSON body `{"access_token": "..."}` (GitHub's
 * `DELETE /applications/{client_id}/token`); `{client_id}` in `url` is replaced by the client id.
 */
export interface RevocationApi {
  style: 'application-token'
  url: string
}

/**
 * An OAuth 1.0a provider (RFC 5849): the three-legged login's endpoints and how requests are signed. The
 * consumer key is the preset's client id and the consumer secret its client secret (kept in the credential
 * store like any client secret); the preset's `authorizationEndpoint` / `tokenEndpoint` repeat `authorizeUrl`
 * / `accessTokenUrl` for listings. Scopes, when the provider has any, go on the authorize URL under
 * `scopeParameter` (Trello `scope`, Flickr `perms`).
 * @see RFC 5849 §2 (redirection-based authorization), §3 (authenticated requests)
 */
export interface OAuth1Definition {
  /** Temporary credentials request (§2.1), POST. */
  requestTokenUrl: string
  /** Resource owner authorization (§2.2), opened in the browser with `oauth_token`. */
  authorizeUrl: string
  /** Token request (§2.3), POST with `oauth_verifier`. */
  accessTokenUrl: string
  signatureMethod: 'HMAC-SHA1' | 'RSA-SHA1' | 'PLAINTEXT'
  /** RSA-SHA1: path of the PEM private key, read at each use and never copied (not a secret itself). */
  privateKeyFile?: string
  /** Where `logout` revokes the token, when the provider has such an endpoint (signed POST). */
  revokeUrl?: string
  /** `realm` of the Authorization header, when the provider wants one (§3.5.1). */
  realm?: string
}

/** See {@link ProviderPreset.passwordLogin}. */
export interface PasswordLogin {
  username: string
  gitHost?: string
}

export interface ProviderPreset {
  /** Lower-case identifier used on the command line: `oauthctl login <name>`. */
  name: string
  displayName: string
  /** Issuer identifier, when the server has one (OIDC / RFC 8414); used for the RFC 9207 `iss` check. */
  issuer?: string
  authorizationEndpoint: string
  tokenEndpoint: string
  revocationEndpoint?: string
  userinfoEndpoint?: string
  introspectionEndpoint?: string
  deviceAuthorizationEndpoint?: string
  registrationEndpoint?: string
  jwksUri?: string
  /** JWS algorithm of the ID tokens when it is not RS256 (OIDC Registration `id_token_signed_response_alg`). */
  idTokenSigningAlg?: string
  /** RFC 9207: the server adds `iss` to every authorization response. */
  issParameterSupported?: boolean
  /** RFC 9126 `pushed_authorization_request_endpoint`. */
  parEndpoint?: string
  /** Push every authorization request first (RFC 9126): the server requires it, or the definition says so. */
  par?: boolean
  /** The server accepts signed request objects (RFC 9101: `request_object_signing_alg_values_supported`). */
  jarSupported?: boolean
  /** Send every authorization request as a signed request object (RFC 9101 `require_signed_request_object`). */
  jar?: boolean
  /** PEM private key file that signs request objects, for a client without a secret (read, never copied). */
  jarKey?: string
  /** The server offers JWT-secured authorization responses (JARM: `jwt` in `response_modes_supported`). */
  jarmSupported?: boolean
  /** Ask for JARM responses (`response_mode=jwt`) at every login. */
  jarm?: boolean
  /** Base URL that `oauthctl get /path` resolves against. */
  apiBase: string
  /** Origins (scheme://host[:port]) that may receive the access token. */
  apiOrigins: string[]
  /** Path (relative to apiBase) or URL that answers "who am I"; used after login and by `status --check`. */
  meEndpoint?: string
  defaultScopes: string[]
  scopeSeparator: ' ' | ','
  /** Authorization parameter that carries the scopes (Slack user tokens use `user_scope`). */
  scopeParameter?: string
  clientAuth: ClientAuthMethod
  /**
   * `aud` of a client assertion (RFC 7523 §3): the issuer (the current guidance, draft-ietf-oauth-rfc7523bis)
   * or the token endpoint URL, for servers that accept only that. Default: the issuer when known.
   */
  clientAssertionAudience?: 'issuer' | 'token-endpoint'
  /** A client id that works out of the box (only the sandbox has one). */
  clientId?: string
  /** True when the user must bring their own app's client secret. */
  clientSecretRequired: boolean
  /** Where the user registers their own app. */
  consoleUrl?: string
  loopback: LoopbackRules
  /** Extra authorization-request parameters (`access_type=offline`, `audience=...`); empty values are not sent. */
  authorizeParams?: Record<string, string>
  /** Refresh tokens are single-use: always save the new one, and never refresh in parallel. */
  rotatesRefreshTokens: boolean
  pagination: PaginationStyle
  /** RFC 8628 device authorization grant is available. */
  supportsDeviceFlow?: boolean
  /**
   * A provider-specific revocation API used instead of RFC 7009 when there is no `revocationEndpoint`
   * (GitHub). `logout` uses it to revoke before forgetting the token.
   */
  revocationApi?: RevocationApi
  quirks?: ProviderQuirks
  /** PKCE at this provider; absent means `required`. */
  pkce?: PkceSupport
  /** Every login binds its tokens to a DPoP key (RFC 9449), as `login --dpop` does. */
  dpop?: boolean
  /**
   * RFC 8705 §5 `mtls_endpoint_aliases` (token, revocation, introspection, PAR, device, userinfo endpoint by
   * metadata name): where a login with a client certificate sends those requests instead.
   */
  mtlsEndpointAliases?: Record<string, string>
  /** The metadata says `tls_client_certificate_bound_access_tokens: true` (RFC 8705 §3.3). */
  certificateBoundTokens?: boolean
  /** `token_endpoint_auth_methods_supported` as the metadata listed it (checked before an mTLS login). */
  tokenEndpointAuthMethods?: string[]
  /**
   * Headers sent on every API call unless the user gives the same header with `-H` (LinkedIn-Version,
   * GitHub's Accept and X-GitHub-Api-Version). `{client_id}` in a value is the login's client id (Twitch's
   * `Client-Id`); a header whose client id is not known is not sent.
   */
  apiHeaders?: Record<string, string>
  /**
   * Extra parameters of the RFC 8628 device authorization request (Auth0 `audience`). Empty values, like
   * empty {@link authorizeParams}, are not sent.
   */
  deviceAuthorizationParams?: Record<string, string>
  /** Hints for known failures, matched against API error bodies and OAuth `error_description`s. */
  errorHints?: ErrorHint[]
  /** Parameters substituted into `{key}` placeholders (see {@link PresetOption}). */
  options?: Record<string, PresetOption>
  /**
   * How tools that send a user name and password (git over HTTPS, `.netrc`) pass the access token: as the
   * password, with this user name; `gitHost` is the provider's git server (for `oauthctl setup-git`).
   */
  passwordLogin?: PasswordLogin
  /** OAuth 1.0a instead of OAuth 2.0: three-legged login and signed API requests (see {@link OAuth1Definition}). */
  oauth1?: OAuth1Definition
  /** Facts a person should know that the data above cannot express (non-standard revocation, ...). */
  notes?: string[]
  /** Where this preset's facts come from. */
  docsUrl?: string
  /** When the facts were last checked against the provider's documentation (shown by `providers show`). */
  checked?: FactsChecked
}

/** True when the authorization request carries PKCE (RFC 7636) for this preset. */
export function usesPkce(preset: ProviderPreset): boolean {
  return (preset.pkce ?? 'required') !== 'off'
}

/** The preset's hint for an error text that contains one of its known failure markers. */
export function hintForError(preset: ProviderPreset, text: string | undefined): string | undefined {
  if (!text) return undefined
  return preset.errorHints?.find((entry) => text.includes(entry.match))?.hint
}

/** A preset's extra request parameters without the empty ones (an option left at its empty default, Auth0 `--audience`). */
export function nonEmptyParams(params: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(params ?? {}).filter(([, value]) => value !== ''))
}

/** The `Origin` of a URL string, for allow-listing API hosts. */
export function originOf(url: string): string {
  return new URL(url).origin
}

/** True for http URLs whose host is a loopback address: the only place plain http is allowed. */
export function isLoopbackUrl(url: string | URL): boolean {
  const {protocol, hostname} = typeof url === 'string' ? new URL(url) : url
  if (protocol !== 'http:' && protocol !== 'https:') return false
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/**
 * How a JSON answer with a success status says the call failed: its `flag` member equals `failure`. The
 * `error` members name the failure (the first one is the error code, matched against `tokenErrors`).
 */
export interface ErrorsInOkShape {
  flag: string
  failure: string | boolean | number
  error: string[]
  /** Error codes that mean the token itself is not accepted (a failed token check, not an open question). */
  tokenErrors?: string[]
}

/**
 * Slack: HTTP 200 `{"ok": false, "error": "invalid_auth"}`.
 * @see https://api.slack.com/web#evaluating_responses
 * @see https://api.slack.com/methods/auth.test#errors (the token errors)
 */
export const SLACK_ERRORS_IN_OK: ErrorsInOkShape = {
  flag: 'ok',
  failure: false,
  error: ['error'],
  tokenErrors: ['not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'token_expired'],
}
