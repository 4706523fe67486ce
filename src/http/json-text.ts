/**
 * JSON as text: pretty-printing and slicing that keep every token exactly as the API wrote it (big integers,
 * `1.0`, `\u00e9` escapes), which a JSON.parse/JSON.stringify round trip would not. Every function here
 * expects text that JSON.parse has already accepted.
 */

/** Colours for {@link formatJson}; each returns its argument wrapped in escape codes (or unchanged). */
export interface JsonPainter {
  key(text: string): string
  string(text: string): string
  number(text: string): string
  boolean(text: string): string
  null(text: string): string
}

const PLAIN: JsonPainter = {key: same, string: same, number: same, boolean: same, null: same}

function same(text: string): string {
  return text
}

/** True when `text` is one JSON document. */
export function isJsonText(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export function skipWhitespace(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
    pos++
  }
  return pos
}

function endOfString(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    const c = text[i]
    if (c === '\\') i++
    else if (c === '"') return i + 1
  }
  throw new SyntaxError('unterminated JSON string')
}

/** Index just past the JSON value that starts at `pos`. */
export function endOfValue(text: string, pos: number): number {
  const first = text[pos]
  if (first === '"') return endOfString(text, pos)
  if (first === '{' || first === '[') {
    let depth = 0
    for (let i = pos; i < text.length; i++) {
      const c = text[i]
      if (c === '"') i = endOfString(text, i) - 1
      else if (c === '{' || c === '[') depth++
      else if (c === '}' || c === ']') {
        depth--
        if (depth === 0) return i + 1
      }
    }
    throw new SyntaxError('unterminated JSON container')
  }
  let i = pos
  while (i < text.length && !' \t\r\n,]}:'.includes(text[i] ?? ',')) i++
  return i
}

/**
 * Pretty-prints JSON text with two-space indentation, laid out as `JSON.stringify(value, null, 2)` would
 * but with every scalar token copied verbatim.
 */
export function formatJson(text: string, paint: JsonPainter = PLAIN): string {
  const out: string[] = []
  const stack: string[] = []
  const newline = (): string => `\n${'  '.repeat(stack.length)}`
  let expectKey = false
  let pos = skipWhitespace(text, 0)
  while (pos < text.length) {
    const c = text[pos] as string
    if (c === '{' || c === '[') {
      const after = skipWhitespace(text, pos + 1)
      const close = c === '{' ? '}' : ']'
      if (text[after] === close) {
        out.push(c + close)
        pos = after + 1
      } else {
        stack.push(c)
        out.push(c, newline())
        expectKey = c === '{'
        pos = after
      }
    } else if (c === '}' || c === ']') {
      stack.pop()
      out.push(newline(), c)
      pos++
    } else if (c === ',') {
      out.push(',', newline())
      expectKey = stack.at(-1) === '{'
      pos++
    } else if (c === ':') {
      out.push(': ')
      expectKey = false
      pos++
    } else {
      const end = endOfValue(text, pos)
      const token = text.slice(pos, end)
      if (c === '"') out.push(expectKey ? paint.key(token) : paint.string(token))
      else if (token === 'null') out.push(paint.null(token))
      else if (token === 'true' || token === 'false') out.push(paint.boolean(token))
      else out.push(paint.number(token))
      pos = end
    }
    pos = skipWhitespace(text, pos)
  }
  return out.join('')
}

/** The raw text of each element of the array that starts at `pos`. */
export function arrayElements(text: string, pos: number): string[] {
  const elements: string[] = []
  pos = skipWhitespace(text, pos + 1)
  if (text[pos] === ']') return elements
  for (;;) {
    const end = endOfValue(text, pos)
    elements.push(text.slice(pos, end))
    pos = skipWhitespace(text, end)
    if (text[pos] !== ',') return elements
    pos = skipWhitespace(text, pos + 1)
  }
}

/** Where the value of the top-level member `key` starts (the last one, as JSON.parse keeps), or -1. */
export function memberValueStart(text: string, key: string): number {
  let pos = skipWhitespace(text, 0)
  if (text[pos] !== '{') return -1
  let found = -1
  pos = skipWhitespace(text, pos + 1)
  while (text[pos] === '"') {
    const keyEnd = endOfString(text, pos)
    const name = JSON.parse(text.slice(pos, keyEnd)) as string
    pos = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1)
    if (name === key) found = pos
    pos = skipWhitespace(text, endOfValue(text, pos))
    if (text[pos] !== ',') break
    pos = skipWhitespace(text, pos + 1)
  }
  return found
}
