import {ExitCode, OauthctlError} from '../errors.js'

/** Statuses whose Location oauthctl follows (GET and HEAD only). */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Exit 7: the API redirected somewhere oauthctl does not go, or in a loop. */
export class ApiRedirectError extends OauthctlError {
  constructor(message: string, hint: string) {
    super(message, 'api_redirect', ExitCode.api, {hint})
  }
}

/** A redirect chain longer than `max` (a loop, most likely): exit 7 naming the host and the last Location. */
export function tooManyRedirects(method: string, start: URL, last: URL, max: number): ApiRedirectError {
  return new ApiRedirectError(`${method} ${start.host}: more than ${max} redirects (the last to ${last.href}); stopped`, 'The API redirects in a loop; check the path, or ask its owner.')
}

/**
 * Why a 3xx answer that was not followed cannot count as a success (exit 7), or undefined when it can
 * (304 Not Modified answers a conditional request; other statuses are not redirects). Its body and headers
 * are written first, like any answer. Only GET and HEAD are redirected: another method would resend the
 * body (and the token) to a URL the user never named.
 * @see RFC 9110 §15.4
 */
export function unfollowedRedirect(method: string, url: string, response: Response): ApiRedirectError | undefined {
  const status = response.status
  if (status < 300 || status >= 400 || status === 304) return undefined
  const answer = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`
  const location = response.headers.get('location')
  const target = location !== null && URL.canParse(location, url) ? new URL(location, url) : undefined
  if (location === null || location.trim() === '') {
    return new ApiRedirectError(`the API answered ${answer} without a Location to follow`, 'Nothing was followed; the answer is above.')
  }
  if (!target) return new ApiRedirectError(`the API answered ${answer} with a Location that is not a URL`, 'Nothing was followed; the answer is above.')
  if (method !== 'GET' && method !== 'HEAD') {
    return new ApiRedirectError(
      `the API redirected a ${method} to ${target.href} (${answer}); oauthctl does not resend a request body with your token`,
      'Repeat the request at that URL if you trust it (an absolute URL on another host needs --allow-host).',
    )
  }
  if (!/^https?:$/.test(target.protocol)) {
    return new ApiRedirectError(`the API redirected to ${target.href} (${answer}): only http and https redirects are followed`, 'Nothing was followed; the answer is above.')
  }
  return undefined
}
