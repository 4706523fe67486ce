/// <reference path="./oidc-provider.d.ts" />
import type {Client, ClientMetadata, Configuration, KoaContextWithOIDC} from 'oidc-provider'
import {findAccount, SCOPE_CLAIMS} from './accounts.js'
import {buildDPoPClient, buildDPoPFeature} from './dpop.js'
import {createMemoryAdapter} from './memory-adapter.js'
import {restoreOfflineAccess} from './offline-access.js'
import {
  PAGE_HEADERS,
  renderDeviceConfirmPage,
  renderDeviceInputPage,
  renderDeviceSuccessPage,
  renderErrorPage,
  renderLogoutPage,
  renderLogoutSuccessPage,
} from './pages.js'
import {ID_TOKEN_SIGNING_ALG, type SandboxSecrets} from './secrets.js'
import {AUTHORIZATION_RESPONSE_DEFAULTS, authorizationRequestClients, authorizationRequestFeatures} from './authorization-requests.js'

/** The public native client oauthctl logs in with (RFC 8252). */
export const CLI_CLIENT_ID = 'oauthctl'
/** The confidential client for the client-credentials grant (RFC 6749 §4.4). */
export const MACHINE_CLIENT_ID = 'oauthctl-machine'
export const MACHINE_CLIENT_SECRET = 'sandbox-secret'
/** The CLI client's one registered redirect URI; any port is accepted (RFC 8252 §7.3). */
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback'
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
/** UMA 2.0 ticket grant (registered by uma.ts): the CLI exchanges permission tickets for RPTs. */
export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket'

/** Every scope the sandbox knows; `api` is what the machine client asks for. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'api']

const day = 24 * 60 * 60

export interface ProviderConfigInput {
  accessTokenTtl: number
  secrets: SandboxSecrets
  /** oidc-provider's `InvalidTarget` error class (the module is imported lazily, so it is passed in). */
  InvalidTarget: new (description?: string) => Error
  /** oidc-provider's `InvalidAuthorizationDetails` error class (RFC 9396). */
  InvalidAuthorizationDetails: new (description?: string) => Error
  /** Every authorization request must be pushed first (RFC 9126 §5; `oauthctl sandbox --require-par`). */
  requirePar?: boolean
  /** More clients (client-auth-clients.ts). */
  extraClients?: ClientMetadata[]
  /** `oauthctl sandbox --mtls` (mtls.ts): oidc-provider's `features.mTLS` and the endpoint aliases (RFC 8705). */
  mtls?: {feature: Record<string, unknown>; aliases: Record<string, string>}
}

/**
 * oidc-provider's configuration for the sandbox.
 *
 * Every default function that prints a "you SHOULD change it" notice on first use (TTLs, page renderers,
 * CORS and revocation/introspection policies, findAccount) is replaced, because those notices go to
 * stdout with `console.info` in the middle of a request, and stdout is oauthctl's data channel.
 */
