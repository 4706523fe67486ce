import {AuthorizationError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'

/** A provider oauthctl knows by its issuer, and where that issuer's codes are redeemed. */
export interface KnownIssuer {
  issuer: string
  tokenEndpoint: string
}

/**
 * The issuer an authorization response is checked against (RFC 9207 §2.4), and then the ID token
 * (OIDC Core §3.1.3.7 step 2).
 *
 * - A known issuer (a preset's, the one discovery found, or the one given with `--issuer`) is compared
 *   with the `iss` the response carries, by openid-client, with simple string comparison.
 * - A provider added with endpoints only has no known issuer, and oauthctl does not invent one. A present
 *   `iss` cannot be compared with anything, so RFC 9207 §2.4's other rule for manually configured servers
 *   applies: accepted `iss` values must be unique per authorization server. An `iss` that is the issuer
 *   of another provider oauthctl knows, at another token endpoint, is a mix-up and is refused (exit 5);
 *   any other is accepted and
 *   becomes the issuer the ID token must name.
 * - With no known issuer and no `iss`, nothing identifies the server: no issuer is returned, and the
 *   ID token, whose `iss` could not be checked, is not used (see createOAuthConfig).
 *
 * @see RFC 9207 §2.4
 */
export function issuerForResponse(preset: ProviderPreset, callback: URL, knownIssuers: readonly KnownIssuer[] = []): string | undefined {
  if (preset.issuer !== undefined) return preset.issuer
  const iss = callback.searchParams.get('iss')
  if (iss === null) return undefined
  // Another name for this very server (same token endpoint) is no mix-up: the code goes where `iss` wants it.
  if (knownIssuers.some((known) => known.issuer === iss && known.tokenEndpoint !== preset.tokenEndpoint)) {
    throw new AuthorizationError(
      `the authorization response names the issuer ${iss}, which is another provider's, not ${preset.displayName}'s (a mix-up, RFC 9207); nothing was exchanged`,
      {hint: `Run the login again. If ${preset.displayName} really is ${iss}, add it with --issuer ${iss}.`},
      'issuer_mismatch',
    )
  }
  return iss
}
