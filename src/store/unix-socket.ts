import {writeSync} from 'node:fs'
import {loadNet} from '../util/lazy-builtins.js'

/**
 * A connected unix stream socket, as much of one as the D-Bus client needs: write, receive, close.
 *
 * `write` sends at once or throws (the raw socket); the node:net one queues what it cannot send yet.
 * `start` delivers what arrives, and `onEnd` once: when the peer closes, on an error, or after `destroy`.
 */
export interface ByteSocket {
  /** Which implementation this is: `descriptor` (write(2) and libuv's pipe handle) or `net` (node:net). */
  readonly kind: 'descriptor' | 'net'
  write(data: Uint8Array): void
  start(onData: (chunk: Buffer) => void, onEnd: (error: Error) => void): void
  /** Ends the connection after what was written; the socket no longer keeps the process alive. */
  close(): void
  /** Ends the connection now. */
  destroy(): void
}

/**
 * Connects to a unix socket (`\0name` is a Linux abstract one). On Linux this is {@link DescriptorSocket}
 * when Node's pipe handle is at hand, else a node:net socket.
 */
export function connectUnixSocket(path: string, env: NodeJS.ProcessEnv = process.env): ByteSocket {
  const bindings = pipeBindings(env)
  return bindings ? new DescriptorSocket(path, bindings) : new NetByteSocket(path)
}

/**
 * The socket of node:net. Loading node:net costs ~2 ms of CPU (it loads node:stream, its operators and
 * compose helpers), and making and connecting a net.Socket ~1 ms more (`npm run bench`).
 */
class NetByteSocket implements ByteSocket {
  readonly kind = 'net'
  readonly #socket: import('node:net').Socket

  constructor(path: string) {
    this.#socket = loadNet().connect(path)
  }

  write(data: Uint8Array): void {
    this.#socket.write(data)
  }

  start(onData: (chunk: Buffer) => void, onEnd: (error: Error) => void): void {
    this.#socket.on('data', onData)
    this.#socket.on('error', onEnd)
    this.#socket.on('close', () => onEnd(new Error('the connection closed')))
  }

  close(): void {
    this.#socket.end()
    this.#socket.destroySoon()
    this.#socket.unref()
  }

  destroy(): void {
    this.#socket.destroy()
  }
}

/** What {@link DescriptorSocket} uses of Node's `pipe_wrap` and `stream_wrap` bindings. */
interface PipeBindings {
  Pipe: new (type: number) => PipeHandle
  PipeConnectWrap: new () => {oncomplete?: (status: number) => void}
  socketType: number
  streamBaseState: Int32Array
  kReadBytesOrError: number
  kArrayBufferOffset: number
}

interface PipeHandle {
  readonly fd: number
  onread: (buffer: ArrayBuffer) => void
  connect(request: object, path: string): number
  readStart(): number
  readStop(): number
  close(callback?: () => void): void
  unref(): void
}

/**
 * Node's own pipe handle, from the `pipe_wrap` and `stream_wrap` bindings that `process.binding` still
 * serves (Node 20 to 24: lib/internal/bootstrap/realm.js, processBindingAllowList, with nothing on its
 * runtime-deprecated list; DEP0111 is a documentation-only deprecation). Undefined, so that node:net
 * serves instead, when anything differs from what this file expects, off Linux, or when the user asked Node
 * to report pending deprecations (`--pending-deprecation`, `NODE_PENDING_DEPRECATION=1`), which would
 * print a warning for `process.binding`.
 */
