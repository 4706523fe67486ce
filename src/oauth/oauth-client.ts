import type * as Client from 'openid-client'
import {ConfigError} from '../errors.js'
import {isLoopbackUrl, type ProviderPreset} from '../providers/preset.js'
import {createQuirkFetch} from '../providers/quirks.js'

import {createClientAuth, type ClientCredentials} from './client-auth.js'

export type {ClientCredentials} from './client-auth.js'

export type FetchFn = typeof fetch

/** openid-client, loaded on first use: commands that never talk to the authorization server don't pay for it. */
export function loadOpenIdClient(): Promise<typeof Client> {
  return import('openid-client')
}

/** Every endpoint of the authorization server the protocol engine may call (for the allow-insecure check). */
export function endpointsOf(preset: ProviderPreset): string[] {
  return [
    preset.authorizationEndpoint,
    preset.tokenEndpoint,
    preset.revocationEndpoint,
    preset.userinfoEndpoint,
    preset.introspectionEndpoint,
    preset.deviceAuthorizationEndpoint,
    preset.registrationEndpoint,
    preset.parEndpoint,
    ...Object.values(preset.mtlsEndpointAliases ?? {}),
  ].filter((url): url is string => Boolean(url))
}

/**
 * Builds openid-client's Configuration from static preset data (no discovery round trip on every call).
 * Plain http is allowed only when every endpoint is on a loopback host (the sandbox), never elsewhere.
 * Provider quirks are applied through openid-client's `customFetch` hook, not by forking the protocol.
 *
 * The issuer is the preset's, or `options.issuer` (the `iss` an authorization response named, see
 * issuerForResponse). Without either, none is invented: openid-client needs a value, so it gets the
 * authorization endpoint's origin, but it is never compared with anything, because an ID token (whose
 * `iss` would be) is then dropped from token responses and `iss` is not accepted from a response.
 *
 * `signal` (Ctrl-C) aborts every request openid-client makes, on top of its own 30 s timeout: openid-client
 * takes no signal per call, so it is joined to the one it passes to `customFetch`.
 */
export async function createOAuthConfig(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  options: {fetch?: FetchFn; userAgent?: string; issuer?: string; signal?: AbortSignal} = {},
): Promise<Client.Configuration> {
  const client = await loadOpenIdClient()
  const endpoints = endpointsOf(preset)
  const insecure = endpoints.filter((url) => new URL(url).protocol !== 'https:')
  if (insecure.some((url) => !isLoopbackUrl(url) || new URL(url).protocol !== 'http:')) {
    throw new ConfigError(
      `provider "${preset.name}" has a non-https endpoint (${insecure.find((url) => !isLoopbackUrl(url)) ?? insecure[0]})`,
      {hint: 'Only loopback hosts (127.0.0.1, [::1], localhost) may use plain http.'},
    )
  }
  const server: Client.ServerMetadata = {
    issuer: options.issuer ?? preset.issuer ?? new URL(preset.authorizationEndpoint).origin,
    authorization_endpoint: preset.authorizationEndpoint,
    token_endpoint: preset.tokenEndpoint,
    revocation_endpoint: preset.revocationEndpoint,
    userinfo_endpoint: preset.userinfoEndpoint,
    introspection_endpoint: preset.introspectionEndpoint,
    device_authorization_endpoint: preset.deviceAuthorizationEndpoint,
    registration_endpoint: preset.registrationEndpoint,
    jwks_uri: preset.jwksUri,
    authorization_response_iss_parameter_supported: preset.issParameterSupported ?? false,
    pushed_authorization_request_endpoint: preset.parEndpoint,
    // RFC 8705 §5; used only with a client certificate (`use_mtls_endpoint_aliases` below).
    mtls_endpoint_aliases: preset.mtlsEndpointAliases,
  }
  const issuer = options.issuer ?? preset.issuer
  const auth = await createClientAuth(client, preset, credentials)
  const metadata: Partial<Client.ClientMetadata> = {}
  if (preset.idTokenSigningAlg) metadata.id_token_signed_response_alg = preset.idTokenSigningAlg
  // JARM responses are signed with the server's ID token key (the sandbox has only that one).
  if (preset.jarm && preset.idTokenSigningAlg) metadata.authorization_signed_response_alg = preset.idTokenSigningAlg
  const tls = credentials.tls
  if (tls) {
    // RFC 8705 §5: with a client certificate, the token, revocation, introspection, PAR, device and
    // userinfo requests go to the server's mTLS aliases where it names them.
    metadata.use_mtls_endpoint_aliases = true
  }
  const config = new client.Configuration(server, credentials.clientId, metadata, auth)
  if (insecure.length > 0) client.allowInsecureRequests(config)
  const baseFetch = options.fetch ?? fetch
  // The certificate rides along to oauthctl's own HTTP client (http/node-fetch.ts), which presents it.
  const withTls: FetchFn = tls ? (url, init) => baseFetch(url, {...init, tls} as RequestInit) : baseFetch
  const quirkFetch = createQuirkFetch({...preset, issuer}, withTls, options.userAgent)
  const interrupt = options.signal
  config[client.customFetch] = interrupt
    ? (url, init) => quirkFetch(url, {...init, signal: init.signal ? AbortSignal.any([init.signal, interrupt]) : interrupt})
    : quirkFetch
  return config
}
