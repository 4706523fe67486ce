/// <reference path="./oidc-provider.d.ts" />
import type {Account, ClaimsRecord} from 'oidc-provider'

/** The account `autoApprove` signs in, and the one the docs and demo use. */
export const DEMO_ACCOUNT_ID = 'demo'

/** The only password the sandbox login form accepts, for any user name. */
export const SANDBOX_PASSWORD = 'sandbox'

/** What scope maps to which claims (OpenID Connect Core §5.4), as oidc-provider's `claims` option. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email', 'email_verified'],
} as const

export interface Profile {
  sub: string
  name: string
  given_name: string
  family_name: string
  preferred_username: string
  email: string
  email_verified: boolean
}

/**
 * The sandbox has no user database: any user name signs in (password {@link SANDBOX_PASSWORD}) and
 * becomes the `sub`, with a profile derived from it. `demo` is "Demo User" <demo@example.com>.
 */
export function profileFor(sub: string): Profile {
  if (sub === DEMO_ACCOUNT_ID) {
    return {
      sub,
      name: 'Demo User',
      given_name: 'Demo',
      family_name: 'User',
      preferred_username: 'demo',
      email: 'demo@example.com',
      email_verified: true,
    }
  }
  const given = sub.charAt(0).toUpperCase() + sub.slice(1)
  return {
    sub,
    name: `${given} Sandbox`,
    given_name: given,
    family_name: 'Sandbox',
    preferred_username: sub,
    email: `${sub.replace(/[^A-Za-z0-9._+-]/g, '_')}@example.com`,
    email_verified: true,
  }
}

/** oidc-provider's `findAccount`: every account id exists. */
export async function findAccount(_ctx: unknown, sub: string): Promise<Account> {
  return {
    accountId: sub,
    // oidc-provider filters the returned claims by the granted scopes and claims itself.
    claims: (): ClaimsRecord => ({...profileFor(sub)}),
  }
}