export function pipeBindings(env: NodeJS.ProcessEnv = process.env): PipeBindings | undefined {
  if (process.platform !== 'linux') return undefined
  const binding = (process as unknown as {binding?: (name: string) => unknown}).binding
  if (typeof binding !== 'function') return undefined
  if (env.NODE_PENDING_DEPRECATION === '1' || process.execArgv.includes('--pending-deprecation') || env.NODE_OPTIONS?.includes('--pending-deprecation')) {
    return undefined
  }
  try {
    const pipe = binding('pipe_wrap') as {Pipe?: unknown; PipeConnectWrap?: unknown; constants?: {SOCKET?: unknown}}
    const stream = binding('stream_wrap') as {streamBaseState?: unknown; kReadBytesOrError?: unknown; kArrayBufferOffset?: unknown}
    const {Pipe, PipeConnectWrap} = pipe
    const socketType = pipe.constants?.SOCKET
    const {streamBaseState, kReadBytesOrError, kArrayBufferOffset} = stream
    if (typeof Pipe !== 'function' || typeof PipeConnectWrap !== 'function' || typeof socketType !== 'number') return undefined
    if (!(streamBaseState instanceof Int32Array) || typeof kReadBytesOrError !== 'number' || typeof kArrayBufferOffset !== 'number') return undefined
    return {Pipe: Pipe as PipeBindings['Pipe'], PipeConnectWrap: PipeConnectWrap as PipeBindings['PipeConnectWrap'], socketType, streamBaseState, kReadBytesOrError, kArrayBufferOffset}
  } catch {
    // An older or newer Node without these bindings, or a permission model that forbids them.
    return undefined
  }
}

/**
 * A unix socket on Node's pipe handle, without node:net: connect(2) happens in the constructor (libuv
 * connects unix sockets at once and reports in the next turn of the event loop), writes are write(2) on the
 * descriptor, so they leave before the event loop runs again (what a command writes right after connecting
 * reaches the server while the command is still loading; small writes to a fresh socket never block),
 * and reads are libuv's, delivered the way node:net receives them (lib/internal/stream_base_commons.js,
 * onStreamRead: the byte count, or a negative error such as end of file, in `streamBaseState`).
 *
 * A write that the kernel does not take whole (EAGAIN) throws: callers treat it as a failed connection.
 */
export class DescriptorSocket implements ByteSocket {
  readonly kind = 'descriptor'
  readonly #handle: PipeHandle
  readonly #bindings: PipeBindings
  #onEnd?: (error: Error) => void
  #ended?: Error
  #closed = false

  constructor(path: string, bindings: PipeBindings) {
    this.#bindings = bindings
    const handle = new bindings.Pipe(bindings.socketType)
    this.#handle = handle
    const failed = (status: number) => new Error(`connect ${path.replace(/^\0/, '@')}: error ${status}`)
    const request = new bindings.PipeConnectWrap()
    request.oncomplete = (status: number) => {
      if (status < 0) this.#end(failed(status))
    }
    const status = handle.connect(request, path)
    const fd = handle.fd
    if (status < 0 || typeof fd !== 'number' || fd < 0) {
      handle.close()
      throw failed(status)
    }
  }

  write(data: Uint8Array): void {
    if (this.#ended) throw this.#ended
    for (let offset = 0; offset < data.length; ) offset += writeSync(this.#handle.fd, data, offset, data.length - offset)
  }

  /** Writes text of one byte per character (no Buffer is made here); a write the kernel takes in part throws. */
  writeLatin1(text: string): void {
    if (this.#ended) throw this.#ended
    if (writeSync(this.#handle.fd, text, null, 'latin1') !== text.length) throw new Error('the socket took part of a write')
  }

  start(onData: (chunk: Buffer) => void, onEnd: (error: Error) => void): void {
    this.#onEnd = onEnd
    if (this.#ended) return onEnd(this.#ended)
    const {streamBaseState, kReadBytesOrError, kArrayBufferOffset} = this.#bindings
    this.#handle.onread = (buffer: ArrayBuffer) => {
      const count = streamBaseState[kReadBytesOrError]!
      if (count > 0) onData(Buffer.from(buffer, streamBaseState[kArrayBufferOffset]!, count))
      else if (count < 0) this.#end(new Error(count === UV_EOF ? 'the connection closed' : `read: error ${count}`))
    }
    const status = this.#handle.readStart()
    if (status < 0) this.#end(new Error(`read: error ${status}`))
  }

  close(): void {
    this.#release()
    this.#end(new Error('the connection was closed'))
  }

  destroy(): void {
    this.close()
  }

  #end(error: Error): void {
    if (this.#ended) return
    this.#ended = error
    this.#release()
    this.#onEnd?.(error)
  }

  #release(): void {
    if (this.#closed) return
    this.#closed = true
    // close() stops reading too. (`onread` is left as it is: the binding only accepts a function there,
    // and asserts, ending the process, on anything else.)
    this.#handle.close()
  }
}

/** libuv's end-of-file status (UV_EOF, the same on every platform). */
const UV_EOF = -4095
