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

/** Header flag: the bus must not start (activate) the destination's service for this call. */
export const NO_AUTO_START = 0x2

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
  /** Header flags (NO_REPLY_EXPECTED, NO_AUTO_START, ...). */
  flags: number
  serial: number
  replySerial?: number
  errorName?: string
  path?: string
  interface?: string
  member?: string
  signature: string
  body: DbusValue[]
}

/**
 * Encodes a method call (little-endian, protocol version 1): the header's fields are written as what they
 * always are, `a(yv)` of a code and a variant of one basic type, without the generic marshaller (see
 * DbusWriter), and the body follows in the same buffer.
 */
export function encodeMethodCall(call: MethodCall, serial: number): Buffer {
  const writer = new DbusWriter()
  writer.byte(0x6c) // 'l'
  writer.byte(MessageType.methodCall)
  writer.byte(call.flags ?? 0)
  writer.byte(1)
  const bodyLengthAt = writer.length
  writer.uint32(0)
  writer.uint32(serial)
  const fields = writer.beginArray(8)
  headerField(writer, Field.path, 'o', call.path)
  headerField(writer, Field.interface, 's', call.interface)
  headerField(writer, Field.member, 's', call.member)
  headerField(writer, Field.destination, 's', call.destination)
  if (call.signature) headerField(writer, Field.signature, 'g', call.signature)
  writer.endArray(fields)
  writer.align(8)
  const bodyStart = writer.length
  if (call.signature) writer.write(call.signature, call.body ?? [])
  writer.setUint32(bodyLengthAt, writer.length - bodyStart)
  return writer.toBuffer()
}

function headerField(writer: DbusWriter, code: number, signature: 's' | 'o' | 'g', value: string): void {
  writer.align(8)
  writer.byte(code)
  writer.signature(signature)
  if (signature === 'g') writer.signature(value)
  else writer.string(value)
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
  reader.offset = 1
  const type = reader.byte()
  const flags = reader.byte()
  const version = reader.byte()
  if (version !== 1) throw new DbusWireError(`D-Bus protocol version ${version}`)
  reader.uint32() // body length (messageLength has checked it)
  const serial = reader.uint32()
  const fieldsLength = reader.uint32()
  const fieldsEnd = reader.offset + fieldsLength
  if (fieldsEnd > buffer.length) throw new DbusWireError('message ends in the middle of its header')
  const message: DbusMessage = {type, flags, serial, signature: '', body: []}
  // a(yv): each field a code and a variant. Unknown fields are skipped, as the specification asks.
  while (reader.offset < fieldsEnd) {
    reader.align(8)
    const code = reader.byte()
    const [variant] = reader.read('v') as [Variant]
    const {signature, value} = variant
    if (code === Field.replySerial && signature === 'u') message.replySerial = value as number
    else if (signature === 's' || signature === 'o' || signature === 'g') {
      if (code === Field.errorName) message.errorName = value as string
      else if (code === Field.path) message.path = value as string
      else if (code === Field.interface) message.interface = value as string
      else if (code === Field.member) message.member = value as string
      else if (code === Field.signature) message.signature = value as string
    }
  }
  if (reader.offset !== fieldsEnd) throw new DbusWireError('header fields length does not match its fields')
  reader.align(8)
  if (message.signature) message.body = reader.read(message.signature)
  return message
}

function littleEndianOf(buffer: Buffer): boolean {
  const mark = String.fromCharCode(buffer[0]!)
  if (mark !== 'l' && mark !== 'B') throw new DbusWireError(`bad endianness mark ${JSON.stringify(mark)}`)
  return mark === 'l'
}
