import type * as Client from 'openid-client'
import {ConfigError} from '../errors.js'
import type {ProviderEntry} from './custom.js'
import {isTlsClientAuth, type ProviderPreset} from './preset.js'

import {MTLS_ALIASED_ENDPOINTS} from './mtls-endpoints.js'

export {MTLS_ALIASED_ENDPOINTS} from './mtls-endpoints.js'

/**
 * The mutual-TLS facts of a server's metadata as provider-definition fields: its endpoint aliases (only
 * the ones oauthctl calls, each checked like any endpoint), whether it binds tokens to certificates, and the
 * client authentication methods it lists. Absent facts stay absent.
 * @see RFC 8705 §3.3 (`tls_client_certificate_bound_access_tokens`), §5 (`mtls_endpoint_aliases`)
 */
export function mtlsFieldsFrom(meta: Client.ServerMetadata, url: (value: unknown, field: string) => string | undefined): Partial<ProviderEntry> {
  const fields: Partial<ProviderEntry> = {}
  const given = meta.mtls_endpoint_aliases
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    const aliases: Record<string, string> = {}
    for (const name of MTLS_ALIASED_ENDPOINTS) {
      const href = url((given as Record<string, unknown>)[name], `mtls_endpoint_aliases.${name}`)
      if (href) aliases[name] = href
    }
    if (Object.keys(aliases).length > 0) fields.mtlsEndpointAliases = aliases
  }
  if (meta.tls_client_certificate_bound_access_tokens === true) fields.certificateBoundTokens = true
  const methods = meta.token_endpoint_auth_methods_supported
  if (Array.isArray(methods)) fields.tokenEndpointAuthMethods = methods.filter((method): method is string => typeof method === 'string').slice(0, 32)
  return fields
}

/**
 * Refuses, before any browser opens, a mutual-TLS login the server's metadata says it cannot take: an
 * mTLS authentication method its `token_endpoint_auth_methods_supported` does not list, or a client
 * certificate for a server that neither lists an mTLS method, nor binds tokens to certificates, nor names
 * mTLS endpoint aliases. A provider without metadata (endpoints by hand) is left to the token endpoint.
 *
 * @throws ConfigError (exit 3)
 */
export function checkMtlsOffered(preset: ProviderPreset): void {
  const methods = preset.tokenEndpointAuthMethods
  if (methods === undefined) return
  if (isTlsClientAuth(preset.clientAuth)) {
    if (methods.includes(preset.clientAuth)) return
    throw new ConfigError(`${preset.displayName} does not offer ${preset.clientAuth} client authentication (its metadata lists: ${methods.join(', ') || 'none'})`, {
      hint: 'Use a method the server lists with --client-auth, or ask its administrator to enable mutual TLS (RFC 8705).',
    })
  }
  if (preset.certificateBoundTokens || preset.mtlsEndpointAliases || methods.some(isTlsClientAuth)) return
  throw new ConfigError(`${preset.displayName} does not do mutual TLS: its metadata names no mTLS method, endpoint alias or certificate-bound tokens`, {
    hint: 'Leave out --cert and --key for this provider.',
  })
}
