import {UsageError} from '../errors.js'
import {LiteHeaders} from './lite.js'

/** An RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Parses `-H 'Name: value'` arguments. A malformed header, or one oauthctl owns (`Authorization`: the
 * stored token is the point of the tool), is a usage error (exit 2).
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
    if (name.toLowerCase() === 'authorization') {
      throw new UsageError('-H Authorization is not allowed: oauthctl sends the stored token', {
        hint: 'To send another credential, use curl with -H "Authorization: ..." instead.',
      })
    }
    headers.append(name, value)
  }
  return headers
}

/** `--content-type` first, then a `-H Content-Type`, then the default for the body. */
export function chooseContentType(headers: Headers, flag: string | undefined, fallback: string): void {
  if (flag !== undefined) headers.set('content-type', flag)
  else if (!headers.has('content-type')) headers.set('content-type', fallback)
}
