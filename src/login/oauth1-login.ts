/**
 * The OAuth 1.0a three-legged login (RFC 5849 §2): temporary credentials with `oauth_callback` (the
 * loopback listener's URL, or `oob` for `--paste`), the browser at the authorize URL, the callback's
 * `oauth_token` checked against the request token (the OAuth 1.0a analogue of `state`) and its
 * `oauth_verifier` exchanged for the token and token secret, which are stored like any other login.
 *
 * @see RFC 5849 §2.1, §2.2, §2.3
 */
import type {Context} from '../context.js'
import {AuthorizationError, UsageError} from '../errors.js'
import {limitResponseBody} from '../http/body-limit.js'
import {ApiUnreachableError, describeNetworkFailure} from '../http/retry.js'
import {createOAuth1Signer, type OAuth1Signer} from '../http/oauth1-client.js'
import {OAUTH1_CALLBACK} from '../callback/callback-judge.js'
import {nonEmptyParams, type OAuth1Definition, type ProviderPreset} from '../providers/preset.js'
import {DEFAULT_USER_AGENT} from '../providers/quirks.js'
import {registerSecret} from '../redact.js'
import type {TokenStore} from '../store/token-store.js'
import {interruptibleTimeout, throwIfInterrupted} from '../util/interrupt.js'
import {rememberLoginSettings} from '../providers/client-secret.js'
import {identifyUser} from './identify.js'
import {portOfRedirect, type LoginInput, type LoginResult} from './login-types.js'
import type {ClientCredentials} from '../oauth/oauth-client.js'
import {unreachableError} from '../oauth/oauth-errors.js'
import {printable} from './paste-login.js'
import {saveLogin} from '../session/session.js'
import {readInput} from '../util/stdin.js'
import {formatRemaining, headlessAdvice} from './waiting.js'

/** The grant recorded for an OAuth 1.0a login (LoginRecord.grant); `status` shows it as "OAuth 1.0a". */
export const OAUTH1_GRANT = 'oauth1'

/** What the token endpoints answer: a form (§2.1, §2.3). */
interface TokenPair {
  token: string
  secret: string
  /** Everything else the provider sent (Twitter `screen_name`, Flickr `username`), not secret. */
  extra: Record<string, string>
}

/** POSTs a signed request to a credentials endpoint and reads `oauth_token` + `oauth_token_secret`. */
async function requestCredentials(ctx: Context, preset: ProviderPreset, url: string, sign: OAuth1Signer, extra: [string, string][], what: string): Promise<TokenPair> {
  const target = new URL(url)
  let response: Response
  try {
    response = await ctx.fetch(target, {
      method: 'POST',
      headers: {
        authorization: sign('POST', target, undefined, extra),
        accept: '*/*',
        'content-type': 'application/x-www-form-urlencoded',
        // Discogs and the like refuse requests without a distinctive User-Agent.
        'user-agent': preset.quirks?.userAgent ?? DEFAULT_USER_AGENT,
      },
      body: '',
      signal: interruptibleTimeout(ctx.signal, 30_000),
    })
  } catch (error) {
    throwIfInterrupted(ctx.signal, 'login interrupted; nothing was stored')
    // A failed request (refused connection, timeout, a proxy that would not connect) is exit 7, never a crash.
    throw unreachableError(error, url, `get the ${what}; nothing was stored`) ??
      new ApiUnreachableError(`could not reach ${target.host} to get the ${what} (${describeNetworkFailure(error)}); nothing was stored`, {
        hint: `Check the network (and proxy settings) and that ${target.host} is up, then run the login again.`,
        cause: error,
      })
  }
  const text = await (await limitResponseBody(response, target.href)).text()
  const form = new URLSearchParams(text)
  const token = form.get('oauth_token')
  const secret = form.get('oauth_token_secret')
  if (!response.ok || !token || secret === null) {
    const said = printable(text).slice(0, 200)
    throw new AuthorizationError(`${preset.displayName} refused the ${what} request (HTTP ${response.status})${said ? `: ${said}` : ''}`, {
      hint: 'Check the consumer key and secret (--client-id / --client-secret) and the app\u2019s callback settings, then run the login again.',
    })
  }
  registerSecret(secret)
  if (what === 'request token' && form.get('oauth_callback_confirmed') !== 'true') {
    // RFC 5849 §2.1: the server MUST confirm the callback; without it this is an OAuth 1.0 (not 1.0a) server.
    throw new AuthorizationError(`${preset.displayName} did not confirm oauth_callback (oauth_callback_confirmed=true, RFC 5849 §2.1)`, {
      hint: 'The server speaks OAuth 1.0 without the 1.0a session-fixation fix; oauthctl does not log in to it.',
    })
  }
  const rest = Object.fromEntries([...form].filter(([name]) => name !== 'oauth_token' && name !== 'oauth_token_secret'))
  return {token, secret, extra: rest}
}

