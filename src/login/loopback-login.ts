import type {Browser} from '../callback/browser.js'
import type {CallbackServer, CallbackServerOptions} from '../callback/callback-server.js'
import {AuthorizationError, InterruptedError, OauthctlError} from '../errors.js'
import {hintForError, nonEmptyParams, usesPkce, type ProviderPreset} from '../providers/preset.js'
import {issuerForResponse, type KnownIssuer} from './issuer-check.js'
import {formatRemaining, headlessAdvice, startCountdown} from './waiting.js'
import {describeOAuthError, hintForOAuthFailure, oauthctlErrorIn, isUnreachable, unreachableError, oauthErrorCode, oauthErrorDescription} from '../oauth/oauth-errors.js'
import type {DPoPKey} from '../store/dpop-key-record.js'
import {dpopOptions} from '../oauth/dpop-key.js'
import {createOAuthConfig, type ClientCredentials, type FetchFn} from '../oauth/oauth-client.js'
import type {TokenResponseLike} from '../oauth/token-response.js'
import type * as Client from 'openid-client'
import {buildAuthorizeUrl, withPlanParameters, type AuthorizationRequestPlan} from './authorization-request.js'
import {appendResources} from '../oauth/resource-indicators.js'

export interface LoopbackLoginInput {
  preset: ProviderPreset
  credentials: ClientCredentials
  scopes: string[]
  /** Fixed port; otherwise the preset's rule (ephemeral when any port is accepted). */
  port?: number
  timeoutMs: number
  openBrowser: boolean
  /** The other providers oauthctl knows by issuer, for the RFC 9207 §2.4 uniqueness rule (issuer-check.ts). */
  knownIssuers?: readonly KnownIssuer[]
  /** PAR, JAR, JARM, resources and RAR for this request (authorization-request.ts). */
  request?: AuthorizationRequestPlan
}

export interface LoopbackLoginDeps {
  startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer>
  /** `warn` receives the browser's failures (instead of the context's warning printer). */
  browser(warn?: (line: string) => void): Promise<Browser>
  say(line: string): void
  /** stderr, for the countdown of the wait when it is a terminal (waiting.ts). */
  stderr?: NodeJS.WritableStream & {isTTY?: boolean}
  /** Warnings (a response to the callback address that does not belong to this login); else `say`. */
  warn?(line: string): void
  /** Redacted diagnostics (--debug). */
  debug?(line: string): void
  signal?: AbortSignal
  fetch?: FetchFn
  /** The DPoP key the tokens are to be bound to (`login --dpop`); none for Bearer tokens. */
  dpopKey?: DPoPKey
  /** This machine's host name (os.hostname()), for the `ssh -L` hint when no browser comes up. */
  hostname?: string
}

/** The longest `login --timeout` (seconds): one day. */
export const MAX_LOGIN_TIMEOUT_S = 86_400

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

/**
 * The authorization request parameters (RFC 6749 §4.1.1 + PKCE RFC 7636 §4.3 + OIDC `nonce` + the preset's
 * extras). No `codeChallenge` means no PKCE (a preset with `pkce: 'off'`).
 */
export function authorizationParameters(
  preset: ProviderPreset,
  input: {redirectUri: string; scopes: string[]; state: string; codeChallenge?: string; nonce?: string},
): Record<string, string> {
  const params: Record<string, string> = {
    redirect_uri: input.redirectUri,
    response_type: 'code',
    state: input.state,
    ...(input.codeChallenge ? {code_challenge: input.codeChallenge, code_challenge_method: 'S256'} : {}),
    ...nonEmptyParams(preset.authorizeParams),
  }
  if (input.scopes.length > 0) params[preset.scopeParameter ?? 'scope'] = joinScopes(preset, input.scopes)
  if (input.nonce !== undefined) params.nonce = input.nonce
  return params
}

/** One authorization-code + PKCE attempt: fresh verifier and state, the URL to open, the code exchange. */
export interface AuthorizationAttempt {
  state: string
  /** The authorize URL for this attempt with the given redirect URI (pushed first with PAR). */
  authorizeUrl(redirectUri: string): Promise<URL>
  /**
   * Exchanges the code of a callback URL (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5); state and
   * `iss` are checked again by openid-client. Provider errors become AuthorizationError (exit 5).
   */
  exchange(callbackUrl: URL, redirectUri: string, hint: string): Promise<TokenResponseLike>
}

/**
 * Starts an authorization-code attempt, with PKCE S256 (RFC 7636) unless the preset has it `off` (a server
 * that rejects `code_verifier`, as standard LinkedIn apps do): shared by the loopback and paste logins.
 * When `openid` is among the scopes a fresh `nonce` is sent (OIDC Core §3.1.2.1; some servers, Glewlwyd
 * among them, refuse an OpenID request without one) and the ID token must carry it (§3.1.3.7 step 11),
 * whenever the ID token can be checked at all (a known issuer, see issuerForResponse).
 * When `signal` aborts (Ctrl-C), a code exchange under way stops at once with InterruptedError (exit 130).
 */
