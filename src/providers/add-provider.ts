import type * as Client from 'openid-client'
import {updateConfig} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import {PROVIDER_NAME_PATTERN, type ProviderEntry} from './custom.js'
import {optionValuesFromFlags} from './options.js'
import type {ClientAuthMethod} from './preset.js'
import {BUILTIN_NAMES} from './presets.js'
import {resolveProvider} from './registry.js'
import {deleteClientSecret, storeClientSecret} from './client-secret.js'
import {readClientKeyFile, storeClientKey} from './client-key.js'
import {checkServerUrl, discoverServer, type DiscoveredServer} from './discovery.js'
import {showProvider, type ProviderDetails} from './provider-report.js'
import {clientAuthFor, registerClient, registeredRedirectUri, registrationJwtAuth, type RegisteredClient} from './registration.js'
import {isPrototypeKey} from '../util/safe-object.js'
import {applyAuthorizationRequestDefaults, authorizationRequestFieldsFrom, type AuthorizationRequestDefaults} from './authorization-request-metadata.js'
import {applyOAuth1Flags, type OAuth1Flags} from './oauth1-provider-flags.js'
import {mtlsFieldsFrom} from './mtls-metadata.js'

export interface AddProviderInput {
  name: string
  /** Discover the endpoints (OIDC Discovery, then RFC 8414). */
  issuer?: string
  /** Make a named variant of a built-in preset (`work-gitlab` from `gitlab`). */
  preset?: string
  /** Option values for `preset`, by flag name (`host`, `tenant`, `login-host`). */
  presetFlags?: Record<string, string | undefined>
  authorizeUrl?: string
  tokenUrl?: string
  revocationUrl?: string
  introspectionUrl?: string
  userinfoUrl?: string
  deviceUrl?: string
  registrationUrl?: string
  apiBase?: string
  displayName?: string
  clientId?: string
  clientSecret?: string
  scopes?: string[]
  /** RFC 7591 dynamic client registration. */
  register?: boolean
  /** With `register`: the fixed loopback port to register (and then log in with). */
  port?: number
  /** How the client authenticates at the token endpoint (`--client-auth`), instead of the default. */
  clientAuth?: ClientAuthMethod
  /** `--dpop`: every login binds its tokens to a DPoP key (RFC 9449). */
  dpop?: boolean
  /** `--client-key`: private key file for private_key_jwt; the key goes to the credential store. */
  clientKeyFile?: string
  /** Replace an existing custom provider of that name. */
  force?: boolean
  /** `--par`, `--par-url`, `--jar`, `--jar-key`, `--jarm`: request features for every login. */
  requestDefaults?: AuthorizationRequestDefaults
  /** OAuth 1.0a: `--request-token-url`, `--signature-method`, `--rsa-key` (oauth1-provider-flags.ts). */
  oauth1?: OAuth1Flags
}

export interface AddProviderResult {
  details: ProviderDetails
  discovered?: DiscoveredServer
  registered?: Omit<RegisteredClient, 'clientSecret'> & {hasSecret: boolean}
  /** True when an existing entry was updated rather than a new provider created. */
  updated: boolean
}

/**
 * `oauthctl providers add`: a custom provider from discovery or from endpoints given by hand, a named
 * variant of a built-in preset, or (for a name that exists) your app's client id, secret and scopes.
 * The client secret goes to the secret store before the config names the client, so that the config never
 * points at a client whose secret was lost.
 */
