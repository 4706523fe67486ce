import type {ClientRequest, IncomingMessage} from 'node:http'
import {LiteBody} from './lite-body.js'
import {createWatchdog, HttpTimeoutError, type HttpTimeouts, type Watchdog} from './timeouts.js'

/*
 * The connect and idle timers of nodeFetch (see node-fetch.ts): around the request, while its body is
 * written, and while its response body is read.
 */

/** Bodies are written in pieces, so that a slow but moving upload keeps the idle timer from firing. */
const WRITE_CHUNK = 64 * 1024

/** Writes a request body and ends the request, re-arming the idle timer as each piece leaves. */
export async function writeBody(req: ClientRequest, body: Uint8Array | undefined, idle: Watchdog): Promise<void> {
  if (!body || body.byteLength <= WRITE_CHUNK) {
    req.end(body)
    return
  }
  for (let offset = 0; offset < body.byteLength; offset += WRITE_CHUNK) {
    if (req.destroyed) return
    const more = req.write(body.subarray(offset, offset + WRITE_CHUNK), () => idle.arm())
    if (!more) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          req.off('drain', done)
          req.off('close', done)
          resolve()
        }
        req.on('drain', done)
        req.on('close', done)
      })
    }
  }
  if (!req.destroyed) req.end()
}

/**
 * Starts the connect timer for a request and, once connected, the idle timer, which runs until the answer
 * (`response`, or `connect` for a proxy CONNECT) arrives. The returned watchdog is the idle timer: re-arm it
 * on progress (each piece of the request body written).
 */
export function guardRequest(req: ClientRequest, host: string, timeouts: HttpTimeouts): Watchdog {
  let connected = false
  const idleTimer = createWatchdog(timeouts.idleMs, () => req.destroy(new HttpTimeoutError('idle', host, timeouts.idleMs)))
  const connectTimer = createWatchdog(timeouts.connectMs, () => req.destroy(new HttpTimeoutError('connect', host, timeouts.connectMs)))
  let answered = false
  const stop = (): void => {
    answered = true
    connectTimer.stop()
    idleTimer.stop()
  }
  connectTimer.arm()
  req.once('socket', (socket) => {
    const onConnect = (): void => {
      connectTimer.stop()
      if (answered || req.destroyed) return
      connected = true
      idleTimer.arm()
    }
    if (socket.connecting) socket.once('connect', onConnect)
    else onConnect()
  })
  for (const event of ['response', 'connect', 'error', 'close']) req.once(event, stop)
  return {
    arm: () => {
      if (connected && !answered) idleTimer.arm()
    },
    stop,
  }
}

/** How much of a body is read ahead of the consumer (as Readable.toWeb would). */
const READ_AHEAD_BYTES = 64 * 1024

/**
 * A response body as a {@link LiteBody}. It reads ahead up to {@link READ_AHEAD_BYTES}, so a small body that
 * is never read still ends and frees its connection (the process can exit); the idle timer runs only while
 * the body is asking for data, never while a slow stdout holds the reader back with the read-ahead full.
 */
export function bodyStream(res: IncomingMessage, host: string, idleMs: number, signal?: AbortSignal): LiteBody {
  let failure: unknown
  let ended = false
  const idle = createWatchdog(idleMs, () => {
    failure ??= new HttpTimeoutError('idle', host, idleMs)
    res.destroy()
    fill()
  })
  const body = new LiteBody(
    {
      demand: () => fill(),
      cancel: () => {
        idle.stop()
        res.destroy()
      },
    },
    READ_AHEAD_BYTES,
  )
  const {sink} = body
  // Chunks first, then a failure, then the end: what was received before a break is still delivered.
  function fill(): void {
    while (sink.wantsMore()) {
      const chunk = res.read() as Buffer | null
      if (chunk === null) break
      sink.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    }
    if (!sink.wantsMore()) return idle.stop()
    if (failure !== undefined) {
      idle.stop()
      return sink.fail(failure)
    }
    if (ended) {
      idle.stop()
      return sink.end()
    }
    idle.arm()
  }
  res.on('readable', fill)
  res.once('end', () => {
    ended = true
    fill()
  })
  res.on('error', (error) => {
    failure ??= error
    fill()
  })
  res.once('close', () => {
    if (!ended) failure ??= signal?.aborted ? signal.reason : Object.assign(new Error('aborted'), {code: 'ECONNRESET'})
    fill()
  })
  fill()
  return body
}
