import type {ConfigData} from '../config.js'
import type {ProviderEntry} from './custom.js'
import type {OptionValues} from './options.js'
import {describeOAuth1Provider} from './oauth1-details.js'
import {isTlsClientAuth, SLACK_ERRORS_IN_OK, type ProviderPreset} from './preset.js'
import {listResolvedProviders, resolveProviderDetails, type ProviderSource, type ResolvedProvider} from './registry.js'
import {redirectUriFor} from '../login/loopback-login.js'

/**
 * What `oauthctl providers list|show` report: the preset's data as the flows use it, plus what a person
 * needs to set the provider up (the exact redirect URI to register, whether they must bring their own app).
 */
export interface ProviderDetails extends ProviderPreset {
  source: ProviderSource
  /** True when `login` needs `--client-id`: no client id is built in or saved for this provider. */
  needsOwnApp: boolean
  /** The redirect URI to register at the provider, exactly. */
  redirectUri: string
  /** How the port of {@link ProviderDetails.redirectUri} is chosen. */
  redirectPort: 'any' | number
  optionValues: OptionValues
  /** The metadata document a discovered provider came from. */
  metadataUrl?: string
  /** When dynamic registration issued the client id (ISO 8601). */
  registeredAt?: string
}

/** Details of one resolved provider; `port` shows the redirect URI for `login --port N`. */
export function describeProvider(resolved: ResolvedProvider, config: ConfigData, port?: number): ProviderDetails {
  const {preset, source, optionValues} = resolved
  const entry = config.providers?.[preset.name] as ProviderEntry | undefined
  const fixed = port ?? (preset.loopback.anyPort ? undefined : preset.loopback.defaultPort)
  const {name, displayName, ...rest} = preset
  return {
    name,
    displayName,
    source,
    needsOwnApp: !preset.clientId,
    redirectUri: redirectUriFor(preset, fixed),
    redirectPort: fixed ?? 'any',
    ...rest,
    optionValues,
    ...(entry?.metadataUrl ? {metadataUrl: entry.metadataUrl} : {}),
    ...(entry?.registeredAt ? {registeredAt: new Date(entry.registeredAt).toISOString()} : {}),
  }
}

export function listProviderDetails(config: ConfigData, env: NodeJS.ProcessEnv): ProviderDetails[] {
  return listResolvedProviders(config, env).map((resolved) => describeProvider(resolved, config))
}

export function showProvider(
  config: ConfigData,
  env: NodeJS.ProcessEnv,
  name: string,
  options: {optionValues?: OptionValues; port?: number} = {},
): ProviderDetails {
  return describeProvider(resolveProviderDetails(name, config, env, options.optionValues), config, options.port)
}

const SOURCE_LABEL: Record<ProviderSource, string> = {builtin: 'built-in', override: 'built-in*', custom: 'custom'}

function appLabel(details: ProviderDetails): string {
  if (details.source === 'builtin' && details.clientId) return 'not needed'
  if (details.clientId) return 'saved'
  return details.clientSecretRequired ? 'id + secret' : 'id'

}

function portLabel(details: ProviderDetails): string {
  if (details.redirectPort !== 'any') return `(port ${details.redirectPort}; --port to change)`
  return details.loopback.host === 'localhost' ? '(port ignored by the provider)' : '(any port)'
}

/**
 * The table of `providers list`, for stdout, laid out to fit `width` columns (80 when not a terminal):
 * short labels; a long custom name is shortened with `…` first, the redirect URI only when that is not enough. Every
 * detail is in `providers show NAME` and `--json`.
 */
export function formatProviderTable(list: ProviderDetails[], width = 80): string[] {
  const rows = [
    ['NAME', 'SOURCE', 'YOUR APP', 'DEVICE', 'REDIRECT URI TO REGISTER'],
    ...list.map((details) => [
      details.name,
      SOURCE_LABEL[details.source],
      appLabel(details),
      details.supportsDeviceFlow ? 'yes' : 'no',
      details.redirectPort === 'any' ? `${details.redirectUri} (any port)` : details.redirectUri,
    ]),
  ]
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  // A long custom name gives way to the redirect URI, down to 8 characters; only then is the URI cut.
  const others = widths.slice(1, -1).reduce((sum, size) => sum + size + 2, 2)
  widths[0] = Math.max(8, Math.min(widths[0], width - others - widths.at(-1)!))
  const cut = (cell: string, size: number) => (cell.length <= size ? cell : `${cell.slice(0, size - 1)}…`)
  const lines = rows.map((row) => {
    const left = row.slice(0, -1).map((cell, column) => cut(cell, widths[column]).padEnd(widths[column])).join('  ')
    return `${left}  ${cut(row.at(-1)!, Math.max(10, width - left.length - 2))}`
  })
  if (list.some((details) => details.source === 'override')) lines.push('* built-in preset with your settings from the config file')
  lines.push('YOUR APP: what login needs from your own app (--client-id, --client-secret).')
  if (list.some((details) => details.redirectPort !== 'any')) lines.push('A URI with a port needs that port; login --port N changes it.')
  return lines
}

