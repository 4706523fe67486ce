/**
 * The D-Bus wire format, as far as a read-only Secret Service client needs it: marshalling of the basic
 * types `y b u i s o g`, arrays `a`, structs `(...)`, dict entries `{..}` and variants `v`. Values: numbers
 * for `y b u i` (`b` as boolean), strings for `s o g`, a Buffer for `ay`, an array for other arrays and for
 * structs, a `[key, value]` pair for a dict entry, a {@link Variant} for `v`. Messages are in dbus-message.ts.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol-marshaling
 */

/** A `v` value: the signature of one complete type, and the value. */
export interface Variant {
  signature: string
  value: unknown
}

export type DbusValue = unknown

/** A malformed message or signature: the reader gives up and lets the native keyring answer. */
export class DbusWireError extends Error {
  override name = 'DbusWireError'
}

const ALIGNMENT: Record<string, number> = {y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, s: 4, o: 4, g: 1, a: 4, '(': 8, '{': 8, v: 1, h: 4}

/** Splits a signature into its complete types ("a{ss}o" -> ["a{ss}", "o"]). Do not change the result: it is shared. */
export function splitSignature(signature: string): readonly string[] {
  let types = splitSignatures.get(signature)
  if (!types) {
    const split: string[] = []
    let index = 0
    while (index < signature.length) {
      const end = completeTypeEnd(signature, index)
      split.push(signature.slice(index, end))
      index = end
    }
    types = split
    // A handful of signatures recur (a message's header fields, a reply's body); a hostile peer's stay few
    // enough, as a message holds at most 64 KiB of them.
    if (splitSignatures.size < 256) splitSignatures.set(signature, types)
  }
  return types
}

const splitSignatures = new Map<string, readonly string[]>()

function completeTypeEnd(signature: string, start: number): number {
  const code = signature[start]
  if (code === 'a') return completeTypeEnd(signature, start + 1)
  if (code === '(' || code === '{') {
    const close = code === '(' ? ')' : '}'
    let index = start + 1
    while (signature[index] !== close) {
      if (index >= signature.length) throw new DbusWireError(`unterminated ${code} in signature ${JSON.stringify(signature)}`)
      index = completeTypeEnd(signature, index)
    }
    return index + 1
  }
  if (code === undefined || !(code in ALIGNMENT)) throw new DbusWireError(`unsupported type ${JSON.stringify(code)} in signature ${JSON.stringify(signature)}`)
  return start + 1
}

/**
 * Marshals values into a little-endian body whose offset 0 is 8-aligned in the message. Runs once or twice
 * per `oauthctl token` in V8's interpreter, so it writes bytes itself rather than through Buffer's
 * checked helpers and one-off Buffers (~0.5 ms per keyring read; `npm run bench`).
 */
export class DbusWriter {
  // Zero-filled and only ever appended to (a grown copy is zero-filled too): padding and the NUL after a
  // string are already in place.
  #buffer = Buffer.alloc(256)
  #length = 0

  get length(): number {
    return this.#length
  }

  toBuffer(): Buffer {
    return this.#buffer.subarray(0, this.#length)
  }