/** The authorize URL (§2.2): the request token, the scopes when the provider has any, the preset's extras. */
export function oauth1AuthorizeUrl(preset: ProviderPreset, definition: OAuth1Definition, requestToken: string, scopes: string[]): URL {
  const url = new URL(definition.authorizeUrl)
  url.searchParams.set('oauth_token', requestToken)
  if (scopes.length > 0) url.searchParams.set(preset.scopeParameter ?? 'scope', scopes.join(preset.scopeSeparator))
  for (const [name, value] of Object.entries(nonEmptyParams(preset.authorizeParams))) url.searchParams.set(name, value)
  return url
}

/**
 * Reads the verifier of an `oob` login: the PIN alone, or the whole redirect URL, whose `oauth_token` must
 * then be this login's request token.
 */
export function verifierFromPaste(text: string, requestToken: string, providerName = 'the provider'): string {
  const trimmed = text.trim()
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && URL.canParse(trimmed)) {
    const params = new URL(trimmed).searchParams
    // The same refusal the loopback listener recognises (OAUTH1_CALLBACK.denied): X's `denied=<request token>`.
    const denied = params.getAll('denied')
    if (denied.length === 1 && denied[0] === requestToken && !params.has('oauth_verifier')) {
      throw new AuthorizationError(`you denied access at ${providerName}; nothing was exchanged and no token was stored`, {error: 'access_denied', hint: `Run the login again and approve the request at ${providerName}.`}, 'access_denied')
    }
    if (params.getAll('oauth_token').length !== 1 || params.get('oauth_token') !== requestToken) {
      throw new AuthorizationError("the pasted URL's oauth_token is not this login's request token (a stale tab?); nothing was exchanged", {hint: 'Run the login again and paste the new address or PIN.'}, 'state_mismatch')
    }
    const verifier = params.getAll('oauth_verifier')
    if (verifier.length !== 1 || !verifier[0]) throw new AuthorizationError('the pasted URL carries no oauth_verifier; nothing was exchanged', {hint: 'Run the login again.'}, 'invalid_paste')
    return verifier[0]
  }
  if (!/^[\x21-\x7e]{1,512}$/.test(trimmed)) throw new AuthorizationError('the pasted text is not a verifier (PIN) or a redirect URL; nothing was exchanged', {hint: 'Run the login again and paste the PIN the provider shows.'}, 'invalid_paste')
  return trimmed
}

/** Waits for the loopback callback of this request token; returns the verifier. */
async function verifierFromLoopback(ctx: Context, preset: ProviderPreset, input: LoginInput, start: (callback: string) => Promise<URL>): Promise<{verifier: string; finish: (ok: boolean, detail: string) => Promise<void>}> {
  const port = input.port ?? (preset.loopback.anyPort ? 0 : preset.loopback.defaultPort)
  let expected = ''
  const server = await ctx.startCallbackServer({
    bindHost: preset.loopback.host === '[::1]' ? '::1' : '127.0.0.1',
    redirectHost: preset.loopback.host,
    port,
    path: preset.loopback.path,
    // The request token is only issued for the callback URL, so it is set below, before the browser opens.
    expectedState: () => expected,
    names: OAUTH1_CALLBACK,
    providerName: preset.displayName,
    timeoutMs: input.timeoutMs,
    warn: ctx.io.warn,
  })
  try {
    const redirectUri = server.redirectUri.href
    const url = await start(redirectUri)
    expected = url.searchParams.get('oauth_token') ?? ''
    ctx.io.say(`Open this URL in a browser to log in to ${preset.displayName}:`)
    ctx.io.say(`  ${url.href}`)
    const wait = `for the redirect to ${redirectUri}, up to ${formatRemaining(input.timeoutMs)}; Ctrl-C to cancel`
    if (input.openBrowser) {
      ctx.io.say(`Opening your browser... (waiting ${wait})`)
      await (await ctx.browser((line) => {
        ctx.io.warn(line)
        for (const advice of headlessAdvice(preset, redirectUri)) ctx.io.say(advice)
      })).open(url)
    } else {
      ctx.io.say(`Waiting ${wait}`)
    }
    const callback = await server.waitForCallback(ctx.signal)
    return {
      verifier: callback.params.get('oauth_verifier') as string,
      finish: async (ok, detail) => server.finish({ok, title: ok ? `Logged in to ${preset.displayName}` : `Login to ${preset.displayName} failed`, detail}),
    }
  } catch (error) {
    await server.close()
    throw error
  }
}

