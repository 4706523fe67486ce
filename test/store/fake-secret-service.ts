// A fake session bus with a fake Secret Service behind it, on a unix socket, for the cases a real
// gnome-keyring cannot be made to show on demand: locked or duplicate items, error replies, refused
// authentication, a bus that never answers. It speaks just enough D-Bus for the pure-JS reader.
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {decodeMessage, Field, messageLength, MessageType, NO_AUTO_START} from '../../src/store/dbus-message.js'
import {DbusWriter} from '../../src/store/dbus-wire.js'
import type {DbusValue, Variant} from '../../src/store/dbus-wire.js'

export interface FakeSecretService {
  /** What the fake does at each step. */
  auth?: 'ok' | 'reject' | 'silent'
  /** Answers SearchItems with these item paths. */
  unlocked?: string[]
  locked?: string[]
  /** Plain-text secrets by item path. */
  secrets?: Record<string, string | Buffer>
  /** A member answered with an error reply, or never answered. */
  errorOn?: string
  silentOn?: string
  /** Refuses the `plain` session algorithm (NotSupported), as a Secret Service that insists on encryption would. */
  refusePlain?: boolean
  /** Answers GetSecrets with these Secret parameters (empty for `plain`, as the spec says). */
  parameters?: Buffer
  /**
   * The Secret Service is not running but can be started: a call with NO_AUTO_START gets the bus's
   * `ServiceUnknown`, as dbus-daemon answers then; a call without it starts the service (answered normally).
   */
  notRunning?: boolean
}

export interface FakeBus {
  address: string
  /** Every member called, in order ("Hello", "OpenSession", ...), each call's header flags, and the SearchItems attributes. */
  calls: string[]
  flags: number[]
  searches: [string, string][][]
  close(): Promise<void>
}

const SESSION = '/org/freedesktop/secrets/session/fake1'

export async function startFakeBus(behaviour: FakeSecretService): Promise<FakeBus> {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-fake-bus-'))
  const path = join(dir, 'bus')
  const calls: string[] = []
  const flags: number[] = []
  const searches: [string, string][][] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    serve(socket, behaviour, calls, flags, searches)
  })
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return {
    address: `unix:path=${path},guid=0123456789abcdef0123456789abcdef`,
    calls,
    flags,
    searches,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

function serve(socket: Socket, behaviour: FakeSecretService, calls: string[], flags: number[], searches: [string, string][][]): void {
  let buffer = Buffer.alloc(0)
  let begun = false
  let running = !behaviour.notRunning
  let serial = 100
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    while (!begun) {
      const end = buffer.indexOf('\r\n')
      if (end < 0) return
      const line = buffer.toString('latin1', 0, end).replace(/^\0/, '')
      buffer = buffer.subarray(end + 2)
      if (behaviour.auth === 'silent') return
      if (line.startsWith('AUTH')) socket.write(behaviour.auth === 'reject' ? 'REJECTED EXTERNAL\r\n' : 'OK 0123456789abcdef0123456789abcdef\r\n')
      else if (line === 'BEGIN') begun = true
    }
    for (let length = messageLength(buffer); length !== undefined; length = messageLength(buffer)) {
      const call = decodeMessage(buffer.subarray(0, length))
      buffer = buffer.subarray(length)
      const member = call.member ?? ''
      calls.push(member)
      flags.push(call.flags)
      if (member === behaviour.silentOn || member === 'Close') continue
      const reply = (signature: string, body: DbusValue[]) => socket.write(encodeReply(++serial, call.serial, signature, body))
      const toSecretService = call.path?.startsWith('/org/freedesktop/secrets') === true
      if (toSecretService && !running && call.flags & NO_AUTO_START) {
        socket.write(encodeReply(++serial, call.serial, 's', ['The name org.freedesktop.secrets was not provided by any .service files'], 'org.freedesktop.DBus.Error.ServiceUnknown'))
        continue
      }
      if (toSecretService) running = true
      if (member === behaviour.errorOn) {
        socket.write(encodeReply(++serial, call.serial, 's', ['no'], 'org.freedesktop.DBus.Error.NotSupported'))
      } else if (member === 'Hello') {
        reply('s', [':1.42'])
      } else if (member === 'OpenSession') {
        if (call.body[0] !== 'plain' || behaviour.refusePlain) {
          socket.write(encodeReply(++serial, call.serial, 's', ['Algorithm is not supported'], 'org.freedesktop.DBus.Error.NotSupported'))
        } else {
          reply('vo', [{signature: 's', value: ''}, SESSION])
        }
      } else if (member === 'SearchItems') {
        searches.push(call.body[0] as [string, string][])
        reply('aoao', [behaviour.unlocked ?? [], behaviour.locked ?? []])
      } else if (member === 'GetSecrets') {
        const entries = (call.body[0] as string[]).map((item) => {
          const secret = behaviour.secrets?.[item] ?? ''
          const value = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret
          return [item, [SESSION, behaviour.parameters ?? Buffer.alloc(0), value, 'text/plain']]
        })
        reply('a{o(oayays)}', [entries])
      }
    }
  })
}

function encodeReply(serial: number, replySerial: number, signature: string, body: DbusValue[], errorName?: string): Buffer {
  const payload = new DbusWriter()
  payload.write(signature, body)
  const fields: [number, Variant][] = [
    [Field.replySerial, {signature: 'u', value: replySerial}],
    [Field.signature, {signature: 'g', value: signature}],
  ]
  if (errorName) fields.push([Field.errorName, {signature: 's', value: errorName}])
  const header = new DbusWriter()
  header.write('yyyyuua(yv)', [0x6c, errorName ? MessageType.error : MessageType.methodReturn, 0, 1, payload.length, serial, fields])
  header.align(8)
  return Buffer.concat([header.toBuffer(), payload.toBuffer()])
}
