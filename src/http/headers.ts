import {UsageError} from '../errors.js'
import {isPrototypeKey} from '../util/safe-object.js'
import {LiteHeaders} from './lite.js'

/** An RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** Printable ASCII, space and tab: what every server and proxy reads the same way (RFC 9110 §5.5). */
const SAFE_VALUE = /^[\t\x20-\x7e]*$/

/**
 * Headers that belong to the connection or the transport, not to the request: oauthctl (Node's HTTP
 * client) sets them, and a second value lets the request be read differently by a proxy and the server
 * (request smuggling) or sends the token to another virtual host.
 * @see RFC 9110 §7.2 (Host), §7.6.1 (Connection and the fields it names), §7.8 (Upgrade), §8.6 (Content-Length)
 * @see RFC 9112 §6.1 (Transfer-Encoding), RFC 9110 §10.1.4 (TE), §6.6.2 (Trailer)
 */
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
])

/**
 * Parses `-H 'Name: value'` arguments. A malformed header, a value that is not printable ASCII, one
 * oauthctl owns (`Authorization`: the stored token is the point of the tool), or one that belongs to the
 * connection (`Host`, `Connection`, `Transfer-Encoding`, `Proxy-*`, ...) is a usage error (exit 2).
 */
export function parseHeaders(lines: string[]): Headers {
  // LiteHeaders, not Headers: the standard class would load undici on every `oauthctl get` (see lite.ts).
  const headers = new LiteHeaders() as unknown as Headers
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = colon < 0 ? '' : line.slice(0, colon).trim()
    const value = colon < 0 ? '' : line.slice(colon + 1).trim()
    if (!TOKEN.test(name)) throw new UsageError(`bad header "${line}": expected "Name: value"`)
    if (/[\r\n\0]/.test(value)) throw new UsageError(`bad header "${name}": the value may not contain line breaks`)
    if (!SAFE_VALUE.test(value)) {
      throw new UsageError(`bad header "${name}": the value may contain only printable ASCII characters`, {
        hint: 'Encode other text first (percent-encoding, or RFC 8187 for parameters such as filename*=UTF-8\'\'...).',
      })
    }
    const lower = name.toLowerCase()
    if (lower === 'authorization') {
      throw new UsageError('-H Authorization is not allowed: oauthctl sends the stored token', {
        hint: 'To send another credential, use curl with -H "Authorization: ..." instead.',
      })
    }
    if (TRANSPORT_HEADERS.has(lower) || lower.startsWith('proxy-')) {
      throw new UsageError(`-H ${name} is not allowed: it belongs to the connection, which oauthctl manages`, {
        hint: lower === 'host' ? 'Put the host in the URL instead (it must be an allowed API host, see --allow-host).' : 'Leave it out; oauthctl sets what the request needs.',
      })
    }
    if (isPrototypeKey(lower)) throw new UsageError(`bad header "${name}": that name is refused`)
    headers.append(name, value)
  }
  return headers
}

/** `--content-type` first, then a `-H Content-Type`, then the default for the body. */
export function chooseContentType(headers: Headers, flag: string | undefined, fallback: string): void {
  if (flag !== undefined && !SAFE_VALUE.test(flag)) throw new UsageError('--content-type may contain only printable ASCII characters')
  if (flag !== undefined) headers.set('content-type', flag)
  else if (!headers.has('content-type')) headers.set('content-type', fallback)
}
