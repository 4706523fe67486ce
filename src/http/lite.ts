import {Buffer} from 'node:buffer'
import {parseJsonSafely} from '../util/safe-object.js'
import {LiteBody} from './lite-body.js'

/**
 * Minimal `Headers` and `Response` for oauthctl's own HTTP path. Node 20 implements the standard ones in
 * undici, and merely touching `Headers` loads it: about 19 ms, a fifth of `oauthctl get`'s whole budget.
 * These cover what oauthctl uses (case-insensitive headers, `getSetCookie`, iteration; a body, see
 * lite-body.ts, with `text`/`json`/`arrayBuffer`). openid-client checks for real `Response` objects, so its
 * requests get them from {@link toStandardResponse}.
 */

type HeadersLike = Iterable<[string, string]> | Record<string, string | string[] | undefined> | {forEach(cb: (value: string, name: string) => void): void}

export class LiteHeaders implements Iterable<[string, string]> {
  readonly #values = new Map<string, string[]>()

  constructor(init?: HeadersLike | null) {
    if (!init) return
    if (init instanceof LiteHeaders || (typeof (init as {forEach?: unknown}).forEach === 'function' && !Array.isArray(init))) {
      ;(init as {forEach(cb: (value: string, name: string) => void): void}).forEach((value, name) => this.append(name, value))
    } else if (Symbol.iterator in (init as object)) {
      for (const [name, value] of init as Iterable<[string, string]>) this.append(name, value)
    } else {
      for (const [name, value] of Object.entries(init as Record<string, string | string[] | undefined>)) {
        if (Array.isArray(value)) for (const item of value) this.append(name, item)
        else if (value !== undefined) this.append(name, value)
      }
    }
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase()
    const list = this.#values.get(key)
    if (list) list.push(String(value))
    else this.#values.set(key, [String(value)])
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), [String(value)])
  }

  get(name: string): string | null {
    const list = this.#values.get(name.toLowerCase())
    return list ? list.join(', ') : null
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase())
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase())
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])]
  }

  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void): void {
    for (const [name, value] of this) callback(value, name, this)
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const list = this.#values.get(name) as string[]
      if (name === 'set-cookie') for (const value of list) yield [name, value]
      else yield [name, list.join(', ')]
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
}

export class LiteResponse {
  readonly ok: boolean
  #used = false

  constructor(
    readonly body: ReadableStream<Uint8Array> | LiteBody | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: LiteHeaders,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300
  }

  get bodyUsed(): boolean {
    return this.#used
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes()
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  }

  async text(): Promise<string> {
    return (await this.#bytes()).toString('utf8')
  }

  async json(): Promise<unknown> {
    return parseJsonSafely(await this.text())
  }

  async #bytes(): Promise<Buffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read')
    this.#used = true
    if (!this.body) return Buffer.alloc(0)
    const chunks: Uint8Array[] = []
    for await (const chunk of this.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk)
    return Buffer.concat(chunks)
  }
}

/** A standard `Response` with the same status, headers and (unread) body, for code that checks its class. */
export function toStandardResponse(response: Response | LiteResponse): Response {
  if (!(response instanceof LiteResponse)) return response
  const standard = new Response(response.body instanceof LiteBody ? response.body.toWeb() : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
  })
  Object.defineProperty(standard, 'url', {value: response.url})
  return standard
}
