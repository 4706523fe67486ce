import {AuthorizationError} from '../errors.js'
import type {LiteResponse} from './lite.js'

/**
 * The most oauthctl reads from an authorization server in one answer (token, device authorization,
 * discovery, registration, introspection, revocation, userinfo). Real answers are a few kilobytes; a
 * 50 MB token response once cost 568 MB of memory.
 */
export const MAX_AUTH_SERVER_RESPONSE_BYTES = 1024 * 1024

/** An answer from the authorization server that is larger than oauthctl accepts (exit 5). */
export class ResponseTooLargeError extends AuthorizationError {
  constructor(url: string, limit: number) {
    super(
      `the answer from ${describeUrl(url)} is larger than ${formatBytes(limit)}; oauthctl refused it and stored nothing`,
      {hint: 'The server is misbehaving (or is not the one you meant); check the provider configuration.'},
      'response_too_large',
    )
  }
}

/**
 * Reads a response's body with a size cap and returns a standard `Response` holding it. A
 * `Content-Length` over the cap is refused before reading; otherwise reading stops (and the connection is
 * dropped) as soon as the cap is passed, so memory never holds more than `limit` bytes of it.
 * @throws ResponseTooLargeError
 */
export async function limitResponseBody(response: Response | LiteResponse, url: string, limit = MAX_AUTH_SERVER_RESPONSE_BYTES): Promise<Response> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {})
    throw new ResponseTooLargeError(url, limit)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  if (response.body) {
    const reader = response.body.getReader()
    for (;;) {
      const {done, value} = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        await reader.cancel().catch(() => {})
        throw new ResponseTooLargeError(url, limit)
      }
      chunks.push(value)
    }
  }
  const headers = new Headers()
  for (const [name, value] of response.headers as Iterable<[string, string]>) headers.append(name, value)
  headers.delete('content-encoding')
  const nullBody = response.status === 204 || response.status === 205 || response.status === 304
  const limited = new Response(nullBody ? null : Buffer.concat(chunks), {status: response.status, statusText: response.statusText, headers})
  Object.defineProperty(limited, 'url', {value: response.url || url})
  return limited
}

/** A fetch whose answers are read through {@link limitResponseBody}. */
export function withResponseLimit(baseFetch: typeof fetch, limit = MAX_AUTH_SERVER_RESPONSE_BYTES): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    return limitResponseBody(await baseFetch(input, init), url, limit)
  }) as typeof fetch
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.origin + parsed.pathname
  } catch {
    return 'the authorization server'
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`
}