export async function beginAuthorization(
  requested: ProviderPreset,
  credentials: ClientCredentials,
  scopes: string[],
  deps: {fetch?: FetchFn; signal?: AbortSignal; dpopKey?: DPoPKey} = {},
  knownIssuers: readonly KnownIssuer[] = [],
  plan?: AuthorizationRequestPlan,
): Promise<AuthorizationAttempt> {
  const client = await import('openid-client')
  const {signal} = deps
  // JARM (`--jarm` or the definition): openid-client verifies the response JWT before the exchange.
  const preset = plan?.jarm ? {...requested, jarm: true} : requested
  const configure = async (issuer?: string): Promise<Client.Configuration> => {
    const made = await createOAuthConfig(preset, credentials, {fetch: deps.fetch, signal, ...(issuer === undefined ? {} : {issuer})})
    if (preset.jarm) client.useJwtResponseMode(made)
    return made
  }
  const config = await configure()
  const codeVerifier = usesPkce(preset) ? client.randomPKCECodeVerifier() : undefined
  const codeChallenge = codeVerifier ? await client.calculatePKCECodeChallenge(codeVerifier) : undefined
  const state = client.randomState()
  const nonce = scopes.includes('openid') ? client.randomNonce() : undefined
  return {
    state,
    authorizeUrl: (redirectUri) =>
      buildAuthorizeUrl(client, config, preset, withPlanParameters(authorizationParameters(preset, {redirectUri, scopes, state, codeChallenge, nonce}), plan), plan),
    async exchange(callbackUrl, redirectUri, hint) {
      if (signal?.aborted) throw interruptedExchange()
      try {
        const issuer = issuerForResponse(preset, callbackUrl, knownIssuers)
        const exchangeConfig = issuer === preset.issuer ? config : await configure(issuer)
        // An ID token is only kept (and so only required to carry the nonce) when its issuer can be checked.
        const idTokenChecked = nonce !== undefined && issuer !== undefined && !preset.quirks?.multiTenantIssuer
        return await client.authorizationCodeGrant(
          exchangeConfig,
          callbackUrl,
          {pkceCodeVerifier: codeVerifier, expectedState: state, ...(idTokenChecked ? {expectedNonce: nonce} : {})},
          appendResources(new URLSearchParams({redirect_uri: redirectUri}), plan?.resources),
          // DPoP: the exchange carries a proof, so the tokens are bound to the login's key (RFC 9449 §5).
          await dpopOptions(exchangeConfig, deps.dpopKey),
        )
      } catch (error) {
        const own = oauthctlErrorIn(error)
        if (own) throw own
        if (signal?.aborted) throw interruptedExchange()
        const offline = unreachableError(error, preset.tokenEndpoint, 'exchange the code; nothing was stored')
        if (offline) throw offline
        const code = oauthErrorCode(error)
        const what = isUnreachable(error) ? `could not reach ${new URL(preset.tokenEndpoint).host} to exchange the code` : `${preset.displayName} did not issue tokens`
        throw new AuthorizationError(`${what}: ${describeOAuthError(error)}`, {
          error: code,
          errorDescription: oauthErrorDescription(error),
          hint: hintForError(preset, oauthErrorDescription(error)) ?? hintForOAuthFailure(error, preset.tokenEndpoint, hint),
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
  const attempt = await beginAuthorization(preset, input.credentials, input.scopes, deps, input.knownIssuers, input.request)
  const port = input.port ?? (preset.loopback.anyPort ? 0 : preset.loopback.defaultPort)
  const server = await deps.startCallbackServer({
    bindHost: preset.loopback.host === '[::1]' ? '::1' : '127.0.0.1',
    redirectHost: preset.loopback.host,
    port,
    path: preset.loopback.path,
    expectedState: attempt.state,
    expectedIssuer: preset.issParameterSupported ? preset.issuer : undefined,
    timeoutMs: input.timeoutMs,
    warn: deps.warn ?? deps.say,
  })
  try {
    const redirectUri = server.redirectUri.href
    const url = await attempt.authorizeUrl(redirectUri)
    deps.say(`Open this URL in a browser to log in to ${preset.displayName}:`)
    deps.say(`  ${url.href}`)
    const wait = `for the redirect to ${redirectUri}, up to ${formatRemaining(input.timeoutMs)}; Ctrl-C to cancel`
    let advised = false
    const advise = (): void => {
      if (advised) return
      advised = true
      for (const line of headlessAdvice(preset, redirectUri, deps.hostname)) deps.say(line)
    }
    if (input.openBrowser) {
      deps.say(`Opening your browser... (waiting ${wait})`)
      const warn = deps.warn ?? deps.say
      await (await deps.browser((line) => {
        warn(line)
        advise()
      })).open(url)
    } else {
      deps.say(`Waiting ${wait}`)
      advise()
    }
    const stopCountdown = deps.stderr ? startCountdown(deps.stderr, input.timeoutMs) : () => {}
    let callback
    try {
      callback = await server.waitForCallback(deps.signal)
    } finally {
      stopCountdown()
    }
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

function interruptedExchange(): InterruptedError {
  return new InterruptedError('login interrupted during the code exchange; nothing was stored')
}