export async function addProvider(ctx: Context, input: AddProviderInput): Promise<AddProviderResult> {
  const {name} = input
  if (!PROVIDER_NAME_PATTERN.test(name)) {
    throw new UsageError(`provider name "${name}" must be lower-case letters, digits, ".", "_" or "-"`)
  }
  if (isPrototypeKey(name)) throw new UsageError(`provider name "${name}" is reserved: pick another one`)
  const manual = input.authorizeUrl !== undefined || input.tokenUrl !== undefined
  const defines = input.issuer !== undefined || manual || input.preset !== undefined
  if (input.preset !== undefined && (input.issuer !== undefined || manual)) {
    throw new UsageError('--preset cannot be combined with --issuer or endpoint URLs')
  }
  if (input.register && input.clientId !== undefined) throw new UsageError('--register issues a client id: do not pass --client-id too')
  if (input.port !== undefined && !input.register) throw new UsageError('--port registers a fixed redirect port: it needs --register')
  // An unreadable key file fails (exit 3, naming it) before anything changes.
  const clientKey = input.clientKeyFile === undefined ? undefined : await readClientKeyFile(input.clientKeyFile)
  const jwtAuth = input.register ? registrationJwtAuth(input.clientAuth, clientKey) : undefined
  const config = ctx.config()
  const existing = config.providers?.[name] as ProviderEntry | undefined
  const builtin = BUILTIN_NAMES.includes(name)
  if (defines && builtin) {
    throw new ConfigError(`"${name}" is a built-in preset`, {
      hint: `Pick another name (\`oauthctl providers add my-${name} ...\`), or set only your app: \`oauthctl providers add ${name} --client-id <id>\`.`,
    })
  }
  if (defines && existing && !input.force) {
    throw new ConfigError(`provider "${name}" already exists`, {
      hint: `Pass --force to replace it, or \`oauthctl providers remove ${name}\` first.`,
    })
  }
  if (!defines && !builtin && !existing) {
    throw new UsageError(`"${name}" is not a known provider: give --issuer <url>, or --authorize-url, --token-url and --api-base`)
  }
  const changes = [
    input.register,
    input.clientId,
    input.clientSecret,
    input.scopes?.length,
    input.apiBase,
    input.displayName,
    input.revocationUrl,
    input.introspectionUrl,
    input.userinfoUrl,
    input.clientAuth,
    input.clientKeyFile,
    input.deviceUrl,
    input.registrationUrl,
    input.dpop,
    ...Object.values(input.presetFlags ?? {}),
    ...Object.values(input.requestDefaults ?? {}),
  ]
  if (!defines && !changes.some((value) => value !== undefined && value !== false && value !== 0)) {
    throw new UsageError(`nothing to change for ${name}: pass --client-id, --client-secret, --scope, --api-base, --register or a provider option`)
  }

  let entry: ProviderEntry = defines ? {} : {...existing}
  let discovered: DiscoveredServer | undefined
  if (input.issuer !== undefined && input.authorizeUrl !== undefined && input.tokenUrl !== undefined) {
    // Both endpoints by hand: no metadata is read, and --issuer is the server's issuer identifier as the
    // user knows it, kept as typed: `iss` and ID tokens are compared with it as plain strings (RFC 9207 §2.4,
    // OIDC Core §3.1.3.7).
    checkServerUrl(input.issuer, '--issuer')
    entry = {issuer: input.issuer}
  } else if (input.issuer !== undefined) {
    discovered = await discoverServer(input.issuer, {fetch: ctx.fetch})
    entry = entryFromMetadata(discovered)
  } else if (input.preset !== undefined) {
    if (!BUILTIN_NAMES.includes(input.preset)) throw new UsageError(`--preset must name a built-in preset (${BUILTIN_NAMES.join(', ')})`)
    const base = resolveProvider(input.preset, {}, ctx.env)
    const optionValues = optionValuesFromFlags(base, input.presetFlags ?? {})
    // Resolving checks the values against the preset's patterns now rather than at the next login.
    resolveProvider(input.preset, {}, ctx.env, optionValues)
    entry = {extends: input.preset}
    if (Object.keys(optionValues).length > 0) entry.optionValues = optionValues
  } else if (Object.values(input.presetFlags ?? {}).some((value) => value !== undefined)) {
    if (!builtin && !existing?.extends) throw new UsageError('provider options (--tenant, --host, --login-host) need --preset')
    const target = resolveProvider(name, config, ctx.env)
    const optionValues = optionValuesFromFlags(target, input.presetFlags ?? {})
    resolveProvider(name, config, ctx.env, optionValues)
    entry.optionValues = {...entry.optionValues, ...optionValues}
  }
  const endpointFlags: [keyof ProviderEntry, string | undefined, string][] = [
    ['authorizationEndpoint', input.authorizeUrl, '--authorize-url'],
    ['tokenEndpoint', input.tokenUrl, '--token-url'],
    ['revocationEndpoint', input.revocationUrl, '--revocation-url'],
    ['introspectionEndpoint', input.introspectionUrl, '--introspection-url'],
    ['userinfoEndpoint', input.userinfoUrl, '--userinfo-url'],
    ['deviceAuthorizationEndpoint', input.deviceUrl, '--device-url'],
    ['registrationEndpoint', input.registrationUrl, '--registration-url'],
    ['apiBase', input.apiBase, '--api-base'],
  ]
  for (const [key, value, flag] of endpointFlags) {
    if (value === undefined) continue
    const href = checkServerUrl(value, flag).href
    ;(entry as Record<string, unknown>)[key] = key === 'apiBase' ? href.replace(/\/+$/, '') : href
  }
  if (input.deviceUrl !== undefined) entry.supportsDeviceFlow = true
  if (input.oauth1) applyOAuth1Flags(entry, input.oauth1)
  if (manual || (defines && input.preset === undefined)) {
    const missing = endpointFlags.slice(0, 2).filter(([key]) => !entry[key]).map(([, , flag]) => flag)
    if (missing.length > 0) throw new UsageError(`a provider without metadata needs ${missing.join(' and ')}`)
    if (!entry.apiBase) {
      if (!discovered && !entry.issuer) throw new UsageError('a provider without metadata needs --api-base (where `oauthctl get /path` goes)')
      entry.apiBase = (discovered?.issuer ?? (entry.issuer as string)).replace(/\/+$/, '')
    }
  }
  if (input.apiBase !== undefined || (defines && input.preset === undefined)) entry.apiOrigins = [new URL(entry.apiBase as string).origin]
  if (input.displayName !== undefined) entry.displayName = input.displayName
  if (input.scopes && input.scopes.length > 0) entry.defaultScopes = input.scopes
  if (input.clientAuth !== undefined) entry.clientAuth = input.clientAuth
  else if (clientKey) entry.clientAuth = 'private_key_jwt'
  if (input.dpop) {
    checkDPoPOffered(name, discovered?.metadata as Record<string, unknown> | undefined)
    entry.dpop = true
  }
  if (input.requestDefaults) applyAuthorizationRequestDefaults(entry, input.requestDefaults, checkServerUrl)

  let registered: RegisteredClient | undefined
  if (input.register) {
    // A provider being defined now is not in the config yet: only an existing one can be looked up.
    const endpoint = entry.registrationEndpoint ?? (defines ? undefined : resolveExistingRegistration(ctx, name, config))
    if (!endpoint) throw noRegistration(name, discovered, input.port)
    registered = await registerClient(
      {registrationEndpoint: endpoint, scopes: entry.defaultScopes, deviceFlow: entry.supportsDeviceFlow, port: input.port, jwtAuth},
      {fetch: ctx.fetch},
    )
    if (input.port !== undefined) entry.loopback = {host: '127.0.0.1', anyPort: false, defaultPort: input.port, path: '/callback'}
    entry.clientId = registered.clientId
    entry.clientAuth = clientAuthFor(registered.tokenEndpointAuthMethod, jwtAuth?.method)
    if (entry.clientAuth === 'client_secret_jwt' && !registered.clientSecret) {
      throw new ConfigError(`the server registered ${registered.clientId} for client_secret_jwt but issued no client_secret to sign with`, {
        hint: 'Register an app by hand and pass --client-id and --client-secret.',
      })
    }
    const alg = registered.metadata.id_token_signed_response_alg
    if (typeof alg === 'string' && alg !== 'RS256') entry.idTokenSigningAlg = alg
    entry.registeredAt = ctx.now()
  } else if (input.clientId !== undefined) {
    entry.clientId = input.clientId
  }
  const secret = registered?.clientSecret ?? input.clientSecret
  if (secret !== undefined) {
    if (!entry.clientId) throw new UsageError('--client-secret needs --client-id (or --register)')
    const store = await ctx.openStore()
    await storeClientSecret(store, name, entry.clientId, secret)
    if (existing?.clientId && existing.clientId !== entry.clientId) await deleteClientSecret(store, name, existing.clientId)
  }
  // A key is kept only for a client that signs with it: a server that registered another method gets none.
  if (clientKey && !(registered && entry.clientAuth !== 'private_key_jwt')) {
    if (!entry.clientId) throw new UsageError('--client-key needs --client-id')
    await storeClientKey(await ctx.openStore(), name, entry.clientId, clientKey)
  }
  await updateConfig(ctx.configDir, (fresh) => {
    fresh.providers = {...fresh.providers, [name]: entry as Record<string, unknown>}
  })
  const details = showProvider(ctx.config(), ctx.env, name)
  return {
    details,
    discovered,
    registered: registered && {
      clientId: registered.clientId,
      tokenEndpointAuthMethod: registered.tokenEndpointAuthMethod,
      metadata: registered.metadata,
      hasSecret: Boolean(registered.clientSecret),
    },
    updated: !defines,
  }
}