export function buildProviderConfiguration(input: ProviderConfigInput): Configuration {
  const {accessTokenTtl, secrets} = input
  const extraClients = input.extraClients ?? []
  const clients: ClientMetadata[] = [
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'oauthctl',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      // Native + loopback http: oidc-provider then accepts any port on this URI (models/client.js).
      redirect_uris: [CLI_REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT, UMA_TICKET_GRANT],
      response_types: ['code'],
    },
    {
      client_id: MACHINE_CLIENT_ID,
      client_name: 'oauthctl machine client',
      client_secret: MACHINE_CLIENT_SECRET,
      // oidc-provider accepts client_secret_post as well for a client registered with _basic.
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'api',
    },
    buildDPoPClient(CLI_REDIRECT_URI, ['authorization_code', 'refresh_token']),
    ...authorizationRequestClients(CLI_REDIRECT_URI),
    ...extraClients,
  ]

  return {
    adapter: createMemoryAdapter(),
    clients,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: ID_TOKEN_SIGNING_ALG,
      ...AUTHORIZATION_RESPONSE_DEFAULTS,
    },
    // The only key is P-256, so only ES256 is on offer (a client registering RS256 is told so).
    enabledJWA: {
      idTokenSigningAlgValues: [ID_TOKEN_SIGNING_ALG],
      userinfoSigningAlgValues: [ID_TOKEN_SIGNING_ALG],
      introspectionSigningAlgValues: [ID_TOKEN_SIGNING_ALG],
      authorizationSigningAlgValues: [ID_TOKEN_SIGNING_ALG],
    },
    jwks: secrets.jwks,
    cookies: {keys: secrets.cookieKeys},
    findAccount,
    ...(input.mtls
      ? {
          clientAuthMethods: ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none', 'tls_client_auth', 'self_signed_tls_client_auth'],
          discovery: {mtls_endpoint_aliases: input.mtls.aliases},
        }
      : {}),
    // Authorization code only (OAuth 2.1): no implicit or hybrid response types.
    responseTypes: ['code'],
    scopes: SCOPES,
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
      openid: [...SCOPE_CLAIMS.openid],
      profile: [...SCOPE_CLAIMS.profile],
      email: [...SCOPE_CLAIMS.email],
    },
    extraParams: {scope: restoreOfflineAccess},
    issueRefreshToken: async (_ctx, client, source) =>
      client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
    // Every refresh returns a new refresh token and consumes the old one; presenting the old one again
    // is invalid_grant and, as reuse detection, revokes the whole grant (RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    pkce: {required: () => true},
    interactions: {url: (_ctx, interaction) => `/interaction/${interaction.uid}`},
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: 10 * 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      RefreshToken: 14 * day,
      Grant: 14 * day,
      Session: 14 * day,
      BackchannelAuthenticationRequest: 10 * 60,
      PreAuthorizedCode: 10 * 60,
    },
    clientBasedCORS: allowRedirectOrigins,
    renderError: (ctx, out) => {
      ctx.type = 'html'
      ctx.set('cache-control', PAGE_HEADERS['cache-control'] ?? 'no-store')
      ctx.body = renderErrorPage('Something went wrong', 'The sandbox could not complete this request. Start the login again from oauthctl.', out)
    },
    features: {
      // The sandbox serves its own /interaction pages (interactions.ts).
      devInteractions: {enabled: false},
      // DPoP (dpop.ts): tokens are bound when the token request carries a proof; the oauthctl-dpop client
      // needs one. The public oauthctl client sends none, so it keeps getting Bearer tokens.
      dPoP: buildDPoPFeature(),
      clientCredentials: {enabled: true},
      registration: {enabled: true, initialAccessToken: false},
      userinfo: {enabled: true},
      revocation: {
        enabled: true,
        // oidc-provider's default rule, without its notice: a public client revokes only its own tokens.
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: Client, token: {clientId: string}) =>
          token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        // Public clients may introspect their own tokens (oauthctl has no secret); confidential ones any.
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: Client, token: {clientId: string}) =>
          client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx: KoaContextWithOIDC, form: string, _out: unknown, error?: Error & {userCode?: string}) => {
          ctx.body = renderDeviceInputPage(form, deviceErrorMessage(error))
        },
        userCodeConfirmSource: async (ctx: KoaContextWithOIDC, form: string, client: Client, _info: unknown, userCode: string) => {
          ctx.body = renderDeviceConfirmPage(form, client.clientName ?? client.clientId, userCode)
        },
        successSource: async (ctx: KoaContextWithOIDC) => {
          const client = ctx.oidc.client
          ctx.body = renderDeviceSuccessPage(client?.clientName ?? client?.clientId ?? 'the device')
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = renderLogoutPage(form, ctx.host)
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.body = renderLogoutSuccessPage()
        },
      },
      // PAR, JAR, JARM, resource indicators (RFC 8707) and RAR (RFC 9396): authorization-requests.ts.
      ...authorizationRequestFeatures(input),
      ...(input.mtls ? {mTLS: input.mtls.feature} : {}),
    },
  }
}

/** oidc-provider's default CORS rule (a public client's redirect origins; userinfo), minus the notice. */
function allowRedirectOrigins(ctx: KoaContextWithOIDC, origin: string, client: Client): boolean {
  if (origin === 'null') return false
  if (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none') {
    return client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin)
  }
  return false
}

function deviceErrorMessage(error: (Error & {userCode?: string}) | undefined): string | undefined {
  if (!error) return undefined
  if (error.userCode !== undefined || error.name === 'NoCodeError') return 'That code is not right. Try again.'
  if (error.name === 'AbortedError') return 'The sign-in was cancelled.'
  return 'The sandbox could not process this request. Try again.'
}
