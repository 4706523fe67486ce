import type * as Client from 'openid-client'
import {ConfigError} from '../errors.js'
import {isLoopbackUrl} from './preset.js'
import {limitResponseBody} from '../http/body-limit.js'
import {DEFAULT_USER_AGENT} from './quirks.js'
import {describeOAuthError} from '../oauth/oauth-errors.js'
import {withoutPrototypeMembers} from '../util/safe-object.js'
import type {FetchFn} from '../oauth/oauth-client.js'

/** Which well-known document the metadata came from. */
export type MetadataKind = 'openid-configuration' | 'oauth-authorization-server'

export interface DiscoveredServer {
  /** The issuer identifier the server states (checked against the one asked for). */
  issuer: string
  kind: MetadataKind
  /** The document that was read. */
  metadataUrl: string
  metadata: Client.ServerMetadata
}

/**
 * Checks an issuer (or endpoint) URL the user typed: https, or plain http on a loopback host only.
 * @throws ConfigError (exit 3) naming the flag.
 */
export function checkServerUrl(value: string, flag: string): URL {
  if (!URL.canParse(value)) throw new ConfigError(`${flag} "${value}" is not a URL`, {hint: `Pass a full URL such as https://id.example.com.`})
  const url = new URL(value)
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))) return url
  throw new ConfigError(`${flag} ${value} must use https`, {
    hint: 'Plain http is accepted only on loopback hosts (127.0.0.1, [::1], localhost).',
  })
}

/** The URL of an issuer's well-known document: appended for OIDC, inserted after the origin for RFC 8414. */
export function wellKnownUrl(issuer: URL, kind: MetadataKind): string {
  const path = issuer.pathname.replace(/\/+$/, '')
  return kind === 'openid-configuration'
    ? `${issuer.origin}${path}/.well-known/openid-configuration`
    : `${issuer.origin}/.well-known/oauth-authorization-server${path}`
}

/**
 * Reads an authorization server's metadata: OpenID Connect Discovery first, then RFC 8414. openid-client
 * performs both requests and checks that the `issuer` in the document is the one asked for (OIDC
 * Discovery §4.3, RFC 8414 §3.3), so a document that names another server is refused.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html §4
 * @see RFC 8414 §3
 * @throws ConfigError (exit 3) when neither document can be used, with both reasons.
 */
export async function discoverServer(issuerText: string, deps: {fetch?: FetchFn; timeoutSeconds?: number} = {}): Promise<DiscoveredServer> {
  const issuer = checkServerUrl(issuerText, '--issuer')
  const client = await import('openid-client')
  const baseFetch = deps.fetch ?? fetch
  const customFetch: Client.CustomFetch = (url, options) => {
    const headers = new Headers(options.headers)
    headers.set('user-agent', DEFAULT_USER_AGENT)
    return baseFetch(url, {...options, headers}).then((response) => limitResponseBody(response, url)).then(withoutPrototypeMembers)
  }
  const insecure = issuer.protocol === 'http:'
  const failures: string[] = []
  const attempts: [MetadataKind, 'oidc' | 'oauth2'][] = [
    ['openid-configuration', 'oidc'],
    ['oauth-authorization-server', 'oauth2'],
  ]
  for (const [kind, algorithm] of attempts) {
    const metadataUrl = issuer.href.includes('/.well-known/') ? issuer.href : wellKnownUrl(issuer, kind)
    try {
      const config = await client.discovery(issuer, 'oauthctl-discovery', undefined, undefined, {
        algorithm,
        [client.customFetch]: customFetch,
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: deps.timeoutSeconds ?? 15,
      })
      const metadata = config.serverMetadata()
      return {issuer: metadata.issuer, kind, metadataUrl, metadata}
    } catch (error) {
      failures.push(`${metadataUrl}: ${describeOAuthError(error)}`)
      if (issuer.href.includes('/.well-known/')) break
    }
  }
  throw new ConfigError(`no usable authorization server metadata for ${issuer.href.replace(/\/$/, '')} (${failures.join('; ')})`, {
    hint: 'Check the issuer URL, or give the endpoints yourself: --authorize-url <url> --token-url <url> --api-base <url>.',
  })
}
