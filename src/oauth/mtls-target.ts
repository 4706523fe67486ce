import type {ProviderPreset} from '../providers/preset.js'
import type {ClientCertificate} from '../store/client-cert-record.js'

/**
 * Where a one-off GET with a login's token goes (the identity lookup after login, `status --check`), and
 * whether it presents the login's TLS client certificate: a login with a certificate calls the userinfo
 * endpoint at its mTLS alias (RFC 8705 §5) with the certificate, and presents it to the provider's API
 * origins (a certificate-bound token needs it there, §3); anywhere else the certificate is not sent.
 */
export function mtlsTarget(preset: ProviderPreset, url: string, cert: ClientCertificate | undefined): {url: string; tls?: ClientCertificate} {
  if (!cert) return {url}
  const alias = preset.mtlsEndpointAliases?.userinfo_endpoint
  if (alias && url === preset.userinfoEndpoint) return {url: alias, tls: cert}
  const origin = URL.canParse(url) ? new URL(url).origin : undefined
  return origin && preset.apiOrigins.includes(origin) ? {url, tls: cert} : {url}
}
