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

/** Splits a signature into its complete types ("a{ss}o" -> ["a{ss}", "o"]). */
export function splitSignature(signature: string): string[] {
  const types: string[] = []
  let index = 0
  while (index < signature.length) {
    const end = completeTypeEnd(signature, index)
    types.push(signature.slice(index, end))
    index = end
  }
  return types
}

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

/** Marshals values into a little-endian body whose offset 0 is 8-aligned in the message. */
export class DbusWriter {
  #buffer = Buffer.alloc(256)
  #length = 0

  get length(): number {
    return this.#length
  }

  toBuffer(): Buffer {
    return this.#buffer.subarray(0, this.#length)
  }

  align(boundary: number): void {
    // The buffer is zero-filled (Buffer.alloc) and only ever appended to, so padding is already zero.
    const padding = (boundary - (this.#length % boundary)) % boundary
    this.#reserve(padding)
    this.#length += padding
  }

  write(signature: string, values: readonly DbusValue[]): void {
    const types = splitSignature(signature)
    if (types.length !== values.length) throw new DbusWireError(`signature ${signature} takes ${types.length} values, not ${values.length}`)
    types.forEach((type, index) => this.#writeValue(type, values[index]))
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return
    const grown = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#length + bytes))
    this.#buffer.copy(grown, 0, 0, this.#length)
    this.#buffer = grown
  }

  #writeUint32(value: number): void {
    this.align(4)
    this.#reserve(4)
    this.#buffer.writeUInt32LE(value, this.#length)
    this.#length += 4
  }

  #writeBytes(bytes: Buffer): void {
    this.#reserve(bytes.length)
    bytes.copy(this.#buffer, this.#length)
    this.#length += bytes.length
  }

  #writeNul(): void {
    this.#reserve(1)
    this.#length += 1
  }

  #writeValue(type: string, value: DbusValue): void {
    const code = type[0]!
    switch (code) {
      case 'y':
        this.#reserve(1)
        this.#buffer[this.#length++] = Number(value) & 0xff
        return
      case 'b':
        return this.#writeUint32(value ? 1 : 0)
      case 'u':
        return this.#writeUint32(Number(value) >>> 0)
      case 'i':
        this.align(4)
        this.#reserve(4)
        this.#buffer.writeInt32LE(Number(value), this.#length)
        this.#length += 4
        return
      case 's':
      case 'o': {
        const bytes = Buffer.from(String(value), 'utf8')
        this.#writeUint32(bytes.length)
        this.#writeBytes(bytes)
        return this.#writeNul()
      }
      case 'g': {
        const bytes = Buffer.from(String(value), 'utf8')
        if (bytes.length > 255) throw new DbusWireError('signature longer than 255 bytes')
        this.#writeValue('y', bytes.length)
        this.#writeBytes(bytes)
        return this.#writeNul()
      }
      case 'v': {
        const variant = value as Variant
        this.#writeValue('g', variant.signature)
        return this.#writeValue(variant.signature, variant.value)
      }
      case '(':
      case '{': {
        this.align(8)
        const inner = splitSignature(type.slice(1, -1))
        const fields = value as readonly DbusValue[]
        if (!Array.isArray(fields) || fields.length !== inner.length) throw new DbusWireError(`a ${type} needs ${inner.length} fields`)
        inner.forEach((fieldType, index) => this.#writeValue(fieldType, fields[index]))
        return
      }
      case 'a': {
        const element = type.slice(1)
        this.#writeUint32(0)
        const lengthAt = this.#length - 4
        this.align(ALIGNMENT[element[0]!]!)
        const start = this.#length
        if (element === 'y') this.#writeBytes(Buffer.from(value as Uint8Array))
        else for (const item of value as readonly DbusValue[]) this.#writeValue(element, item)
        this.#buffer.writeUInt32LE(this.#length - start, lengthAt)
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

  align(boundary: number): void {
    this.offset += (boundary - (this.offset % boundary)) % boundary
  }

  #need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new DbusWireError('message ends in the middle of a value')
  }

  #readUint32(): number {
    this.align(4)
    this.#need(4)
    const value = this.littleEndian ? this.buffer.readUInt32LE(this.offset) : this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return value
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
        return this.#readUint32() !== 0
      case 'u':
        return this.#readUint32()
      case 'i':
        return this.#readUint32() | 0
      case 's':
      case 'o':
        return this.#readString(this.#readUint32())
      case 'g':
        this.#need(1)
        return this.#readString(this.buffer[this.offset++]!)
      case 'v': {
        const signature = this.#readValue('g', depth) as string
        if (splitSignature(signature).length !== 1) throw new DbusWireError(`a variant holds one complete type, not ${JSON.stringify(signature)}`)
        return {signature, value: this.#readValue(signature, depth + 1)} satisfies Variant
      }
      case '(':
      case '{':
        this.align(8)
        return splitSignature(type.slice(1, -1)).map((fieldType) => this.#readValue(fieldType, depth + 1))
      case 'a': {
        const length = this.#readUint32()
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
