import {randomInt} from 'node:crypto'
import {AuthorizationError, UsageError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import type {KnownIssuer} from './issuer-check.js'
import type {ClientCredentials, FetchFn} from '../oauth/oauth-client.js'
import {beginAuthorization, redirectUriFor} from './loopback-login.js'
import type {TokenResponseLike} from '../oauth/token-response.js'
import type {AuthorizationRequestPlan} from './authorization-request.js'
import {paramsForJudging} from '../callback/jwt-response.js'

export interface PasteLoginInput {
  preset: ProviderPreset
  credentials: ClientCredentials
  scopes: string[]
  /** Fixed port of the registered redirect URI; otherwise the preset's, or a random one when any port works. */
  port?: number
  /** The other providers oauthctl knows by issuer, for the RFC 9207 §2.4 uniqueness rule (issuer-check.ts). */
  knownIssuers?: readonly KnownIssuer[]
  /** PAR, JAR, JARM, resources and RAR for this request (authorization-request.ts). */
  request?: AuthorizationRequestPlan
}

export interface PasteLoginDeps {
  say(line: string): void
  /** Reads the pasted redirect URL (one line); undefined when stdin ended without one. */
  readPaste(): Promise<string | undefined>
  /** True when a person is typing: then a prompt is shown. */
  stdinIsTTY: boolean
  fetch?: FetchFn
  /** Ctrl-C: ends the code exchange at once (exit 130). */
  signal?: AbortSignal
  /** The DPoP key the tokens are to be bound to (`login --dpop`). */
  dpopKey?: import('../store/dpop-key-record.js').DPoPKey
}

/**
 * The redirect URI of a paste login. Nothing listens on it: the browser (on another machine) fails to
 * load it, and the user copies the address it ended on. It is still the loopback URI the app registered,
 * so the provider accepts it; when any port works a random high port makes a local web server unlikely.
 */
export function pasteRedirectUri(preset: ProviderPreset, port?: number): string {
  const chosen = port ?? (preset.loopback.anyPort ? randomInt(49_152, 65_535) : undefined)
  return redirectUriFor(preset, chosen)
}

/**
 * Authorization code + PKCE for SSH sessions whose loopback port the user's browser cannot reach: prints
 * the authorize URL, reads the full redirect URL the browser ended on from stdin, checks that it is the
 * redirect URI of this login, its `state` and (RFC 9207) `iss`, then exchanges the code.
 * @see RFC 8252 §7.3, RFC 6749 §4.1.2, RFC 9207 §2.4
 */
export async function loginWithPaste(input: PasteLoginInput, deps: PasteLoginDeps): Promise<TokenResponseLike> {
  const {preset} = input
  const attempt = await beginAuthorization(preset, input.credentials, input.scopes, deps, input.knownIssuers, input.request)
  const redirectUri = pasteRedirectUri(preset, input.port)
  const url = await attempt.authorizeUrl(redirectUri)
  deps.say(`Open this URL in a browser (on any machine) to log in to ${preset.displayName}:`)
  deps.say(`  ${url.href}`)
  deps.say(`After you approve, the browser goes to ${redirectUri}?code=... and probably shows an error page.`)
  // The address carries the authorization code: on a terminal it is read without echo (stdin.ts).
  deps.say(`Copy the full address from its address bar and paste it here, then press Enter${deps.stdinIsTTY ? ' (it is not shown: it carries the login code)' : ''}:`)
  const pasted = await deps.readPaste()
  if (pasted === undefined) {
    throw new UsageError('--paste needs the redirect URL on stdin, but stdin ended without one', {
      hint: deps.stdinIsTTY ? 'Run the login again and paste the address.' : 'Pipe the URL in, or run the login in a terminal.',
    })
  }
  const callback = checkPastedUrl(pasted.trim(), {redirectUri, state: attempt.state, issuer: preset.issParameterSupported ? preset.issuer : undefined})
  return attempt.exchange(callback, redirectUri, 'Run the login again and paste the address right away: the code is single-use and short-lived.')
}

const nothingExchanged = 'nothing was exchanged and no token was stored'

/**
 * Checks a pasted redirect URL before any code leaves the machine: it must be this login's redirect URI
 * (scheme, host, port and path), carry exactly one `code` and the `state` of this login, and, when the
 * server identifies itself (RFC 9207), the expected `iss`. An `error` response becomes its own message.
 */
export function checkPastedUrl(text: string, expected: {redirectUri: string; state: string; issuer?: string}): URL {
  const fail = (message: string, code: string, hint = 'Run the login again and paste the whole address from the browser.') =>
    new AuthorizationError(`${message}; ${nothingExchanged}`, {hint}, code)
  if (!URL.canParse(text)) throw fail('the pasted text is not a URL', 'invalid_paste')
  const url = new URL(text)
  const want = new URL(expected.redirectUri)
  if (url.origin !== want.origin || url.pathname !== want.pathname) {
    throw fail(`the pasted URL is not the redirect of this login (expected ${want.origin}${want.pathname}...)`, 'redirect_mismatch')
  }
  // A JARM response is judged by the members of its (not yet verified) JWT; openid-client verifies it.
  const params = paramsForJudging(url.searchParams)
  for (const name of ['code', 'state', 'iss', 'error']) {
    if (params.getAll(name).length > 1) throw fail(`the pasted URL repeats the "${name}" parameter`, 'invalid_paste')
  }
  const state = params.get('state')
  if (state !== expected.state) {
    throw fail(
      state === null ? 'the pasted URL carries no state' : "the pasted URL's state does not match this login (a stale tab from an earlier login?)",
      'state_mismatch',
      'Close old login tabs, run the login again and paste the address of the new one.',
    )
  }
  if (expected.issuer !== undefined && params.get('iss') !== expected.issuer) {
    throw fail(`the pasted URL does not come from the issuer ${expected.issuer} (RFC 9207)`, 'issuer_mismatch')
  }
  const rawError = params.get('error')
  if (rawError !== null) {
    const error = printable(rawError) || 'unknown_error'
    const description = params.has('error_description') ? printable(params.get('error_description') ?? '') : undefined
    throw new AuthorizationError(`authorization failed: ${error}${description ? `: ${description}` : ''}`, {
      error,
      errorDescription: description,
      hint: error === 'access_denied' ? 'Run the login again and approve the request.' : 'Run the login again.',
    })
  }
  if (!params.get('code')) throw fail('the pasted URL carries no code', 'invalid_paste')
  return url
}

/** Text from a URL ends up in a terminal: no control characters (escape sequences), bounded length. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()
  return clean.length > 300 ? `${clean.slice(0, 300)}\u2026` : clean
}
