/// <reference path="./oidc-provider.d.ts" />
import type {Client, ClientMetadata, Grant, Interaction, KoaContextWithOIDC, UnknownObject} from 'oidc-provider'
import {ID_TOKEN_SIGNING_ALG} from './secrets.js'

/*
 * The authorization-request side of the sandbox: pushed authorization requests (RFC 9126), signed request
 * objects (RFC 9101), JWT-secured authorization responses (JARM), resource indicators (RFC 8707) and rich
 * authorization requests (RFC 9396). The default public client is unchanged: none of these is required
 * of it unless the sandbox runs with `--require-par`.
 */

/** The demo resource server (RFC 8707): audience-restricted opaque tokens the demo API accepts. */
export const DEMO_RESOURCE = 'https://api.sandbox.example/'
/** The scope the demo resource server grants. */
export const DEMO_RESOURCE_SCOPE = 'api'
/** The one RAR type the sandbox knows: `{"type":"account_information","actions":["read"]}`. */
export const DEMO_AUTHORIZATION_DETAILS_TYPE = 'account_information'
/** A confidential loopback client, for JAR signed with its secret (HS256, RFC 9101 §10.1 / RFC 7518 §3.2). */
export const CONFIDENTIAL_CLIENT_ID = 'oauthctl-confidential'
export const CONFIDENTIAL_CLIENT_SECRET = 'sandbox-confidential-secret'

export interface AuthorizationRequestOptions {
  /** Server-wide `require_pushed_authorization_requests` (`oauthctl sandbox --require-par`). */
  requirePar?: boolean
  InvalidTarget: new (description?: string) => Error
  InvalidAuthorizationDetails: new (description?: string) => Error
}

/** The extra clients: one confidential client with a secret and the loopback redirect. */
export function authorizationRequestClients(redirectUri: string): ClientMetadata[] {
  return [
    {
      client_id: CONFIDENTIAL_CLIENT_ID,
      client_name: 'oauthctl confidential client',
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      application_type: 'native',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ]
}

/**
 * Client defaults these features need: JARM responses are signed with the sandbox's one (P-256) key, and
 * every client may ask for the demo RAR type.
 */
export const AUTHORIZATION_RESPONSE_DEFAULTS = {
  authorization_signed_response_alg: ID_TOKEN_SIGNING_ALG,
  authorization_details_types: [DEMO_AUTHORIZATION_DETAILS_TYPE],
}

/** oidc-provider `features` entries for PAR, JAR, JARM, resource indicators and RAR. */
export function authorizationRequestFeatures(options: AuthorizationRequestOptions): Record<string, UnknownObject> {
  const {InvalidTarget, InvalidAuthorizationDetails} = options
  return {
    pushedAuthorizationRequests: {enabled: true, requirePushedAuthorizationRequests: options.requirePar ?? false},
    requestObjects: {enabled: true, requireSignedRequestObject: false},
    jwtResponseModes: {enabled: true},
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (_ctx: KoaContextWithOIDC, resource: string) => {
        if (resource !== DEMO_RESOURCE) throw new InvalidTarget(`the sandbox knows one resource server, ${DEMO_RESOURCE}`)
        return {scope: DEMO_RESOURCE_SCOPE, audience: DEMO_RESOURCE, accessTokenFormat: 'opaque'}
      },
    },
    richAuthorizationRequests: {
      enabled: true,
      types: {
        [DEMO_AUTHORIZATION_DETAILS_TYPE]: {
          validate: async (_ctx: KoaContextWithOIDC, detail: UnknownObject, _client: Client) => {
            const {actions} = detail
            if (!Array.isArray(actions) || actions.length === 0 || actions.some((action) => action !== 'read')) {
              throw new InvalidAuthorizationDetails(`${DEMO_AUTHORIZATION_DETAILS_TYPE} takes "actions": ["read"]`)
            }
          },
        },
      },
      authorizationDetailsForGrantSource: async (ctx: KoaContextWithOIDC & {oidc: {grant?: {rar?: unknown[]}}}) => ctx.oidc.grant?.rar,
      authorizationDetailsForAccessToken: async (_ctx: KoaContextWithOIDC, _token: unknown, source: {rar?: unknown[]} | undefined) => source?.rar,
      authorizationDetailsForIntrospection: async (_ctx: KoaContextWithOIDC, token: {rar?: unknown[]}) => token.rar,
    },
  }
}

/**
 * Grants the authorization details an interaction asked for: the consent prompt's `details.rar`, or (when
 * auto-approve signs in and consents in one step, so no consent prompt was computed) the request's own
 * `authorization_details`, already validated by oidc-provider.
 */
export function grantAuthorizationDetails(grant: Grant, interaction: Interaction): void {
  let details: unknown = interaction.prompt.details.rar
  const requested = interaction.params.authorization_details
  if (!Array.isArray(details) && typeof requested === 'string') details = JSON.parse(requested)
  if (!Array.isArray(details)) return
  const rich = grant as Grant & {rar?: unknown[]; addRar(detail: unknown): void}
  // A second interaction for the same grant (auto-approve consents twice) must not add them again.
  const granted = new Set((rich.rar ?? []).map((detail) => JSON.stringify(detail)))
  for (const detail of details) if (!granted.has(JSON.stringify(detail))) rich.addRar(detail)
}
