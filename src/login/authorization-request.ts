import type * as Client from 'openid-client'
import {AuthorizationError, ConfigError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import type {AuthorizationDetail} from './authorization-details.js'
import {describeOAuthError, oauthctlErrorIn, oauthErrorCode, oauthErrorDescription, unreachableError} from '../oauth/oauth-errors.js'
import type {ClientCredentials} from '../oauth/oauth-client.js'
import {appendResources} from '../oauth/resource-indicators.js'
import type {RequestObjectSigner} from './request-object.js'

/** What `login` was asked for on the authorization request (flags), on top of the provider definition. */
export interface AuthorizationRequestOptions {
  /** `--par`: push the request first (RFC 9126). */
  par?: boolean
  /** `--jar`: send a signed request object (RFC 9101). */
  jar?: boolean
  /** `--jar-key`: PEM private key for the request object, when the client has no secret. */
  jarKey?: string
  /** `--jarm`: ask for a JWT-secured authorization response. */
  jarm?: boolean
  /** `--resource` (RFC 8707), already checked. */
  resources?: string[]
  /** `--authorization-details` (RFC 9396), already checked. */
  authorizationDetails?: AuthorizationDetail[]
}

/** How one authorization request is made, decided before any browser opens. */
export interface AuthorizationRequestPlan {
  par: boolean
  jar?: RequestObjectSigner
  jarm: boolean
  resources: string[]
  authorizationDetails?: AuthorizationDetail[]
}

/**
 * Decides PAR, JAR, JARM, resources and RAR for a login from the flags and the provider definition (whose
 * `par`/`jar` come from the server's `require_pushed_authorization_requests` / `require_signed_request_object`
 * when it was added with `--issuer`). Asking for a feature the server does not offer is a configuration
 * error, raised before any browser opens.
 * @throws ConfigError (exit 3)
 * @see RFC 9126 §5, RFC 9101 §10.5
 */
export function planAuthorizationRequest(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  options: AuthorizationRequestOptions = {},
): AuthorizationRequestPlan {
  const par = Boolean(options.par || preset.par)
  if (par && !preset.parEndpoint) {
    throw new ConfigError(`${preset.displayName} offers no pushed authorization requests (RFC 9126): no pushed_authorization_request_endpoint is known`, {
      hint: `Log in without --par, or, if the server has one, set "parEndpoint" in its definition (\`oauthctl providers add <name> --issuer <url>\` reads it from the metadata).`,
    })
  }
  const jarWanted = Boolean(options.jar || preset.jar)
  if (jarWanted && !preset.jarSupported) {
    throw new ConfigError(`${preset.displayName} does not accept signed request objects (RFC 9101): its metadata names no request_object_signing_alg_values_supported`, {
      hint: 'Log in without --jar, or set "jarSupported": true in its definition if the server does accept them.',
    })
  }
  const jarm = Boolean(options.jarm || preset.jarm)
  if (jarm && (!preset.jarmSupported || !preset.jwksUri || !preset.issuer)) {
    const why = !preset.jwksUri ? 'no jwks_uri is known to verify them' : !preset.issuer ? 'no issuer is known to check them against' : 'its metadata lists no "jwt" response mode'
    throw new ConfigError(`${preset.displayName} offers no JWT-secured authorization responses (JARM): ${why}`, {
      hint: 'Log in without --jarm, or set "jarmSupported": true, "jwksUri" and "issuer" in its definition if the server does offer them.',
    })
  }
  return {
    par,
    jar: jarWanted ? requestObjectSigner(preset, credentials, options.jarKey) : undefined,
    jarm,
    resources: options.resources ?? [],
    authorizationDetails: options.authorizationDetails,
  }
}

/** The key a request object is signed with: the client secret (HS256) or a PEM private key file. */
function requestObjectSigner(preset: ProviderPreset, credentials: ClientCredentials, jarKey: string | undefined): RequestObjectSigner {
  const keyFile = jarKey ?? preset.jarKey
  if (keyFile) return {kind: 'key', path: keyFile}
  if (credentials.clientSecret && preset.clientAuth !== 'none') return {kind: 'secret', secret: credentials.clientSecret}
  const publicWithSecret = credentials.clientSecret !== undefined
  throw new ConfigError(
    `a signed request object (--jar) for ${preset.displayName} needs a signing key, and this client has ${publicWithSecret ? 'a secret but authenticates as a public client (client auth "none")' : 'neither a secret nor a key'}`,
    {
      hint: publicWithSecret
        ? 'Add --client-auth basic (or post) to sign with the secret (HS256), or pass --jar-key <pem file>.'
        : 'Pass --jar-key <pem file> with the private key registered for this client (or set "jarKey" in its definition), or use a confidential client with --client-secret (HS256).',
    },
  )
}

/** The authorization request parameters with the plan's resources, details and response mode added. */
export function withPlanParameters(params: Record<string, string>, plan: AuthorizationRequestPlan | undefined): URLSearchParams {
  const search = appendResources(new URLSearchParams(params), plan?.resources)
  if (plan?.authorizationDetails) search.set('authorization_details', JSON.stringify(plan.authorizationDetails))
  if (plan?.jarm) search.set('response_mode', 'jwt')
  return search
}

/**
 * The URL to open: the plain authorization request, or a signed request object (JAR), pushed first
 * (PAR: the URL then carries only `client_id` and `request_uri`). A server that refuses the pushed request
 * is an authorization failure (exit 5), before any browser opens.
 * @see RFC 9126 §2, §4; RFC 9101 §5
 */
export async function buildAuthorizeUrl(
  client: typeof Client,
  config: Client.Configuration,
  preset: ProviderPreset,
  params: URLSearchParams,
  plan: AuthorizationRequestPlan | undefined,
): Promise<URL> {
  if (!plan?.par && !plan?.jar) return client.buildAuthorizationUrl(config, params)
  let request = params
  if (plan.jar) {
    const {signRequestObject} = await import('./request-object.js')
    request = await signRequestObject(client, config, params, plan.jar)
  }
  if (!plan.par) return client.buildAuthorizationUrl(config, request)
  try {
    return await client.buildAuthorizationUrlWithPAR(config, request)
  } catch (error) {
    const own = oauthctlErrorIn(error)
    if (own) throw own
    const endpoint = preset.parEndpoint as string
    const offline = unreachableError(error, endpoint, 'push the authorization request; nothing was stored')
    if (offline) throw offline
    throw new AuthorizationError(`${preset.displayName} refused the pushed authorization request: ${describeOAuthError(error)}`, {
      error: oauthErrorCode(error),
      errorDescription: oauthErrorDescription(error),
      hint: 'Check the client id, scopes and --resource / --authorization-details values; nothing was stored.',
      cause: error,
    })
  }
}
