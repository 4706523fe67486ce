/**
 * What the loopback listener makes of one request: not the authorization response at all (a stray), a
 * response that does not belong to this login (foreign: answered and ignored), or this login's response
 * (accepted, or refused with exit 5).
 *
 * @see RFC 6749 §4.1.2, §4.1.2.1, §10.12; RFC 8252 §8.3; RFC 9207 §2.4
 */
import {timingSafeEqual} from 'node:crypto'
import type {IncomingMessage} from 'node:http'

import {AuthorizationError} from '../errors.js'
import type {PageContent} from './pages.js'

export type Route =
  | {kind: 'callback'; params: URLSearchParams}
  | {kind: 'stray'; status: number; title: string; detail?: string; headers?: Record<string, string>}

/**
 * The names of the parameters that tie a response to its request and carry the grant: OAuth 2.0's `state`
 * and `code`, or OAuth 1.0a's `oauth_token` (which must be the request token, RFC 5849 §2.2) and
 * `oauth_verifier`.
 */
export interface CallbackNames {
  state: string
  code: string
  /**
   * A parameter by which the provider says the user refused, carrying the request token in place of
   * `state` (X/Twitter's `denied`); only a value equal to this login's token ends the login.
   */
  denied?: string
}

export const OAUTH2_CALLBACK: CallbackNames = {state: 'state', code: 'code'}
/**
 * RFC 5849 says nothing of a refusal; X (Twitter) sends the browser back with `denied=<request token>` and
 * no `oauth_token`. Flickr, Trello, Tumblr and Discogs are not documented to come back at all on a refusal
 * (see https://gist.github.com/joelverhagen/3731039: "does not redirect on deny"), so for them the wait
 * ends at the timeout or Ctrl-C.
 *
 * @see RFC 5849 §2.2
 * @see https://github.com/omab/python-social-auth/pull/242 (quotes X's docs: "redirects the user to the oauth_callback url with a 'denied' parameter instead of oauth_token")
 * @see https://github.com/singingwolfboy/flask-dance/issues/125 (X's "Cancel" lands on `/authorized?denied=xxxx`)
 */
export const OAUTH1_CALLBACK: CallbackNames = {state: 'oauth_token', code: 'oauth_verifier', denied: 'denied'}

/**
 * Decide whether a request may be the authorization response. Everything else (favicon, prefetch, HEAD,
 * a bare `/callback`, a rebinding attack's Host) is answered and ignored: it must not end the one-shot wait.
 */
export function classifyRequest(req: IncomingMessage, path: string, allowedHosts: Set<string>, names: CallbackNames = OAUTH2_CALLBACK): Route {
  const host = req.headers.host?.toLowerCase()
  if (!host || !allowedHosts.has(host)) {
    // DNS-rebinding defence: a web page can reach 127.0.0.1 only under its own host name.
    return {kind: 'stray', status: 400, title: 'Unexpected Host header'}
  }
  let url: URL
  try {
    url = new URL(req.url ?? '/', 'http://loopback.invalid')
  } catch {
    return {kind: 'stray', status: 400, title: 'Bad request'}
  }
  if (url.pathname !== path) return {kind: 'stray', status: 404, title: 'Not found'}
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return {kind: 'stray', status: 405, title: 'Method not allowed', headers: {Allow: 'GET, HEAD'}}
  }
  // `response`: a JWT-secured authorization response (JARM), judged by jwt-response.ts.
  const answers = [names.code, 'error', 'response', ...(names.denied ? [names.denied] : [])]
  if (!answers.some((name) => url.searchParams.has(name))) {
    return {kind: 'stray', status: 400, title: 'Not an authorization response', detail: 'This address only receives the authorization server\u2019s redirect.'}
  }
  // A HEAD, or a speculative load, never carries the user's navigation; let the real GET through later.
  const purpose = `${req.headers['sec-purpose'] ?? ''} ${req.headers.purpose ?? ''} ${req.headers['x-moz'] ?? ''}`
  if (req.method === 'HEAD' || /prefetch|prerender/i.test(purpose)) {
    return {kind: 'stray', status: 503, title: 'Open this page in the browser to finish logging in'}
  }
  return {kind: 'callback', params: url.searchParams}
}