export interface OAuth1LoginInput {
  input: LoginInput
  preset: ProviderPreset & {oauth1: OAuth1Definition}
  store: TokenStore
  credentials: ClientCredentials
  scopes: string[]
  remember: Omit<Parameters<typeof rememberLoginSettings>[3], 'clientId' | 'clientSecret'>
}

/** `oauthctl login <oauth1 provider>` (browser or `--paste`): the three legs, identity, store. */
export async function loginWithOAuth1(ctx: Context, {input, preset, store, credentials, scopes, remember}: OAuth1LoginInput): Promise<LoginResult> {
  const definition = preset.oauth1
  const consumer = {consumerKey: credentials.clientId, consumerSecret: credentials.clientSecret}
  const signConsumer = createOAuth1Signer(definition, consumer, ctx.now)
  const getRequestToken = async (callback: string) =>
    requestCredentials(ctx, preset, definition.requestTokenUrl, signConsumer, [['oauth_callback', callback]], 'request token')
  let request: TokenPair | undefined
  let verifier: string
  let finish: (ok: boolean, detail: string) => Promise<void> = async () => {}
  if (input.mode === 'paste') {
    request = await getRequestToken('oob')
    const url = oauth1AuthorizeUrl(preset, definition, request.token, scopes)
    ctx.io.say(`Open this URL in a browser (on any machine) to log in to ${preset.displayName}:`)
    ctx.io.say(`  ${url.href}`)
    ctx.io.say('After you approve, paste the verifier (PIN) the page shows (or the address it ended on), then press Enter:')
    const pasted = await readInput(ctx.io.stdin, {firstLine: true, signal: ctx.signal})
    if (pasted === undefined) throw new UsageError('--paste needs the verifier (PIN) on stdin, but stdin ended without one')
    verifier = verifierFromPaste(pasted, request.token, preset.displayName)
  } else {
    const caught = await verifierFromLoopback(ctx, preset, input, async (callback) => {
      request = await getRequestToken(callback)
      return oauth1AuthorizeUrl(preset, definition, request.token, scopes)
    })
    verifier = caught.verifier
    finish = caught.finish
  }
  const temporary = request as TokenPair
  let access: TokenPair
  try {
    const signTemporary = createOAuth1Signer(definition, {...consumer, token: temporary.token, tokenSecret: temporary.secret}, ctx.now)
    access = await requestCredentials(ctx, preset, definition.accessTokenUrl, signTemporary, [['oauth_verifier', verifier]], 'access token')
  } catch (error) {
    await finish(false, (error as Error).message)
    throw error
  }
  await finish(true, 'You can close this tab and return to the terminal.')
  registerSecret(access.token)
  const sign = createOAuth1Signer(definition, {...consumer, token: access.token, tokenSecret: access.secret}, ctx.now)
  const fromAnswer = identityOfTokenAnswer(access.extra)
  const looked = fromAnswer.subject ? fromAnswer : await identifyUser(ctx, preset, {access_token: access.token, token_type: 'OAuth'} as never, undefined, (url) => sign('GET', new URL(url)))
  throwIfInterrupted(ctx.signal, 'login interrupted before the tokens were stored; nothing was stored')
  const {record, store: used} = await saveLogin(
    ctx,
    store,
    input.target,
    {accessToken: access.token, tokenSecret: access.secret, tokenType: 'OAuth', obtainedAt: ctx.now(), ...(credentials.clientSecret ? {clientSecret: credentials.clientSecret} : {})},
    {...looked, scopes, obtainedAt: ctx.now(), grant: OAUTH1_GRANT, clientId: credentials.clientId, ...(input.mode === 'paste' ? {} : portOfRedirect(input))},
  )
  const saved = await rememberLoginSettings(ctx, used, preset, {...remember, clientId: credentials.clientId, clientSecret: credentials.clientSecret})
  for (const line of saved) ctx.io.say(line)
  return {record, identity: looked, storeKind: used.kind, storeLocation: used.location}
}

/** Identity some providers put in the access-token answer (Twitter `user_id`/`screen_name`, Flickr `user_nsid`/`username`). */
function identityOfTokenAnswer(extra: Record<string, string>): {subject?: string; name?: string} {
  const subject = extra.user_id ?? extra.user_nsid
  const name = extra.screen_name ?? extra.fullname ?? extra.username
  return subject ? {subject: printable(subject), ...(name ? {name: printable(name)} : {})} : {}
}
