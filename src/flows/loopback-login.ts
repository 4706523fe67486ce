import type {Browser} from '../callback/browser.js'
import type {CallbackServer, CallbackServerOptions} from '../callback/callback-server.js'
import {AuthorizationError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {describeOAuthError, oauthctlErrorIn, oauthErrorCode} from './oauth-errors.js'
import {createOAuthConfig, type ClientCredentials, type FetchFn} from './oauth-client.js'
import type {TokenResponseLike} from './token-response.js'

export interface LoopbackLoginInput {
  preset: ProviderPreset
  credentials: ClientCredentials
  scopes: string[]
  /** Fixed port; otherwise the preset's rule (ephemeral when any port is accepted). */
  port?: number
  timeoutMs: number
  openBrowser: boolean
}

export interface LoopbackLoginDeps {
  startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer>
  browser(): Promise<Browser>
  say(line: string): void
  /** Redacted diagnostics (--debug). */
  debug?(line: string): void
  signal?: AbortSignal
  fetch?: FetchFn
}

/** The redirect URI the user registers for a preset (`http://127.0.0.1/callback`, any port, per RFC 8252 §7.3). */
export function redirectUriFor(preset: ProviderPreset, port?: number): string {
  const {host, anyPort, defaultPort, path} = preset.loopback
  const chosen = port ?? (anyPort ? undefined : defaultPort)
  return `http://${host}${chosen ? `:${chosen}` : ''}${path}`
}

/** Scopes joined the way the provider expects (Slack and Strava use commas). */
export function joinScopes(preset: ProviderPreset, scopes: string[]): string {
  return scopes.join(preset.scopeSeparator)
}

/** The authorization request parameters (RFC 6749 §4.1.1 + PKCE RFC 7636 §4.3 + the preset's extras). */
export function authorizationParameters(
  preset: ProviderPreset,
  input: {redirectUri: string; scopes: string[]; state: string; codeChallenge: string},
): Record<string, string> {
  const params: Record<string, string> = {
    redirect_uri: input.redirectUri,
    response_type: 'code',
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
    ...preset.authorizeParams,
  }
  if (input.scopes.length > 0) params[preset.scopeParameter ?? 'scope'] = joinScopes(preset, input.scopes)
  return params
}

/** One authorization-code + PKCE attempt: fresh verifier and state, the URL to open, the code exchange. */
export interface AuthorizationAttempt {
  state: string
  /** The authorize URL for this attempt with the given redirect URI. */
  authorizeUrl(redirectUri: string): URL
  /**
   * Exchanges the code of a callback URL (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5); state and
   * `iss` are checked again by openid-client. Provider errors become AuthorizationError (exit 5).
   */
  exchange(callbackUrl: URL, redirectUri: string, hint: string): Promise<TokenResponseLike>
}

/** Starts an authorization-code + PKCE S256 attempt (RFC 7636): shared by the loopback and paste logins. */
export async function beginAuthorization(
  preset: ProviderPreset,
  credentials: ClientCredentials,
  scopes: string[],
  fetch?: FetchFn,
): Promise<AuthorizationAttempt> {
  const client = await import('openid-client')
  const config = await createOAuthConfig(preset, credentials, {fetch})
  const codeVerifier = client.randomPKCECodeVerifier()
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier)
  const state = client.randomState()
  return {
    state,
    authorizeUrl: (redirectUri) =>
      client.buildAuthorizationUrl(config, authorizationParameters(preset, {redirectUri, scopes, state, codeChallenge})),
    async exchange(callbackUrl, redirectUri, hint) {
      try {
        return await client.authorizationCodeGrant(
          config,
          callbackUrl,
          {pkceCodeVerifier: codeVerifier, expectedState: state},
          {redirect_uri: redirectUri},
        )
      } catch (error) {
        const own = oauthctlErrorIn(error)
        if (own) throw own
        const code = oauthErrorCode(error)
        throw new AuthorizationError(`${preset.displayName} did not issue tokens: ${describeOAuthError(error)}`, {
          error: code,
          errorDescription: (error as {error_description?: string}).error_description,
          hint: code === 'invalid_client' ? 'Check --client-id and --client-secret (or OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET).' : hint,
          cause: error,
        })
      }
    },
  }
}

/**
 * Authorization code grant for a native app (RFC 8252): a one-shot loopback listener, PKCE S256, a fresh
 * `state`, the RFC 9207 `iss` check when the server advertises it, then the code exchange. The browser tab
 * is told whether the login worked only after the exchange.
 */
export async function loginWithLoopback(input: LoopbackLoginInput, deps: LoopbackLoginDeps): Promise<TokenResponseLike> {
  const {preset} = input
  const attempt = await beginAuthorization(preset, input.credentials, input.scopes, deps.fetch)
  const port = input.port ?? (preset.loopback.anyPort ? 0 : preset.loopback.defaultPort)
  const server = await deps.startCallbackServer({
    bindHost: preset.loopback.host === '[::1]' ? '::1' : '127.0.0.1',
    redirectHost: preset.loopback.host,
    port,
    path: preset.loopback.path,
    expectedState: attempt.state,
    expectedIssuer: preset.issParameterSupported ? preset.issuer : undefined,
    timeoutMs: input.timeoutMs,
  })
  try {
    const redirectUri = server.redirectUri.href
    const url = attempt.authorizeUrl(redirectUri)
    deps.say(`Open this URL in a browser to log in to ${preset.displayName}:`)
    deps.say(`  ${url.href}`)
    if (input.openBrowser) {
      deps.say('Opening your browser... (waiting for the redirect to ' + redirectUri + ')')
      await (await deps.browser()).open(url)
    } else {
      deps.say(`Waiting for the redirect to ${redirectUri} ...`)
    }
    const callback = await server.waitForCallback(deps.signal)
    deps.debug?.(`callback received: ${callback.url.href}; exchanging the code at ${preset.tokenEndpoint}`)
    let tokens: TokenResponseLike
    try {
      tokens = await attempt.exchange(callback.url, redirectUri, 'Run the login again; the code is single-use and short-lived.')
    } catch (error) {
      await server.finish({ok: false, title: `Login to ${preset.displayName} failed`, detail: (error as Error).message})
      throw error
    }
    await server.finish({
      ok: true,
      title: `Logged in to ${preset.displayName}`,
      detail: 'You can close this tab and return to the terminal.',
    })
    return tokens
  } finally {
    await server.close()
  }
}
