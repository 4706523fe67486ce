import {decodeMessage, encodeMethodCall, messageLength, MessageType, NO_REPLY_EXPECTED} from './dbus-message.js'
import type {DbusMessage, MethodCall} from './dbus-message.js'
import {DbusWireError} from './dbus-wire.js'
import type {DbusValue} from './dbus-wire.js'
import {socketPathOf} from './dbus-address.js'
import {authenticationText} from './dbus-auth.js'
import {connectUnixSocket, type ByteSocket} from './unix-socket.js'

/**
 * A minimal D-Bus client connection for a handful of method calls: one unix socket (`unix:path=` or
 * `unix:abstract=`), SASL `EXTERNAL` authentication with the process's uid, `Hello`, then calls matched to
 * their replies by serial. Signals are ignored. The caller owns the connection and must {@link close} it.
 *
 * The authentication lines are sent in one go with `BEGIN` and `Hello` (as sd-bus does): the server
 * answers `OK <guid>` and reads the messages that follow `BEGIN`. On the descriptor socket (unix-socket.ts)
 * every call is written at once, so what a caller sends right after {@link open} is on its way while the
 * caller goes on with other work.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#auth-protocol
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#transports-unix-domain-sockets-addresses
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#bus-messages-hello
 */
export class DbusConnection {
  readonly #socket: ByteSocket
  #serial = 0
  #authenticated = false
  #received: Buffer = Buffer.alloc(0)
  #failure?: Error
  readonly #pending = new Map<number, {resolve: (message: DbusMessage) => void; reject: (error: Error) => void}>()

  private constructor(socket: ByteSocket) {
    this.#socket = socket
    socket.start(
      (chunk) => this.#onData(chunk),
      (error) => this.#fail(error),
    )
  }

  /**
   * Connects to a bus address and says `Hello`; the returned promise of the Hello reply is not awaited, calls
   * can follow at once. Throws UnsupportedBusAddressError (dbus-address.ts) for addresses this client does
   * not speak.
   */
  static open(address: string, uid: number, env: NodeJS.ProcessEnv = process.env): DbusConnection {
    const socket = connectUnixSocket(socketPathOf(address), env)
    const connection = new DbusConnection(socket)
    const serial = ++connection.#serial
    connection.#expect(serial, HELLO.member).catch(() => {})
    try {
      socket.write(Buffer.concat([Buffer.from(authenticationText(uid), 'latin1'), encodeMethodCall(HELLO, serial)]))
    } catch (error) {
      socket.destroy()
      throw error
    }
    return connection
  }

  /**
   * Takes over a socket on which somebody already wrote the authentication lines (dbus-auth.ts) and then method calls
   * with serials 1, 2, ..., each expecting a reply: `written` names their members, Hello first. Resolves
   * their replies as {@link call} would.
   */
  static adopt(socket: ByteSocket, written: readonly string[]): {connection: DbusConnection; replies: Promise<DbusValue[]>[]} {
    if (written[0] !== HELLO.member) throw new Error('an adopted D-Bus connection must have said Hello first')
    const connection = new DbusConnection(socket)
    const replies = written.map((member) => connection.#expect(++connection.#serial, member))
    replies[0]!.catch(() => {})
    return {connection, replies}
  }

  /**
   * Sends a method call; resolves with the reply's body, rejects with a {@link DbusCallError} for an error
   * reply. `andThen`, a call that wants no reply (as {@link send}), leaves in the same write, after it.
   */
  call(call: MethodCall, andThen?: MethodCall): Promise<DbusValue[]> {
    if (this.#failure) return Promise.reject(this.#failure)
    const serial = ++this.#serial
    const reply = this.#expect(serial, call.member)
    const message = encodeMethodCall(call, serial)
    // A failed write fails `reply` too, with the connection.
    this.#write(andThen ? Buffer.concat([message, this.#encodeWithoutReply(andThen)]) : message)
    return reply
  }

  /** Sends a call that expects no reply (flag NO_REPLY_EXPECTED). */
  send(call: MethodCall): void {
    if (!this.#failure) this.#write(this.#encodeWithoutReply(call))
  }

  #encodeWithoutReply(call: MethodCall): Buffer {
    return encodeMethodCall({...call, flags: (call.flags ?? 0) | NO_REPLY_EXPECTED}, ++this.#serial)
  }

  /** The reply to the call with this serial: its body, or a {@link DbusCallError} (`member` names the call). */
  #expect(serial: number, member: string): Promise<DbusValue[]> {
    return new Promise<DbusMessage>((resolve, reject) => this.#pending.set(serial, {resolve, reject})).then((reply) => {
      if (reply.type === MessageType.error) {
        throw new DbusCallError(reply.errorName ?? 'org.freedesktop.DBus.Error.Failed', String(reply.body[0] ?? ''), member)
      }
      return reply.body
    })
  }

  /** Writes, or fails the connection (a write the descriptor socket cannot make at once is a failure). */
  #write(data: Buffer): void {
    try {
      this.#socket.write(data)
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)))
      this.#socket.destroy()
    }
  }

  /**
   * Ends the connection (after the data written so far) and fails calls still waiting. The socket no
   * longer holds the process: a command that has its secret exits without waiting for the bus to finish
   * closing (the kernel ends the connection with the process; ~0.7 ms per `oauthctl token`).
   */
  close(): void {
    this.#socket.close()
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

/** `Hello`, the first call on every connection to a message bus. */
const HELLO = {destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello'} as const

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
