import type {Socket} from 'node:net'
import {decodeMessage, encodeMethodCall, messageLength, MessageType, NO_REPLY_EXPECTED} from './dbus-message.js'
import type {DbusMessage, MethodCall} from './dbus-message.js'
import {DbusWireError} from './dbus-wire.js'
import type {DbusValue} from './dbus-wire.js'
import {loadNet} from '../util/lazy-builtins.js'
import {parseBusAddressEntry} from './dbus-address.js'

/**
 * A minimal D-Bus client connection for a handful of method calls: one unix socket (`unix:path=` or
 * `unix:abstract=`), SASL `EXTERNAL` authentication with the process's uid, `Hello`, then calls matched to
 * their replies by serial. Signals are ignored. The caller owns the connection and must {@link close} it.
 *
 * The authentication lines are sent in one go with `BEGIN` and the first messages (as sd-bus does): the
 * server answers `OK <guid>` and reads the messages that follow `BEGIN`.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#auth-protocol
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#transports-unix-domain-sockets-addresses
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#bus-messages-hello
 */
export class DbusConnection {
  readonly #socket: Socket
  #serial = 0
  #authenticated = false
  #received: Buffer = Buffer.alloc(0)
  #failure?: Error
  readonly #pending = new Map<number, {resolve: (message: DbusMessage) => void; reject: (error: Error) => void}>()

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (error) => this.#fail(error))
    socket.on('close', () => this.#fail(new Error('the D-Bus connection closed')))
  }

  /**
   * Connects to a bus address and says `Hello`; the returned promise of the Hello reply is not awaited, calls
   * can follow at once. Throws {@link UnsupportedBusAddressError} for addresses this client does not speak.
   */
  static open(address: string, uid: number): DbusConnection {
    const path = socketPathOf(address)
    const connection = new DbusConnection(loadNet().connect(path))
    const hex = Buffer.from(String(uid), 'ascii').toString('hex')
    // What is written in this tick (these lines, Hello, the caller's first calls) leaves in one write.
    connection.#socket.cork()
    process.nextTick(() => connection.#socket.uncork())
    connection.#socket.write(`\0AUTH EXTERNAL ${hex}\r\nBEGIN\r\n`)
    connection.call({destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello'}).catch(() => {})
    return connection
  }

  /** Sends a method call; resolves with the reply's body, rejects with a {@link DbusCallError} for an error reply. */
  call(call: MethodCall): Promise<DbusValue[]> {
    if (this.#failure) return Promise.reject(this.#failure)
    const serial = ++this.#serial
    this.#socket.write(encodeMethodCall(call, serial))
    return new Promise<DbusMessage>((resolve, reject) => this.#pending.set(serial, {resolve, reject})).then((reply) => {
      if (reply.type === MessageType.error) {
        throw new DbusCallError(reply.errorName ?? 'org.freedesktop.DBus.Error.Failed', String(reply.body[0] ?? ''), call.member)
      }
      return reply.body
    })
  }

  /** Sends a call that expects no reply (flag NO_REPLY_EXPECTED). */
  send(call: MethodCall): void {
    if (!this.#failure) this.#socket.write(encodeMethodCall({...call, flags: (call.flags ?? 0) | NO_REPLY_EXPECTED}, ++this.#serial))
  }

  /**
   * Ends the connection (after the data written so far) and fails calls still waiting. The socket no
   * longer holds the process: a command that has its secret exits without waiting for the bus to finish
   * closing (the kernel ends the connection with the process; ~0.7 ms per `oauthctl token`).
   */
  close(): void {
    this.#socket.end()
    this.#socket.destroySoon()
    this.#socket.unref()
    this.#fail(new Error('the D-Bus connection was closed'))
  }

  /** Closes at once, without flushing. */
  destroy(): void {
    this.#socket.destroy()
    this.#fail(new Error('the D-Bus connection was closed'))
  }

  #fail(error: Error): void {
    this.#failure ??= error
    for (const {reject} of this.#pending.values()) reject(this.#failure)
    this.#pending.clear()
  }

  #onData(chunk: Buffer): void {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk])
    try {
      if (!this.#authenticated) {
        const end = this.#received.indexOf('\r\n')
        if (end < 0) {
          if (this.#received.length > 512) throw new DbusWireError('no answer line to AUTH')
          return
        }
        const line = this.#received.toString('latin1', 0, end)
        if (!line.startsWith('OK ')) throw new DbusWireError(`the bus refused authentication: ${line.slice(0, 80)}`)
        this.#authenticated = true
        this.#received = this.#received.subarray(end + 2)
      }
      for (let length = messageLength(this.#received); length !== undefined; length = messageLength(this.#received)) {
        // Signals (NameAcquired after Hello, ...) answer nothing: skipped without decoding.
        const isSignal = this.#received[1] === MessageType.signal
        const message = isSignal ? undefined : decodeMessage(this.#received.subarray(0, length))
        this.#received = this.#received.subarray(length)
        if (!message) continue
        const waiting = message.replySerial === undefined ? undefined : this.#pending.get(message.replySerial)
        if (waiting && (message.type === MessageType.methodReturn || message.type === MessageType.error)) {
          this.#pending.delete(message.replySerial!)
          waiting.resolve(message)
        }
      }
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)))
      this.#socket.destroy()
    }
  }
}

/** An error reply (`org.freedesktop.Secret.Error.IsLocked`, `org.freedesktop.DBus.Error.ServiceUnknown`, ...). */
export class DbusCallError extends Error {
  override name = 'DbusCallError'
  constructor(
    readonly errorName: string,
    detail: string,
    member: string,
  ) {
    super(`${member}: ${errorName}${detail ? `: ${detail}` : ''}`)
  }
}

/** A bus address other than one `unix:path=` or `unix:abstract=` entry. */
export class UnsupportedBusAddressError extends Error {
  override name = 'UnsupportedBusAddressError'
}

/**
 * The socket path of a single-entry unix bus address (`unix:path=/run/user/1000/bus`,
 * `unix:abstract=/tmp/dbus-x,guid=...`); abstract names get the leading NUL Linux expects. Values are
 * %-decoded as the address syntax requires.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#addresses
 */
export function socketPathOf(address: string): string {
  const entries = address.split(';').filter(Boolean)
  const entry = entries[0]
  if (entries.length !== 1 || !entry!.startsWith('unix:')) throw new UnsupportedBusAddressError(`unsupported D-Bus address ${JSON.stringify(address)}`)
  const parsed = parseBusAddressEntry(entry!)
  if (!parsed || parsed.bare > 0) throw new UnsupportedBusAddressError(`malformed D-Bus address ${JSON.stringify(address)}`)
  const {params} = parsed
  const path = params.get('path')
  const abstract = params.get('abstract')
  if (path && abstract === undefined) return path
  if (abstract && path === undefined && process.platform === 'linux') return `\0${abstract}`
  throw new UnsupportedBusAddressError(`unsupported D-Bus address ${JSON.stringify(address)}`)
}
