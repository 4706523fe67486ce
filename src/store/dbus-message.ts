import {DbusReader, DbusWireError, DbusWriter} from './dbus-wire.js'
import type {DbusValue, Variant} from './dbus-wire.js'

/**
 * D-Bus messages: encoding a method call, framing and decoding what the bus sends back.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol-messages
 */

/** D-Bus message types (header byte 1). */
export const MessageType = {methodCall: 1, methodReturn: 2, error: 3, signal: 4} as const

/** Header flag: the caller does not want a reply. */
export const NO_REPLY_EXPECTED = 0x1

/** Header field codes. */
export const Field = {path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, sender: 7, signature: 8} as const

/** A method call to send. */
export interface MethodCall {
  destination: string
  path: string
  interface: string
  member: string
  signature?: string
  body?: readonly DbusValue[]
  flags?: number
}

/** A message received: a reply (`replySerial`), an error (`errorName`) or a signal. */
export interface DbusMessage {
  type: number
  serial: number
  replySerial?: number
  errorName?: string
  path?: string
  interface?: string
  member?: string
  signature: string
  body: DbusValue[]
}

/** Encodes a method call (little-endian, protocol version 1). */
export function encodeMethodCall(call: MethodCall, serial: number): Buffer {
  const body = new DbusWriter()
  if (call.signature) body.write(call.signature, call.body ?? [])
  const fields: [number, Variant][] = [
    [Field.path, {signature: 'o', value: call.path}],
    [Field.interface, {signature: 's', value: call.interface}],
    [Field.member, {signature: 's', value: call.member}],
    [Field.destination, {signature: 's', value: call.destination}],
  ]
  if (call.signature) fields.push([Field.signature, {signature: 'g', value: call.signature}])
  const header = new DbusWriter()
  header.write('yyyyuua(yv)', ['l'.charCodeAt(0), MessageType.methodCall, call.flags ?? 0, 1, body.length, serial, fields])
  header.align(8)
  return Buffer.concat([header.toBuffer(), body.toBuffer()])
}

/** The length of the first complete message in `buffer`, or undefined when more bytes are needed. */
export function messageLength(buffer: Buffer): number | undefined {
  if (buffer.length < 16) return undefined
  const little = littleEndianOf(buffer)
  const bodyLength = little ? buffer.readUInt32LE(4) : buffer.readUInt32BE(4)
  const fieldsLength = little ? buffer.readUInt32LE(12) : buffer.readUInt32BE(12)
  const total = 16 + fieldsLength + ((8 - (fieldsLength % 8)) % 8) + bodyLength
  // The specification caps a message at 128 MiB; anything near that is not a Secret Service reply.
  if (total > 64 * 1024 * 1024) throw new DbusWireError('message too long')
  return buffer.length >= total ? total : undefined
}

/** Decodes one complete message (see {@link messageLength}). */
export function decodeMessage(buffer: Buffer): DbusMessage {
  const reader = new DbusReader(buffer, littleEndianOf(buffer))
  const [, type, , version, , serial, fields] = reader.read('yyyyuua(yv)') as [number, number, number, number, number, number, [number, Variant][]]
  if (version !== 1) throw new DbusWireError(`D-Bus protocol version ${version}`)
  const field = (code: number) => fields.find(([fieldCode]) => fieldCode === code)?.[1].value
  const signature = (field(Field.signature) as string | undefined) ?? ''
  reader.align(8)
  return {
    type,
    serial,
    replySerial: field(Field.replySerial) as number | undefined,
    errorName: field(Field.errorName) as string | undefined,
    path: field(Field.path) as string | undefined,
    interface: field(Field.interface) as string | undefined,
    member: field(Field.member) as string | undefined,
    signature,
    body: signature ? reader.read(signature) : [],
  }
}

function littleEndianOf(buffer: Buffer): boolean {
  const mark = String.fromCharCode(buffer[0]!)
  if (mark !== 'l' && mark !== 'B') throw new DbusWireError(`bad endianness mark ${JSON.stringify(mark)}`)
  return mark === 'l'
}