/** `--register` at a server that has no RFC 7591 registration endpoint: say so, and what to do instead. */
function noRegistration(name: string, discovered: DiscoveredServer | undefined, port: number | undefined): ConfigError {
  const where = discovered ? `the server at ${discovered.issuer}` : name
  const source = discovered ? ` (its metadata at ${discovered.metadataUrl} has no registration_endpoint)` : ' (no registration endpoint is known)'
  const again = discovered ? `oauthctl providers add ${name} --issuer ${discovered.issuer} --client-id <id>` : `oauthctl providers add ${name} --client-id <id>`
  return new ConfigError(`${where} offers no dynamic client registration (RFC 7591)${source}; nothing was saved`, {
    hint:
      `Register an app in its admin console with the redirect URI ${registeredRedirectUri(port)}${port === undefined ? ' (any port)' : ''}, ` +
      `then run: ${again} (add --client-secret if it issues one), or give --registration-url <url> if it registers clients elsewhere.`,
  })
}

function resolveExistingRegistration(ctx: Context, name: string, config: ReturnType<Context['config']>): string | undefined {
  return resolveProvider(name, config, ctx.env).registrationEndpoint
}

/** A provider's stored fields from its metadata (RFC 8414 §2 / OIDC Discovery §3 names). */
function entryFromMetadata(found: DiscoveredServer): ProviderEntry {
  const meta: Client.ServerMetadata = found.metadata
  if (!meta.authorization_endpoint || !meta.token_endpoint) {
    throw new ConfigError(`the metadata at ${found.metadataUrl} has no ${meta.authorization_endpoint ? 'token_endpoint' : 'authorization_endpoint'}`, {
      hint: 'This server does not do the authorization code grant; oauthctl cannot log in to it.',
    })
  }
  const url = (value: unknown, field: string): string | undefined =>
    typeof value === 'string' ? checkServerUrl(value, `${field} in ${found.metadataUrl}`).href : undefined
  const entry: ProviderEntry = {
    issuer: found.issuer,
    metadataUrl: found.metadataUrl,
    authorizationEndpoint: url(meta.authorization_endpoint, 'authorization_endpoint'),
    tokenEndpoint: url(meta.token_endpoint, 'token_endpoint'),
    revocationEndpoint: url(meta.revocation_endpoint, 'revocation_endpoint'),
    userinfoEndpoint: url(meta.userinfo_endpoint, 'userinfo_endpoint'),
    introspectionEndpoint: url(meta.introspection_endpoint, 'introspection_endpoint'),
    deviceAuthorizationEndpoint: url(meta.device_authorization_endpoint, 'device_authorization_endpoint'),
    registrationEndpoint: url(meta.registration_endpoint, 'registration_endpoint'),
    jwksUri: url(meta.jwks_uri, 'jwks_uri'),
    idTokenSigningAlg: idTokenAlgFrom(meta.id_token_signing_alg_values_supported),
    issParameterSupported: meta.authorization_response_iss_parameter_supported === true,
    ...authorizationRequestFieldsFrom(meta, url),
    ...mtlsFieldsFrom(meta, url),
    supportsDeviceFlow: Boolean(meta.device_authorization_endpoint),
    defaultScopes: defaultScopesFrom(meta.scopes_supported),
    clientAuth: preferredClientAuth(meta.token_endpoint_auth_methods_supported),
  }
  for (const key of Object.keys(entry) as (keyof ProviderEntry)[]) if (entry[key] === undefined) delete entry[key]
  return entry
}

