import {createPrivateKey, createPublicKey, type JsonWebKey} from 'node:crypto'
import {ConfigError, UsageError} from '../errors.js'
import type {ClientAuthMethod} from './preset.js'
import {limitResponseBody} from '../http/body-limit.js'
import {DEFAULT_USER_AGENT} from './quirks.js'
import {redact, registerSecret} from '../redact.js'
import {checkServerUrl} from './discovery.js'
import type {FetchFn} from '../oauth/oauth-client.js'
import {parseJsonSafely} from '../util/safe-object.js'

/** The redirect URI oauthctl registers: loopback IP, any port (RFC 8252 §7.3). */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/callback'

/** The redirect URI to register: any port, or the fixed one for servers that match ports exactly. */
export function registeredRedirectUri(port?: number): string {
  return port === undefined ? REGISTERED_REDIRECT_URI : `http://127.0.0.1:${port}/callback`
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

export interface RegistrationInput {
  registrationEndpoint: string
  /** Scopes to ask for (`scope` client metadata), if any. */
  scopes?: string[]
  /** Also register the device authorization grant (when the server supports it). */
  deviceFlow?: boolean
  /** RFC 7591 §3 initial access token, for servers that do not allow open registration. */
  initialAccessToken?: string
  /** Register `http://127.0.0.1:<port>/callback` instead of the any-port URI. */
  port?: number
  /**
   * Register a confidential client that authenticates with a JWT (RFC 7523 §2.2) instead of a public one:
   * `private_key_jwt` with the PUBLIC half of `--client-key` as `jwks` (never its private members), or
   * `client_secret_jwt`, whose secret the server issues.
   */
  jwtAuth?: {method: 'private_key_jwt'; clientKey: string} | {method: 'client_secret_jwt'}
}

export interface RegisteredClient {
  clientId: string
  clientSecret?: string
  /** How the server expects this client to authenticate (RFC 7591 §2). */
  tokenEndpointAuthMethod: string
  /** Everything the server answered, minus the secrets. */
  metadata: Record<string, unknown>
}

/**
 * The client metadata of a `private_key_jwt` client (RFC 7591 §2): `jwks` with the public key alone, rebuilt
 * from the private one by node:crypto (so no private member can slip through), and the signing algorithm.
 */
export function publicKeyMetadata(clientKey: string): {jwks: {keys: JsonWebKey[]}; token_endpoint_auth_signing_alg: string} {
  const jwk = JSON.parse(clientKey) as JsonWebKey & {kid: string; alg: string}
  const publicJwk = createPublicKey(createPrivateKey({key: jwk, format: 'jwk'})).export({format: 'jwk'})
  return {jwks: {keys: [{...publicJwk, kid: jwk.kid, alg: jwk.alg, use: 'sig'}]}, token_endpoint_auth_signing_alg: jwk.alg}
}

/**
 * RFC 7591 dynamic client registration of oauthctl as a native public client: authorization code with
 * PKCE, a loopback redirect on any port, no client secret (`token_endpoint_auth_method: none`), unless
 * `jwtAuth` asks for a JWT-authenticated one. A server that issues a secret is honoured: the secret is
 * returned for the secret store.
 *
 * @see RFC 7591 §3.1 (request), §3.2.1 (response), §3.2.2 (errors); RFC 8252 §8.4 (native clients)
 * @throws ConfigError (exit 3) when the server refuses, with its `error` and `error_description`.
 */
export async function registerClient(input: RegistrationInput, deps: {fetch?: FetchFn} = {}): Promise<RegisteredClient> {
  const endpoint = checkServerUrl(input.registrationEndpoint, 'the registration endpoint')
  const body: Record<string, unknown> = {
    client_name: 'oauthctl',
    application_type: 'native',
    redirect_uris: [registeredRedirectUri(input.port)],
    token_endpoint_auth_method: input.jwtAuth?.method ?? 'none',
    ...(input.jwtAuth?.method === 'private_key_jwt' ? publicKeyMetadata(input.jwtAuth.clientKey) : {}),
    grant_types: ['authorization_code', 'refresh_token', ...(input.deviceFlow ? [DEVICE_CODE_GRANT] : [])],
    response_types: ['code'],
  }
  if (input.scopes && input.scopes.length > 0) body.scope = input.scopes.join(' ')
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': DEFAULT_USER_AGENT,
  }
  if (input.jwtAuth?.method === 'client_secret_jwt') body.token_endpoint_auth_signing_alg = 'HS256'
  if (input.initialAccessToken) headers.authorization = `Bearer ${input.initialAccessToken}`
  let response: Response
  try {
    response = await (deps.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    })
  } catch (error) {
    throw new ConfigError(`could not reach the registration endpoint ${endpoint.href}: ${(error as Error).message}`, {
      hint: 'Check the network, or register an app by hand and pass --client-id.',
      cause: error,
    })
  }
  const text = await (await limitResponseBody(response, endpoint.href)).text()
  let answer: Record<string, unknown> | undefined
  try {
    const parsed: unknown = parseJsonSafely(text)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>
  } catch {
    answer = undefined
  }
  if (response.status !== 201 && response.status !== 200) {
    const error = typeof answer?.error === 'string' ? answer.error : `HTTP ${response.status}`
    const description = typeof answer?.error_description === 'string' ? `: ${answer.error_description}` : ''
    throw new ConfigError(`dynamic client registration at ${endpoint.href} failed (${redact(error + description)})`, {
      hint: 'The server may not allow open registration; register an app by hand and pass --client-id (and --client-secret).',
    })
  }
  if (!answer || typeof answer.client_id !== 'string' || !answer.client_id) {
    throw new ConfigError(`the registration endpoint ${endpoint.href} answered without a client_id`, {
      hint: 'Register an app by hand and pass --client-id.',
    })
  }
  const clientSecret = typeof answer.client_secret === 'string' && answer.client_secret ? answer.client_secret : undefined
  registerSecret(clientSecret)
  const metadata = {...answer}
  for (const key of ['client_secret', 'registration_access_token']) delete metadata[key]
  return {
    clientId: answer.client_id,
    clientSecret,
    tokenEndpointAuthMethod:
      typeof answer.token_endpoint_auth_method === 'string'
        ? answer.token_endpoint_auth_method
        : clientSecret
          ? 'client_secret_basic'
          : 'none',
    metadata,
  }
}