  align(boundary: number): void {
    const padding = (boundary - (this.#length % boundary)) % boundary
    this.#reserve(padding)
    this.#length += padding
  }

  write(signature: string, values: readonly DbusValue[]): void {
    const types = splitSignature(signature)
    if (types.length !== values.length) throw new DbusWireError(`signature ${signature} takes ${types.length} values, not ${values.length}`)
    for (let index = 0; index < types.length; index++) this.#writeValue(types[index]!, values[index])
  }

  /** A `y`. */
  byte(value: number): void {
    this.#reserve(1)
    this.#buffer[this.#length++] = value & 0xff
  }

  /** A `u`, aligned. */
  uint32(value: number): void {
    this.align(4)
    this.#reserve(4)
    this.setUint32(this.#length, value)
    this.#length += 4
  }

  /** Overwrites 4 bytes written earlier (an array's or a body's length). */
  setUint32(offset: number, value: number): void {
    const buffer = this.#buffer
    buffer[offset] = value & 0xff
    buffer[offset + 1] = (value >>> 8) & 0xff
    buffer[offset + 2] = (value >>> 16) & 0xff
    buffer[offset + 3] = (value >>> 24) & 0xff
  }

  /** An `s` or `o`: length, UTF-8 bytes, NUL. */
  string(value: string): void {
    const size = Buffer.byteLength(value, 'utf8')
    this.uint32(size)
    this.#reserve(size + 1)
    this.#buffer.write(value, this.#length, size, 'utf8')
    this.#length += size + 1
  }

  /** A `g`: length byte, bytes, NUL. */
  signature(value: string): void {
    const size = Buffer.byteLength(value, 'utf8')
    if (size > 255) throw new DbusWireError('signature longer than 255 bytes')
    this.byte(size)
    this.#reserve(size + 1)
    this.#buffer.write(value, this.#length, size, 'utf8')
    this.#length += size + 1
  }

  /** Starts an array of elements aligned to `alignment`; returns what {@link endArray} takes. */
  beginArray(alignment: number): {lengthAt: number; start: number} {
    this.uint32(0)
    const lengthAt = this.#length - 4
    this.align(alignment)
    return {lengthAt, start: this.#length}
  }

  endArray(array: {lengthAt: number; start: number}): void {
    this.setUint32(array.lengthAt, this.#length - array.start)
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return
    const grown = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#length + bytes))
    this.#buffer.copy(grown, 0, 0, this.#length)
    this.#buffer = grown
  }

  #writeValue(type: string, value: DbusValue): void {
    const code = type[0]!
    switch (code) {
      case 'y':
        return this.byte(Number(value))
      case 'b':
        return this.uint32(value ? 1 : 0)
      case 'u':
        return this.uint32(Number(value) >>> 0)
      case 'i':
        return this.uint32(Number(value) | 0)
      case 's':
      case 'o':
        return this.string(String(value))
      case 'g':
        return this.signature(String(value))
      case 'v': {
        const variant = value as Variant
        this.signature(variant.signature)
        return this.#writeValue(variant.signature, variant.value)
      }
      case '(':
      case '{': {
        this.align(8)
        const inner = splitSignature(type.slice(1, -1))
        const fields = value as readonly DbusValue[]
        if (!Array.isArray(fields) || fields.length !== inner.length) throw new DbusWireError(`a ${type} needs ${inner.length} fields`)
        for (let index = 0; index < inner.length; index++) this.#writeValue(inner[index]!, fields[index])
        return
      }
      case 'a': {
        const element = type.slice(1)
        const array = this.beginArray(ALIGNMENT[element[0]!]!)
        if (element === 'y') {
          const bytes = value as Uint8Array
          this.#reserve(bytes.length)
          this.#buffer.set(bytes, this.#length)
          this.#length += bytes.length
        } else {
          for (const item of value as readonly DbusValue[]) this.#writeValue(element, item)
        }
        this.endArray(array)
        return
      }
      default:
        throw new DbusWireError(`cannot write type ${JSON.stringify(type)}`)
    }
  }
}

/** Reads marshalled values from a message (offsets are relative to the message start, as alignment is). */
export class DbusReader {
  offset: number
  constructor(
    readonly buffer: Buffer,
    readonly littleEndian: boolean,
    offset = 0,
  ) {
    this.offset = offset
  }

  read(signature: string): DbusValue[] {
    return splitSignature(signature).map((type) => this.#readValue(type, 0))
  }

  /** A `y`. */
  byte(): number {
    this.#need(1)
    return this.buffer[this.offset++]!
  }


  align(boundary: number): void {
    this.offset += (boundary - (this.offset % boundary)) % boundary
  }

  #need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new DbusWireError('message ends in the middle of a value')
  }

  /** A `u`, aligned. */
  uint32(): number {
    this.align(4)
    this.#need(4)
    const {buffer, offset} = this
    this.offset += 4
    return this.littleEndian
      ? buffer[offset]! + buffer[offset + 1]! * 0x100 + buffer[offset + 2]! * 0x10000 + buffer[offset + 3]! * 0x1000000
      : buffer[offset + 3]! + buffer[offset + 2]! * 0x100 + buffer[offset + 1]! * 0x10000 + buffer[offset]! * 0x1000000
  }

  #readString(length: number): string {
    this.#need(length + 1)
    const value = this.buffer.toString('utf8', this.offset, this.offset + length)
    this.offset += length + 1
    return value
  }

  #readValue(type: string, depth: number): DbusValue {
    if (depth > 32) throw new DbusWireError('values nested too deeply')
    const code = type[0]!
    switch (code) {
      case 'y':
        this.#need(1)
        return this.buffer[this.offset++]
      case 'b':
        return this.uint32() !== 0
      case 'u':
        return this.uint32()
      case 'i':
        return this.uint32() | 0
      case 's':
      case 'o':
        return this.#readString(this.uint32())
      case 'g':
        this.#need(1)
        return this.#readString(this.buffer[this.offset++]!)
      case 'v': {
        const signature = this.#readValue('g', depth) as string
        if (splitSignature(signature).length !== 1) throw new DbusWireError(`a variant holds one complete type, not ${JSON.stringify(signature)}`)
        return {signature, value: this.#readValue(signature, depth + 1)} satisfies Variant
      }
      case '(':
      case '{': {
        this.align(8)
        const inner = splitSignature(type.slice(1, -1))
        const fields: DbusValue[] = []
        for (let index = 0; index < inner.length; index++) fields.push(this.#readValue(inner[index]!, depth + 1))
        return fields
      }
      case 'a': {
        const length = this.uint32()
        const element = type.slice(1)
        this.align(ALIGNMENT[element[0]!]!)
        this.#need(length)
        const end = this.offset + length
        if (element === 'y') {
          const bytes = Buffer.from(this.buffer.subarray(this.offset, end))
          this.offset = end
          return bytes
        }
        const items: DbusValue[] = []
        while (this.offset < end) items.push(this.#readValue(element, depth + 1))
        if (this.offset !== end) throw new DbusWireError('array length does not match its elements')
        return items
      }
      default:
        throw new DbusWireError(`cannot read type ${JSON.stringify(type)}`)
    }
  }
}