export type Verdict =
  | {kind: 'accept'}
  | {kind: 'reject'; error: AuthorizationError; page: PageContent}
  /** No `state`, another one, or two: not this login's response. `error` is the RFC 6749 code it named, when printable. */
  | {kind: 'foreign'; error?: string}

const nothingExchanged = 'nothing was exchanged and no token was stored'

/**
 * Judge an authorization response. Only one carrying this login's `state` (exactly once) may end the
 * login, with success or failure: `state` is what ties a response to the request (RFC 6749 §10.12), and
 * an error response must echo it too when it was sent (§4.1.2.1), as it always is. Anything else could
 * come from any web page or local process and would otherwise let it end (or fake the end of) the login.
 */
export function judgeCallback(
  params: URLSearchParams,
  expectedState: string,
  expectedIssuer: string | undefined,
  names: CallbackNames = OAUTH2_CALLBACK,
  providerName = 'the provider',
): Verdict {
  const denied = names.denied === undefined ? [] : params.getAll(names.denied)
  if (denied.length === 1 && expectedState && sameString(denied[0], expectedState) && !params.has(names.code)) {
    return reject(
      new AuthorizationError(`you denied access at ${providerName}; ${nothingExchanged}`, {
        error: 'access_denied',
        hint: `Run the login again and approve the request at ${providerName}.`,
      }, 'access_denied'),
      `You denied access at ${providerName}`,
      'oauthctl stored nothing. You can close this tab; run the login again from the terminal to approve it.',
    )
  }
  const states = params.getAll(names.state)
  if (!expectedState || states.length !== 1 || !sameString(states[0], expectedState)) {
    const error = params.get('error')
    return {kind: 'foreign', ...(error !== null && /^[\w.-]{1,64}$/.test(error) ? {error} : {})}
  }

  // Parameters that must appear at most once (RFC 6749 §3.1); a repeated one could smuggle a second value.
  for (const name of [names.code, 'iss', 'error', 'error_description']) {
    if (params.getAll(name).length > 1) {
      return reject(
        new AuthorizationError(`the callback repeated the "${name}" parameter, so it cannot be trusted; ${nothingExchanged}`, {
          hint: 'Run the login again.',
        }, 'invalid_callback'),
        'Login failed: malformed callback',
      )
    }
  }

  if (params.get(names.code) === '') {
    return reject(
      new AuthorizationError(`the callback carried an empty code; ${nothingExchanged}`, {hint: 'Run the login again.'}, 'invalid_callback'),
      'Login failed: malformed callback',
    )
  }

  if (expectedIssuer !== undefined) {
    const iss = params.get('iss')
    if (iss !== expectedIssuer) {
      const what = iss === null ? 'carried no iss parameter' : `came from issuer "${cleanText(iss)}"`
      return reject(
        new AuthorizationError(
          `the callback ${what}, but this login expects "${expectedIssuer}" (RFC 9207 mix-up defence); ${nothingExchanged}`,
          {hint: 'Check the provider\u2019s issuer configuration, then run the login again.'},
          'issuer_mismatch',
        ),
        'Login failed: the response came from an unexpected authorization server',
      )
    }
  }

  const error = params.get('error')
  if (error !== null) {
    const code = cleanText(error) || 'unknown_error'
    const description = params.has('error_description') ? cleanText(params.get('error_description') ?? '') : undefined
    return reject(
      new AuthorizationError(`authorization failed: ${code}${description ? `: ${description}` : ''}`, {
        error: code,
        errorDescription: description,
        hint: code === 'access_denied' ? 'Run the login again and approve the request.' : 'Run the login again; if it keeps failing, check the provider settings.',
      }),
      `Login failed: ${code}`,
      description,
    )
  }
  return {kind: 'accept'}

  function reject(err: AuthorizationError, title: string, detail = 'Return to the terminal for details.'): Verdict {
    return {kind: 'reject', error: err, page: {ok: false, title, detail}}
  }
}

/** The page a foreign response gets: nothing of the request is reflected in it. */
export const foreignPage: PageContent = {
  ok: false,
  title: 'This response does not belong to the current login',
  detail: 'oauthctl ignored it and is still waiting for the login it started. Finish that login in the tab oauthctl opened, or run the login again from the terminal.',
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Provider text ends up in a terminal: drop control characters (escape sequences) and cap the length. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()
  return printable.length > 500 ? `${printable.slice(0, 500)}\u2026` : printable
}