/** RS256 is what openid-client expects by default (OIDC Core §15.1); otherwise the server's first one. */
function idTokenAlgFrom(supported: unknown): string | undefined {
  if (!Array.isArray(supported) || supported.length === 0 || supported.includes('RS256')) return undefined
  return typeof supported[0] === 'string' && supported[0] !== 'none' ? supported[0] : undefined
}

/** OpenID scopes when the server is an OpenID provider (plus a refresh token when it offers one). */
function defaultScopesFrom(supported: unknown): string[] {
  if (!Array.isArray(supported) || !supported.includes('openid')) return []
  return ['openid', ...['profile', 'email', 'offline_access'].filter((scope) => supported.includes(scope))]
}

/** Basic unless the server only takes the secret in the body (RFC 6749 §2.3.1 prefers Basic). */
function preferredClientAuth(supported: unknown): ClientAuthMethod {
  if (Array.isArray(supported) && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')) {
    return 'client_secret_post'
  }
  return 'client_secret_basic'
}

/**
 * A server whose metadata lists DPoP algorithms without ES256, or none at all, cannot bind oauthctl's
 * tokens: exit 3 before the provider is saved. Without metadata (endpoints given by hand) the login finds out.
 * @see RFC 9449 §5.1 (`dpop_signing_alg_values_supported`)
 */
function checkDPoPOffered(name: string, metadata: Record<string, unknown> | undefined): void {
  if (!metadata) return
  const algs = metadata.dpop_signing_alg_values_supported
  if (Array.isArray(algs) && algs.includes('ES256')) return
  throw new ConfigError(`${name}'s metadata does not offer ES256 for DPoP proofs (dpop_signing_alg_values_supported: ${Array.isArray(algs) ? JSON.stringify(algs.slice(0, 8)) : 'absent'})`, {
    hint: 'Leave out --dpop: this server does not bind tokens to keys.',
  })
}