/** The human description of `providers show`, for stdout. */
export function formatProviderDetails(details: ProviderDetails): string[] {
  const lines: string[] = []
  const row = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`  ${`${label}:`.padEnd(26)}${value}`)
  }
  const source = details.source === 'builtin' ? 'built-in preset' : details.source === 'override' ? 'built-in preset, with your settings' : 'custom provider'
  lines.push(`${details.displayName} (${details.name}): ${source}`)
  if (details.needsOwnApp) {
    const where = details.consoleUrl ? ` at ${details.consoleUrl}` : ''
    lines.push(
      `  You need your own app${where}: pass --client-id${details.clientSecretRequired ? ' and --client-secret' : ''} to login (remembered afterwards).`,
    )
  }
  row('Redirect URI to register', `${details.redirectUri} ${portLabel(details)}`)
  if (details.oauth1) {
    describeOAuth1Provider(details, row)
    return lines
  }
  row('Client id', details.clientId ?? '(yours)')
  row('Client authentication', describeClientAuth(details) + (details.quirks?.basicAuthWithEmptySecret ? '; without a secret: Basic "client_id:"' : ''))
  if (details.consoleUrl && !details.needsOwnApp) row('Developer console', details.consoleUrl)
  row('Issuer', details.issuer)
  row('Metadata', details.metadataUrl)
  row('Authorize', details.authorizationEndpoint)
  row('Token', details.tokenEndpoint)
  row('Revocation', details.revocationEndpoint ?? 'none (logout only forgets the tokens)')
  row('Userinfo', details.userinfoEndpoint)
  row('Introspection', details.introspectionEndpoint)
  row('Device authorization', details.deviceAuthorizationEndpoint ?? (details.supportsDeviceFlow ? 'yes' : 'not supported'))
  row('Registration', details.registrationEndpoint)
  row('API base', details.apiBase + (details.quirks?.apiBaseFromTokenResponse ? ` (replaced at login by ${details.quirks.apiBaseFromTokenResponse}${details.quirks.apiBaseSuffix ?? ''})` : ''))
  row('Token sent to', details.apiOrigins.join(', '))
  row('Who am I', details.meEndpoint)
  const scopes = details.defaultScopes.length > 0 ? details.defaultScopes.join(details.scopeSeparator) : '(none: the app\'s configured scopes)'
  row('Default scopes', `${scopes}  [parameter "${details.scopeParameter ?? 'scope'}", separator "${details.scopeSeparator}"]`)
  const extras = Object.entries(details.authorizeParams ?? {}).map(([key, value]) => `${key}=${value}`)
  row('Extra authorize params', extras.join('&'))
  const pkce = details.pkce ?? 'required'
  row('PKCE', pkce === 'off' ? 'not sent (login --pkce sends it)' : `S256, always${pkce === 'optional' ? ' (optional at the provider)' : ''}`)
  const apiHeaders = Object.entries(details.apiHeaders ?? {}).map(([name, value]) => `${name}: ${value}`)
  row('API headers', apiHeaders.length > 0 ? `${apiHeaders.join(', ')} (-H overrides)` : undefined)
  row('Refresh tokens rotate', details.rotatesRefreshTokens ? 'yes (the new one is always saved; refreshes are serialised)' : 'no')
  row('Pagination', details.pagination)
  const quirks = describeQuirks(details)
  if (quirks.length > 0) row('Quirks handled', quirks.join('; '))
  for (const [key, option] of Object.entries(details.options ?? {})) {
    row(`--${option.flag}`, `${details.optionValues[key]} (default ${option.default}) ${option.description}`)
  }
  for (const note of details.notes ?? []) row('Note', note)
  row('Docs', details.docsUrl)
  row('Facts last checked', details.checked ? `${details.checked.date} against ${details.checked.source}` : details.source === 'custom' ? undefined : 'never')
  return lines
}

/**
 * What the client sends to the token endpoint for its method, as `providers show` says it.
 * @see RFC 6749 §2.3.1 (Basic, form body), RFC 7523 §2.2 and OIDC Core §9 (JWT assertions), RFC 8705 §2 (TLS)
 */