/**
 * What `--register` asks the server for: a public client (none), or with `--client-auth private-key-jwt`
 * (or `--client-key` alone) / `client-secret-jwt` a client that authenticates with a JWT (RFC 7523 §2.2).
 * The other methods are the server's to choose, as before.
 * @see RFC 7591 §2 (token_endpoint_auth_method, jwks)
 */
export function registrationJwtAuth(method: ClientAuthMethod | undefined, clientKey: string | undefined): RegistrationInput['jwtAuth'] {
  if (method === undefined && clientKey === undefined) return undefined
  if ((method === undefined || method === 'private_key_jwt') && clientKey) return {method: 'private_key_jwt', clientKey}
  if (method === 'private_key_jwt') throw new UsageError('--register --client-auth private-key-jwt needs --client-key <file>: its public key is what gets registered')
  if (method === 'client_secret_jwt' && clientKey === undefined) return {method: 'client_secret_jwt'}
  if (method === 'client_secret_jwt') throw new UsageError('--client-key is for private-key-jwt: client-secret-jwt signs with the secret the server issues')
  throw new UsageError('--register lets the server say how the client authenticates: --client-auth may only ask for private-key-jwt or client-secret-jwt')
}

/** The method the server registered; a JWT method only when it was asked for (oauthctl holds its key or secret). */
export function clientAuthFor(method: string, asked?: 'private_key_jwt' | 'client_secret_jwt'): ClientAuthMethod {
  if (method === 'none' || method === 'client_secret_basic' || method === 'client_secret_post') return method
  if (method === asked) return method
  throw new ConfigError(`the server registered the client for ${method} authentication, which oauthctl does not support`, {
    hint: 'Register an app by hand with a client secret (Basic or form body), or a public client.',
  })
}
