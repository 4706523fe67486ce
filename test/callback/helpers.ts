import {request} from 'node:http'
import {createServer} from 'node:net'

export interface Answer {
  status: number
  headers: Headers
  body: string
}

export async function get(url: URL | string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, {redirect: 'manual', ...init})
  return {status: response.status, headers: response.headers, body: await response.text()}
}

/** A raw request, for what fetch refuses to send (a foreign Host header). */
export function rawRequest(port: number, path: string, headers: Record<string, string>, host = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path, headers}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        const h = new Headers()
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v)
        resolve({status: res.statusCode ?? 0, headers: h, body})
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** True when nothing listens on host:port any more (we can bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen({host, port, exclusive: true}, () => probe.close(() => resolve(true)))
  })
}

/** Resolves with the connection error code, or 'connected'. */
export function tryConnect(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const req = request({host, port, path: '/', method: 'GET'}, (res) => {
      res.resume()
      resolve('connected')
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    req.end()
  })
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('waitFor: timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}
