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
 * Turns a token response into the secret record. A response without a new refresh token keeps the previous
 * one (providers that don't rotate); one with a new refresh token replaces it (rotation).
 */
export function secretsFromTokenResponse(response: TokenResponseLike, now: number, previous?: TokenSecrets): TokenSecrets {
  const expiresIn = typeof response.expires_in === 'number' ? response.expires_in : undefined
  const secrets: TokenSecrets = {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    idToken: response.id_token ?? previous?.idToken,
    expiresAt: expiresIn === undefined ? undefined : now + expiresIn * 1000,
    tokenType: response.token_type ?? previous?.tokenType,
    clientSecret: previous?.clientSecret,
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
