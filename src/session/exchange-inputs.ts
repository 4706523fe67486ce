import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {getFreshToken} from './fresh-token.js'
import type {LoadedLogin} from './session.js'
import {readInput} from '../util/stdin.js'

/** RFC 8693 §3 token type identifiers, by the short names oauthctl accepts for them. */
export const TOKEN_TYPES: Record<string, string> = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  saml1: 'urn:ietf:params:oauth:token-type:saml1',
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
}

/** A short name (`access_token`) or a full URI; anything else is a usage error (exit 2). */
export function tokenTypeUri(value: string, flag: string): string {
  const known = TOKEN_TYPES[value]
  if (known) return known
  if (/^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(value) || /^https?:\/\/\S+$/.test(value)) return value
  throw new UsageError(`${flag} ${JSON.stringify(value)} is not a token type`, {
    hint: `Use ${Object.keys(TOKEN_TYPES).join(', ')} or a token type URI (RFC 8693 §3).`,
  })
}

/** A subject or actor token and, when it came from a stored login, that login. */
export interface ExchangeInputToken {
  token: string
  type: string
  login?: LoadedLogin
}

/**
 * The token `--subject-token` / `--actor-token` names: `-` reads it from stdin (one of the two at most), a
 * `provider[:profile]` is a stored login whose token of the requested type is used (its access token
 * refreshed first when it is about to expire; its refresh or ID token as stored).
 *
 * @throws UsageError for `-` twice; NotLoggedInError (exit 4) for no such login; ConfigError (exit 3) when
 *   the login holds no token of that type
 */
export async function resolveExchangeToken(ctx: Context, spec: string, type: string, flag: string): Promise<ExchangeInputToken> {
  if (spec === '-') {
    const text = await readInput(ctx.io.stdin, {firstLine: ctx.io.stdinIsTTY, signal: ctx.signal, secret: true})
    const token = text?.trim()
    if (!token) throw new UsageError(`${flag} - reads the token from stdin, but stdin ended without one`)
    registerSecret(token)
    return {token, type}
  }
  const [provider, profile, extra] = spec.split(':')
  if (!provider || extra !== undefined || profile === '') {
    throw new UsageError(`${flag} ${JSON.stringify(spec)} names no stored login`, {hint: `Give provider or provider:profile (a login), or - to read the token from stdin.`})
  }
  const {login, secrets} = await getFreshToken(ctx, {provider, profile})
  const stored =
    type === TOKEN_TYPES.id_token ? secrets.idToken : type === TOKEN_TYPES.refresh_token ? secrets.refreshToken : type === TOKEN_TYPES.access_token ? secrets.accessToken : undefined
  if (!stored) {
    throw new ConfigError(`the ${login.target.provider} login (profile ${login.target.profile}) holds no token of type ${type}`, {
      hint: 'A stored login gives access_token, refresh_token or id_token; pipe any other token in with - instead.',
    })
  }
  registerSecret(stored)
  return {token: stored, type, login}
}