export function describeClientAuth(details: Pick<ProviderDetails, 'clientAuth' | 'clientSecretRequired'>): string {
  const method = details.clientAuth
  if (method === 'none') return 'none (public client, no secret is ever sent)'
  if (isTlsClientAuth(method)) return `TLS client certificate (${method}, RFC 8705): login --cert/--key`
  if (method === 'private_key_jwt') return 'a signed JWT assertion (private_key_jwt, RFC 7523 §2.2): login --client-key'
  if (method === 'client_secret_jwt') {
    return 'an HMAC-signed JWT assertion (client_secret_jwt, RFC 7523 §2.2; the secret signs it and is never sent): login --client-secret'
  }
  return `${method === 'client_secret_basic' ? 'HTTP Basic' : 'form body'} (${method})` +
    (details.clientSecretRequired ? ', secret required' : ', only when you give a secret')
}

function describeQuirks(details: ProviderDetails): string[] {
  const quirks = details.quirks ?? {}
  const out: string[] = []
  if (quirks.tokenErrorsAsOk) out.push('token errors as HTTP 200 with "error", form-encoded answers')
  if (quirks.tokenResponsePath) out.push(`user token nested in "${quirks.tokenResponsePath}"`)
  if (quirks.nonStandardTokenType) out.push('non-standard token_type read as Bearer')
  const okErrors = quirks.apiErrorsAsOk === true ? SLACK_ERRORS_IN_OK : quirks.apiErrorsAsOk || undefined
  if (okErrors) out.push(`API errors as HTTP 200 {${JSON.stringify(okErrors.flag)}: ${JSON.stringify(okErrors.failure)}} (exit 7)`)
  if (quirks.identityPath) out.push(`user nested in "${quirks.identityPath}" of the "me" answer`)
  if (quirks.apiBaseFromTokenResponse) out.push(`API base from "${quirks.apiBaseFromTokenResponse}" in the token response`)
  if (quirks.requiresUserAgent) out.push(`distinctive User-Agent "${quirks.userAgent ?? 'oauthctl/…'}" on every request, API calls included`)
  if (quirks.basicAuthWithEmptySecret) out.push('public client sends Basic with an empty password')
  if (quirks.plainBasicCredentials) out.push('Basic credentials sent without form-encoding')
  if (quirks.multiTenantIssuer) out.push('ID token of a multi-tenant issuer is not used (identity from the API)')
  return out
}

/** What `providers add` tells a person: the metadata found, the endpoints, the client, the next command. */
export function formatAddedProvider(result: {
  details: ProviderDetails
  discovered?: {kind: string; metadataUrl: string}
  registered?: {clientId: string; hasSecret: boolean; tokenEndpointAuthMethod: string}
  updated: boolean
}): string[] {
  const {details} = result
  const lines: string[] = []
  if (result.discovered) {
    const kind = result.discovered.kind === 'openid-configuration' ? 'OpenID Connect discovery' : 'RFC 8414 metadata'
    lines.push(`Found ${kind} at ${result.discovered.metadataUrl}:`)
    const row = (label: string, value?: string) => value && lines.push(`  ${`${label}:`.padEnd(22)}${value}`)
    row('issuer', details.issuer)
    row('authorization', details.authorizationEndpoint)
    row('token', details.tokenEndpoint)
    row('revocation', details.revocationEndpoint)
    row('userinfo', details.userinfoEndpoint)
    row('introspection', details.introspectionEndpoint)
    row('device authorization', details.deviceAuthorizationEndpoint)
    row('registration', details.registrationEndpoint)
    row('default scopes', details.defaultScopes.join(' '))
  }
  if (result.registered) {
    const method = result.registered.tokenEndpointAuthMethod
    const kind = method === 'private_key_jwt'
      ? 'confidential, private_key_jwt; its public key registered, the private key kept in the secret store'
      : result.registered.hasSecret
        ? `confidential, ${method}; secret kept in the secret store`
        : 'public client, no secret'
    lines.push(`Registered oauthctl as client ${result.registered.clientId} (${kind}), redirect URI ${details.redirectUri}.`)
  }
  lines.push(
    result.updated
      ? `Saved your settings for ${details.name}.`
      : `Added provider ${details.name} (API base ${details.apiBase}).`,
  )
  if (details.needsOwnApp) {
    lines.push(`Before logging in, register an app with the redirect URI ${details.redirectUri} and pass --client-id to login.`)
  }
  lines.push(`Log in with: oauthctl login ${details.name}`)
  return lines
}
