/**
 * A stand-in browser for headless machines and tests: GET the authorization URL and follow redirects by
 * hand, keeping cookies, until a page comes back. It cannot fill in forms, so it only completes logins the
 * authorization server approves without interaction (the embedded sandbox does).
 *
 * Runnable as a script, which is how tests plug it in as the browser:
 *   OAUTHCTL_BROWSER="node dist/callback/http-browser.js" oauthctl login ...
 * It prints a one-line summary on stderr (no query string: the callback URL carries the code) and exits 0
 * when the final page answered < 400, else 1.
 */
import {realpathSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {toTerminalText} from '../util/terminal-text.js'

export interface FollowOptions {
  /** Default 20, as browsers allow. */
  maxRedirects?: number
  fetch?: typeof fetch
}

export interface FinalPage {
  status: number
  /** The URL of the page that did not redirect. */
  url: URL
  body: string
}

interface Cookie {
  name: string
  value: string
  path: string
  expiresAt?: number
}

/**
 * A deliberately tiny cookie jar (RFC 6265 subset): host-only cookies per origin, path matching, expiry.
 * Enough for the interaction cookies authorization servers set between their own redirects.
 */
export class CookieJar {
  readonly #byOrigin = new Map<string, Cookie[]>()

  store(url: URL, setCookieHeaders: string[], now = Date.now()): void {
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, url, now)
      if (!cookie) continue
      const list = (this.#byOrigin.get(url.origin) ?? []).filter((c) => c.name !== cookie.name || c.path !== cookie.path)
      if (cookie.expiresAt === undefined || cookie.expiresAt > now) list.push(cookie)
      this.#byOrigin.set(url.origin, list)
    }
  }

  /** The `Cookie` header for a request to `url`, longer paths first (RFC 6265 §5.4). */
  header(url: URL, now = Date.now()): string | undefined {
    const live = (this.#byOrigin.get(url.origin) ?? []).filter((c) => c.expiresAt === undefined || c.expiresAt > now)
    const matching = live.filter((c) => pathMatches(url.pathname, c.path)).sort((a, b) => b.path.length - a.path.length)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }
}

function parseSetCookie(header: string, url: URL, now: number): Cookie | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq <= 0) return undefined
  const cookie: Cookie = {name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: defaultPath(url)}
  let maxAgeSeen = false
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=')
    const key = rawKey.trim().toLowerCase()
    const value = rest.join('=').trim()
    if (key === 'path' && value.startsWith('/')) cookie.path = value
    else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAgeSeen = true
      cookie.expiresAt = now + Number(value) * 1000
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(value)
      if (!Number.isNaN(at)) cookie.expiresAt = at
    }
  }
  return cookie
}

function defaultPath(url: URL): string {
  const path = url.pathname
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

const redirectStatuses = new Set([301, 302, 303, 307, 308])

/**
 * GET `url` and follow redirects manually until a response that is not a redirect; return that page.
 *
 * @throws Error on too many redirects, a redirect without a usable Location, or a network failure.
 */
export async function followAuthorizationRedirects(url: URL, options: FollowOptions = {}): Promise<FinalPage> {
  const maxRedirects = options.maxRedirects ?? 20
  const doFetch = options.fetch ?? globalThis.fetch
  const jar = new CookieJar()
  let current = new URL(url)
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = {
      Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      'User-Agent': 'oauthctl-http-browser',
    }
    const cookie = jar.header(current)
    if (cookie) headers.Cookie = cookie
    const response = await doFetch(current, {method: 'GET', headers, redirect: 'manual'})
    jar.store(current, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (!redirectStatuses.has(response.status) || location === null) {
      return {status: response.status, url: current, body: await response.text()}
    }
    await response.body?.cancel()
    if (redirects >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects, last at ${describeUrl(current)}`)
    const next = new URL(location, current)
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new Error(`redirected to a ${next.protocol} URL, which this stand-in browser cannot open`)
    }
    current = next
  }
}

/** Origin and path only: query strings in this flow carry codes and state. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

/** A one-line description of the final page, for the script's stderr. */
export function summarizePage(page: FinalPage): string {
  const title = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(page.body)?.[1] ?? /<title[^>]*>([\s\S]*?)<\/title>/i.exec(page.body)?.[1]
  const text = title ? decodeEntities(title.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim() : ''
  return `http-browser: ${page.status} ${describeUrl(page.url)}${text ? `: ${text}` : ''}`
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

async function main(argv: string[]): Promise<number> {
  const target = argv.at(-1)
  if (argv.length === 0 || !target) {
    process.stderr.write('usage: http-browser <url>\n')
    return 2
  }
  try {
    const page = await followAuthorizationRedirects(new URL(target))
    // The page title and text come from whichever server the redirects ended at.
    process.stderr.write(`${toTerminalText(summarizePage(page))}\n`)
    return page.status < 400 ? 0 : 1
  } catch (error) {
    const cause = (error as Error).cause as {code?: string; message?: string} | undefined
    const reason = cause ? ` (${cause.code ?? cause.message})` : ''
    process.stderr.write(`${toTerminalText(`http-browser: ${(error as Error).message}${reason}`)}\n`)
    return 1
  }
}

function isMainModule(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMainModule()) {
  process.exitCode = await main(process.argv.slice(2))
}
