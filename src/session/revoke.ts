import type {ProviderPreset} from '../providers/preset.js'
import {limitResponseBody} from '../http/body-limit.js'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {redact} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {asConfidentialClient, tokenErrorOf} from '../login/client-credentials.js'
import {describeOAuthError} from '../oauth/oauth-errors.js'
import {createOAuthConfig, type ClientCredentials, type FetchFn} from '../oauth/oauth-client.js'

export type RevokedToken = 'refresh_token' | 'access_token'

export type RevocationOutcome =
  /** Every stored token was revoked (or the server said it was no longer valid). */
  | {status: 'revoked'; revoked: RevokedToken[]; method: 'rfc7009' | 'application-token'}
  /** The provider has no way to revoke a token. */
  | {status: 'unsupported'}
  /** At least one revocation failed; `revoked` lists those that worked. */
  | {status: 'failed'; revoked: RevokedToken[]; reason: string}

/**
 * Revokes a login's tokens at the provider before they are forgotten locally: RFC 7009 at the
 * `revocationEndpoint`, the refresh token first (it can mint new access tokens, and revoking it usually
 * revokes the grant), then the access token; or the provider's own API (`revocationApi`, GitHub).
 * Never throws for a provider's answer: the caller decides whether a failure is fatal (`--strict`).
 * @see RFC 7009 §2.1 (token_type_hint), §2.2 (200 for unknown tokens)
 */
export async function revokeTokens(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  secrets: TokenSecrets,
  fetch: FetchFn,
): Promise<RevocationOutcome> {
  if (preset.revocationEndpoint) return revokeRfc7009(preset, credentials, secrets, fetch)
  if (preset.revocationApi?.style === 'application-token') return revokeApplicationToken(preset, credentials, secrets, fetch)
  return {status: 'unsupported'}
}

async function revokeRfc7009(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  secrets: TokenSecrets,
  fetch: FetchFn,
): Promise<RevocationOutcome> {
  const client = await import('openid-client')
  let config
  try {
    config = await createOAuthConfig(asConfidentialClient(preset, credentials.clientSecret), credentials, {fetch})
  } catch (error) {
    return {status: 'failed', revoked: [], reason: describeOAuthError(error)}
  }
  const revoked: RevokedToken[] = []
  const failures: string[] = []
  const pairs: [RevokedToken, string | undefined][] = [
    ['refresh_token', secrets.refreshToken],
    ['access_token', secrets.accessToken],
  ]
  for (const [hint, token] of pairs) {
    if (!token) continue
    try {
      await client.tokenRevocation(config, token, {token_type_hint: hint})
      revoked.push(hint)
    } catch (error) {
      failures.push(`${hint.replace('_', ' ')}: ${tokenErrorOf(error).text}`)
    }
  }
  if (failures.length > 0) return {status: 'failed', revoked, reason: failures.join('; ')}
  return {status: 'revoked', revoked, method: 'rfc7009'}
}

/** GitHub: `DELETE /applications/{client_id}/token`, Basic client_id:client_secret, `{"access_token": ...}`. */
async function revokeApplicationToken(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  secrets: TokenSecrets,
  fetch: FetchFn,
): Promise<RevocationOutcome> {
  const api = preset.revocationApi as NonNullable<ProviderPreset['revocationApi']>
  if (!credentials.clientSecret) {
    return {status: 'failed', revoked: [], reason: `${preset.displayName} revokes only with the app's client secret, and none is stored`}
  }
  const url = api.url.replace('{client_id}', encodeURIComponent(credentials.clientId))
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')
  try {
    const response = await fetch(url, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': DEFAULT_USER_AGENT,
      },
      body: JSON.stringify({access_token: secrets.accessToken}),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await (await limitResponseBody(response, url)).text()
    // 204: revoked; 404: the token is already invalid, which is what logout wants.
    if (response.status === 204 || response.status === 200 || response.status === 404) {
      return {status: 'revoked', revoked: ['access_token'], method: 'application-token'}
    }
    return {status: 'failed', revoked: [], reason: redact(`HTTP ${response.status} from ${url}${text ? `: ${text.slice(0, 200)}` : ''}`)}
  } catch (error) {
    return {status: 'failed', revoked: [], reason: describeOAuthError(error)}
  }
}
