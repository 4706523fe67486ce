import {AuthorizationError, ConfigError} from '../errors.js'
import type {DPoPKey} from '../store/dpop-key-record.js'
import type {TokenSecrets} from '../store/token-store.js'

/** The parts of a token endpoint response (RFC 6749 §5.1) oauthctl keeps; openid-client's result fits. */
export interface TokenResponseLike {
  access_token: string
  refresh_token?: string
  id_token?: string
  expires_in?: number
  token_type?: string
  scope?: string
  claims?: () => Record<string, unknown> | undefined
}

/**
 * The longest lifetime oauthctl believes (10 years). A larger `expires_in` (`1e306`, `1e13`) is clamped to
 * it: such a token is treated as long-lived, and every date computed from it stays representable.
 */
export const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 60 * 60

/**
 * ID tokens longer than this are not stored. oauthctl reads the ID token's claims once, at login, and
 * never sends it anywhere afterwards; a 200 KB one would only slow every `token` call (it is split across
 * keyring entries of 1,200 characters).
 */
export const MAX_STORED_ID_TOKEN_CHARS = 8192

/**
 * The `expires_in` of a token response as seconds: a finite number >= 0 (or a string of digits, which some
 * servers send), clamped to {@link MAX_EXPIRES_IN_SECONDS}. Absent stays absent.
 * @throws AuthorizationError (exit 5) for a negative, non-numeric or NaN value: nothing is stored.
 * @see RFC 6749 §5.1
 */
export function checkExpiresIn(value: unknown, note?: (line: string) => void): number | undefined {
  if (value === undefined) return undefined
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value
  if (typeof seconds !== 'number' || Number.isNaN(seconds) || seconds < 0) {
    throw new AuthorizationError(
      `the token response has an invalid "expires_in" (${JSON.stringify(value)?.slice(0, 40)}); it must be a number of seconds >= 0. Nothing was stored`,
      {hint: 'The authorization server is misbehaving; report it to its operator.'},
      'invalid_token_response',
    )
  }
  if (seconds > MAX_EXPIRES_IN_SECONDS) {
    note?.(`expires_in ${seconds} is beyond 10 years; treating the token as living 10 years`)
    return MAX_EXPIRES_IN_SECONDS
  }
  return seconds
}

/**
 * Refuses token types oauthctl cannot use. A Bearer login sends its token as `Authorization: Bearer`, so a
 * DPoP-bound token it did not ask for (it holds no key for it) or a MAC token would be sent wrongly; a DPoP
 * login (`bound`) needs `token_type` DPoP, since a Bearer answer means the server ignored the proof.
 * A missing type is a bearer token.
 * @throws AuthorizationError (exit 5) for an unusable type; ConfigError (exit 3) when a DPoP login got a
 *   Bearer token. The caller stores nothing.
 * @see RFC 6750, RFC 9449 §5 (`token_type` DPoP), §7.1
 */
export function checkTokenType(tokenType: unknown, bound = false): void {
  const type = typeof tokenType === 'string' ? tokenType.toLowerCase() : tokenType
  if (bound) {
    if (type === 'dpop') return
    if (type === undefined || type === 'bearer') {
      throw new ConfigError('the authorization server ignored the DPoP proof of this login and issued an unbound token (token_type Bearer); nothing was stored', {
        hint: 'Log in without --dpop (and without `dpop` in the provider definition), or enable DPoP for this client at the provider.',
      })
    }
  } else if (type === undefined || type === 'bearer') return
  const shown = typeof tokenType === 'string' ? tokenType.replace(/[^\x20-\x7e]/g, '?').slice(0, 40) : typeof tokenType
  const dpop = type === 'dpop'
  throw new AuthorizationError(
    `the authorization server issued a ${dpop ? 'DPoP-bound' : 'non-bearer'} token (token_type ${JSON.stringify(shown)}), which oauthctl cannot use ${dpop ? 'without the key it is bound to' : 'yet'}; nothing was stored`,
    {hint: dpop ? 'Log in with --dpop (RFC 9449), or turn off DPoP binding for this client at the provider.' : 'oauthctl supports bearer (RFC 6750) and DPoP (RFC 9449) tokens only.'},
    'unsupported_token_type',
  )
}

/**
 * Turns a token response into the secret record. A response without a new refresh token keeps the previous
 * one (providers that don't rotate); one with a new refresh token replaces it (rotation). `obtainedAt`
 * records when the token was issued, so the refresh-ahead window can fit its lifetime.
 * @throws AuthorizationError (exit 5) for an unusable `expires_in` or token type: nothing is stored.
 */
export function secretsFromTokenResponse(
  response: TokenResponseLike,
  now: number,
  previous?: TokenSecrets,
  note?: (line: string) => void,
  dpopKey: DPoPKey | undefined = previous?.dpopKey,
): TokenSecrets {
  checkTokenType(response.token_type, dpopKey !== undefined)
  const expiresIn = checkExpiresIn(response.expires_in, note)
  let idToken = response.id_token ?? previous?.idToken
  if (idToken !== undefined && idToken.length > MAX_STORED_ID_TOKEN_CHARS) {
    note?.(`the ID token is ${idToken.length} characters long (over ${MAX_STORED_ID_TOKEN_CHARS}); its claims were read, it is not stored`)
    idToken = undefined
  }
  const secrets: TokenSecrets = {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    idToken,
    expiresAt: expiresIn === undefined ? undefined : now + Math.round(expiresIn * 1000),
    obtainedAt: expiresIn === undefined ? undefined : now,
    // openid-client lower-cases token_type; a bound token is written as RFC 9449 §5 spells it.
    tokenType: dpopKey ? 'DPoP' : (response.token_type ?? previous?.tokenType),
    clientSecret: previous?.clientSecret,
    dpopKey,
    clientKey: previous?.clientKey,
    // The certificate the tokens are bound to stays with them (RFC 8705 §3).
    clientCert: previous?.clientCert,
  }
  for (const key of Object.keys(secrets) as (keyof TokenSecrets)[]) {
    if (secrets[key] === undefined) delete secrets[key]
  }
  return secrets
}
/** Who logged in, as far as the tokens or a userinfo/"me" document say. */
export interface Identity {
  subject?: string
  name?: string
  email?: string
}

/** Reads an identity from ID token claims, OIDC userinfo, or a provider's own "me" document. */
/**
 * The user object of a "me" answer: the answer itself, or the member the preset names (X wraps the user
 * in `data`: https://docs.x.com/x-api/users/user-lookup-me).
 */
export function userOfAnswer(path: string | undefined, answer: unknown): Record<string, unknown> | undefined {
  const value = (path ?? '').split('.').filter(Boolean).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], answer)
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

export function identityFromClaims(claims: Record<string, unknown> | undefined): Identity {
  if (!claims) return {}
  const str = (value: unknown): string | undefined =>
    typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined
  const first = str(claims.given_name) ?? str(claims.localizedFirstName)
  const last = str(claims.family_name) ?? str(claims.localizedLastName)
  const joined = [first, last].filter(Boolean).join(' ') || undefined
  return {
    // account_id: Atlassian's /me (https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/#how-do-i-retrieve-the-public-profile-of-the-authenticated-user-).
    subject: str(claims.sub) ?? str(claims.id) ?? str(claims.user_id) ?? str(claims.account_id) ?? str(claims.login),
    name: str(claims.name) ?? str(claims.displayName) ?? joined ?? str(claims.preferred_username) ?? str(claims.login) ?? str(claims.display_name),
    email: str(claims.email) ?? str(claims.mail) ?? str(claims.userPrincipalName),
  }
}
