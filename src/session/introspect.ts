import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {AuthorizationError, ConfigError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import type {TokenSecrets} from '../store/token-store.js'
import {asConfidentialClient, tokenErrorOf} from '../login/client-credentials.js'
import {createOAuthConfig} from '../oauth/oauth-client.js'
import {loginClientCredentials} from './login-credentials.js'
import {loadLogin, readSecrets, resolveTarget, type LoadedLogin} from './session.js'

/**
 * Members of an introspection response that are never printed: `jti` is the token itself at servers
 * with opaque handles (oidc-provider), and any member whose value is one of the login's secrets.
 */
function withoutSecrets(response: Record<string, unknown>, secrets: TokenSecrets): Record<string, unknown> {
  const hidden = new Set([secrets.accessToken, secrets.refreshToken, secrets.idToken, secrets.clientSecret].filter(Boolean))
  return Object.fromEntries(
    Object.entries(response).filter(([name, value]) => name !== 'jti' && !(typeof value === 'string' && hidden.has(value))),
  )
}

/** RFC 7662 introspection of a login's stored access token, as the provider sees it. */
export async function introspectToken(login: LoadedLogin, secrets: TokenSecrets, fetch: typeof globalThis.fetch): Promise<Record<string, unknown>> {
  const {preset, target} = login
  requireIntrospection(preset)
  const client = await import('openid-client')
  const credentials = await loginClientCredentials(login, secrets)
  const config = await createOAuthConfig(asConfidentialClient(preset, credentials.clientSecret), credentials, {fetch})
  let response
  try {
    response = await client.tokenIntrospection(config, secrets.accessToken, {token_type_hint: 'access_token'})
  } catch (error) {
    const {code, text} = tokenErrorOf(error)
    throw new AuthorizationError(`${preset.displayName} refused to introspect the ${target.provider} token: ${text}`, {
      error: code,
      hint: code === 'invalid_client' ? 'The provider lets only confidential clients introspect; this login has no client secret.' : 'Retry later.',
      cause: error,
    })
  }
  return withoutSecrets(response as Record<string, unknown>, secrets)
}

function requireIntrospection(preset: ProviderPreset): void {
  if (!preset.introspectionEndpoint) {
    throw new ConfigError(`${preset.displayName} has no token introspection endpoint (RFC 7662)`, {
      hint: `Use \`oauthctl status --check\` to see whether the token still works, or set introspectionEndpoint for ${preset.name} in the config.`,
    })
  }
}

/**
 * `oauthctl introspect`: what the provider says about the stored access token (active, scope, exp,
 * client_id, sub, ...) as one JSON document on stdout. Never the token itself; the token is not refreshed
 * first, so an expired one shows `"active": false`. Exit 3 when the provider has no endpoint.
 * @see RFC 7662 §2.2
 */
export async function runIntrospect(ctx: Context, input: {provider?: string; profile?: string; jq?: string}): Promise<void> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  const login = await loadLogin(ctx, target, config)
  requireIntrospection(login.preset)
  const secrets = await readSecrets(login)
  const result = await introspectToken(login, secrets, ctx.fetch)
  await printJson(ctx.io, result, input.jq)
}
