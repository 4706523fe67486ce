import type {IncomingMessage, ServerResponse} from 'node:http'
import {PAGE_HEADERS} from './pages.js'

/** A request body larger than this is refused with 413 (the sandbox is not a file server). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body larger than ${MAX_BODY_BYTES} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/** Reads the whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > limit) throw new BodyTooLargeError()
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads an `application/x-www-form-urlencoded` body (what HTML forms post). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, 64 * 1024))
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {...PAGE_HEADERS, 'content-length': String(Buffer.byteLength(html))})
  res.end(html)
}

export function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, {location, 'content-length': '0', 'cache-control': 'no-store'})
  res.end()
}
