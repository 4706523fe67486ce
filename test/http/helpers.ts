import {PassThrough, Writable} from 'node:stream'
import {createContext, type Context} from '../../src/context.js'
import type {LoadedLogin} from '../../src/session/session.js'
import {createIO, type IO} from '../../src/io.js'
import {sandboxPreset} from '../../src/providers/presets.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'

export interface CapturedIO {
  io: IO
  stdout(): string
  stdoutBytes(): Buffer
  stderr(): string
}

/** An IO whose stdout and stderr are captured; `tty` makes stdout (and stderr) look like a terminal. */
export function captureIO(options: {tty?: boolean; stdin?: string | Buffer} = {}): CapturedIO {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const sink = (into: Buffer[]) =>
    new Writable({
      write(chunk, _encoding, callback) {
        into.push(Buffer.from(chunk))
        callback()
      },
    })
  const stdin = new PassThrough()
  stdin.end(options.stdin ?? '')
  const tty = Boolean(options.tty)
  const io = createIO(sink(out), sink(err), stdin, {stdoutIsTTY: tty, stderrIsTTY: tty, stdinIsTTY: false})
  return {
    io,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stdoutBytes: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString('utf8'),
  }
}

export const API_ORIGIN = 'http://127.0.0.1:9000'

/** A logged-in sandbox login whose token lives in memory. */
export function fakeLogin(accessToken = 'token-abc'): LoadedLogin {
  const preset = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: API_ORIGIN})
  const store = new MemoryTokenStore({'sandbox:default': {accessToken}})
  return {
    target: {provider: 'sandbox', profile: 'default', key: 'sandbox:default'},
    preset,
    record: {provider: 'sandbox', profile: 'default', store: 'memory', scopes: [], obtainedAt: 0, hasRefreshToken: false, grant: 'authorization_code'},
    store,
  }
}

export interface Sent {
  url: string
  method: string
  headers: Headers
  body?: string
}

/** A Context whose fetch answers from `respond` and records every request. */
export function fakeContext(respond: (request: Sent, index: number) => Response | Promise<Response>, io: IO = captureIO().io): {ctx: Context; sent: Sent[]} {
  const sent: Sent[] = []
  const fetch = (async (input: URL | string, init: RequestInit = {}) => {
    const request: Sent = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: init.body === undefined || init.body === null ? undefined : Buffer.from(init.body as Uint8Array).toString('utf8'),
    }
    sent.push(request)
    return respond(request, sent.length - 1)
  }) as typeof globalThis.fetch
  return {ctx: createContext({io, fetch, env: {}, configDir: '/nonexistent', debugEnabled: false}), sent}
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {status: 200, ...init, headers: {'content-type': 'application/json', ...(init.headers as Record<string, string>)}})
}
