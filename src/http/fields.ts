import {UsageError} from '../errors.js'
import {createDictionary, isPrototypeKey} from '../util/safe-object.js'

/**
 * `-f key=value` (raw string) and `-F key=value` (typed) request fields, as `gh api` reads them.
 *
 * Keys may be nested: `a[b][c]=v` builds `{"a":{"b":{"c":"v"}}}`, `list[]=x` appends to an array, a bare
 * `list[]` (no `=`) makes an empty array, and `items[][name]=x` builds an array of objects, starting a new
 * object whenever the key is already set in the last one.
 */
export type FieldValue = string | number | boolean | null

export interface Field {
  /** The key exactly as typed (`a[b]`), used as is in a query string. */
  key: string
  /** `a[b][]` is `['a', 'b', '']`; `''` means "append to an array". */
  path: string[]
  /** Undefined only for a bare `key[]`: an empty array. */
  value: FieldValue | undefined
}

/** Where `-F key=@file` and `-F key=@-` read from. */
export interface FieldSources {
  readFile(path: string): Promise<string>
  readStdin(): Promise<string>
}

const KEY = /^([^[\]=]+)((?:\[[^[\]]*\])*)$/

function parseKey(key: string, arg: string): string[] {
  const match = KEY.exec(key)
  if (!match) throw new UsageError(`bad field key in "${arg}": use name, name[sub] or name[]`)
  const brackets = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')
  const path = [match[1] ?? '', ...brackets]
  const reserved = path.find(isPrototypeKey)
  if (reserved !== undefined) {
    throw new UsageError(`bad field key in "${arg}": "${reserved}" cannot be a key`, {
      hint: '__proto__, constructor and prototype are refused as field names; send such a body with --data.',
    })
  }
  return path
}

/**
 * The value of a typed (`-F`) field: `true`, `false`, `null`, a JSON number (integers only while exact:
 * larger ones stay strings), `@path` the file's contents, `@-` standard input; anything else a string.
 */
export async function typedValue(raw: string, sources: FieldSources): Promise<FieldValue> {
  if (raw === 'true') return true
  if (raw === 'false') return false
  if (raw === 'null') return null
  if (/^-?(?:0|[1-9]\d*)$/.test(raw)) return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw) && Number.isFinite(Number(raw))) return Number(raw)
  if (raw === '@-') return sources.readStdin()
  if (raw.startsWith('@')) return sources.readFile(raw.slice(1))
  return raw
}

/** Parses `-f` then `-F` arguments (as gh does, raw fields first). */
export async function parseFields(rawFields: string[], typedFields: string[], sources: FieldSources): Promise<Field[]> {
  const fields: Field[] = []
  for (const [args, typed] of [[rawFields, false], [typedFields, true]] as const) {
    for (const arg of args) {
      const eq = arg.indexOf('=')
      const key = eq < 0 ? arg : arg.slice(0, eq)
      const path = parseKey(key, arg)
      if (eq < 0) {
        if (path.at(-1) !== '' || path.length < 2) throw new UsageError(`bad field "${arg}": expected key=value (or key[] for an empty array)`)
        fields.push({key, path, value: undefined})
        continue
      }
      const raw = arg.slice(eq + 1)
      fields.push({key, path, value: typed ? await typedValue(raw, sources) : raw})
    }
  }
  return fields
}

type JsonObject = {[key: string]: unknown}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The JSON request body the fields describe. Its objects have no prototype, so no key can reach
 * `Object.prototype` (parseFields already refuses `__proto__`, `constructor` and `prototype`).
 */
export function buildJsonBody(fields: Field[]): JsonObject {
  const root: JsonObject = createDictionary()
  for (const field of fields) insertField(root, field)
  return root
}

function conflict(field: Field): UsageError {
  return new UsageError(`field "${field.key}" conflicts with another field of the same name`, {
    hint: 'Give each key once; use key[]=value for a list, key[sub]=value for an object.',
  })
}

function insertField(root: JsonObject, field: Field): void {
  const [name, ...rest] = field.path
  let holder = root
  let key = name as string
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i] as string
    if (segment !== '') {
      const existing = holder[key]
      if (existing === undefined) holder[key] = createDictionary()
      else if (!isPlainObject(existing)) throw conflict(field)
      holder = holder[key] as JsonObject
      key = segment
      continue
    }
    // `key[]`: an array at holder[key].
    const existing = holder[key]
    if (existing === undefined) holder[key] = []
    else if (!Array.isArray(existing)) throw conflict(field)
    const array = holder[key] as unknown[]
    const next = rest[i + 1]
    if (next === undefined) {
      if (field.value !== undefined) array.push(field.value)
      return
    }
    if (next === '') throw new UsageError(`field "${field.key}": arrays of arrays (key[][]) are not supported`)
    // `key[][sub]`: fill the last object until `sub` repeats, then start a new one (gh's rule).
    const last = array.at(-1)
    if (isPlainObject(last) && !(next in last)) holder = last
    else {
      holder = createDictionary()
      array.push(holder)
    }
    key = next
    i++
  }
  if (field.value === undefined) return
  if (key in holder) throw conflict(field)
  holder[key] = field.value
}

/** Appends the fields to a query string (GET and HEAD), keys as typed: `a[b]=c`, `list[]=x`. */
export function appendFieldsToQuery(url: URL, fields: Field[]): void {
  for (const field of fields) {
    if (field.value === undefined) continue
    url.searchParams.append(field.key, field.value === null ? '' : String(field.value))
  }
}

/** Parses `-q key=value` arguments into the URL's query string (after any query it already has). */
export function appendQueryParams(url: URL, params: string[]): void {
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq <= 0) throw new UsageError(`bad query parameter "${param}": expected key=value`)
    url.searchParams.append(param.slice(0, eq), param.slice(eq + 1))
  }
}
