import {readFile} from 'node:fs/promises'
import {UsageError} from '../errors.js'
import {appendFieldsToQuery, appendQueryParams, buildJsonBody, parseFields, type Field} from './fields.js'
import {chooseContentType, parseHeaders} from './headers.js'

/** What the command line says to send, before the URL is known. */
export interface RequestSpec {
  method: string
  headers: string[]
  query: string[]
  rawFields: string[]
  typedFields: string[]
  /** `--data`: `@file`, `-` or `@-` (stdin), or the literal body. */
  data?: string
  contentType?: string
}

/** A request ready to send (the token is added later, by sendAuthorized). */
export interface PreparedRequest {
  method: string
  url: URL
  headers: Headers
  body?: Uint8Array
}

/** Methods whose fields go to the query string, as `gh api` does for GET; every other method gets a JSON body. */
const QUERY_METHODS = new Set(['GET', 'HEAD'])
/** fetch refuses these (undici: forbidden methods). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

/** `request -X` takes any RFC 9110 method token, upper-cased. */
export function normalizeMethod(method: string): string {
  const upper = method.trim().toUpperCase()
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(upper)) throw new UsageError(`bad method "${method}"`)
  if (FORBIDDEN_METHODS.has(upper)) throw new UsageError(`${upper} requests cannot be sent by oauthctl`)
  return upper
}

/** Reads standard input once; a second reader (`--data -` and `-F x=@-`) is a usage error. */
export function stdinReader(stdin: NodeJS.ReadableStream | (() => NodeJS.ReadableStream)): () => Promise<Buffer> {
  let used = false
  return async () => {
    if (used) throw new UsageError('standard input can be read only once (by one --data - or -F key=@-)')
    used = true
    const chunks: Buffer[] = []
    for await (const chunk of typeof stdin === 'function' ? stdin() : stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array))
    return Buffer.concat(chunks)
  }
}

async function readFileArg(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new UsageError(`cannot read ${path}: ${code}`)
  }
}

/**
 * Checks and reads everything the command line names (headers, fields, files, stdin) before any network
 * call, so that a typo is exit 2 without a token being loaded. Then `build(url)` gives the request. Pass
 * stdin as a function when it may not be needed: building `process.stdin` costs 1-2 ms.
 */
export async function prepareRequest(
  spec: RequestSpec,
  stdin: NodeJS.ReadableStream | (() => NodeJS.ReadableStream),
): Promise<(url: URL, defaults?: Record<string, string>, form?: boolean) => PreparedRequest> {
  const method = normalizeMethod(spec.method)
  const headers = parseHeaders(spec.headers)
  checkQueryParams(spec.query)
  const hasFields = spec.rawFields.length > 0 || spec.typedFields.length > 0
  if (spec.data !== undefined && hasFields) throw new UsageError('--data cannot be combined with -f/-F fields')
  if (spec.data !== undefined && QUERY_METHODS.has(method)) throw new UsageError(`${method} requests cannot have a body (--data)`)
  const readStdin = stdinReader(stdin)
  const fields = await parseFields(spec.rawFields, spec.typedFields, {
    readFile: async (path) => (await readFileArg(path)).toString('utf8'),
    readStdin: async () => (await readStdin()).toString('utf8'),
  })
  let body: Uint8Array | undefined
  // Fields that became a JSON body only because nothing said otherwise (see `form` below).
  const fieldsAsJson = hasFields && spec.data === undefined && !QUERY_METHODS.has(method) && spec.contentType === undefined && !headers.has('content-type')
  if (spec.data !== undefined) {
    body = await readData(spec.data, readStdin)
    chooseContentType(headers, spec.contentType, isJsonBytes(body) ? 'application/json' : 'application/octet-stream')
  } else if (hasFields && !QUERY_METHODS.has(method)) {
    body = Buffer.from(JSON.stringify(buildJsonBody(fields)))
    chooseContentType(headers, spec.contentType, 'application/json')
  } else if (spec.contentType !== undefined) {
    headers.set('content-type', spec.contentType)
  }
  // `defaults`: the provider's own API headers (LinkedIn-Version, GitHub's Accept), under the user's -H.
  // `form`: the fields go form-encoded instead of as JSON (OAuth 1.0a signs form bodies only, RFC 5849
  // §3.4.1.3.1), unless -H / --content-type chose a type.
  return (resolved, defaults = {}, form = false) => {
    if (form && fieldsAsJson) {
      body = Buffer.from(formBody(fields))
      headers.set('content-type', 'application/x-www-form-urlencoded')
    }
    for (const [name, value] of Object.entries(defaults)) if (!headers.has(name)) headers.set(name, value)
    if (!headers.has('accept')) headers.set('accept', 'application/json')
    const url = new URL(resolved)
    appendQueryParams(url, spec.query)
    if (QUERY_METHODS.has(method)) appendFieldsToQuery(url, fields)
    return {method, url, headers, body}
  }
}

/** Fields as an `application/x-www-form-urlencoded` body: keys as typed (`a[b]`), `null` as empty, bare `key[]` left out. */
function formBody(fields: Field[]): string {
  const params = new URLSearchParams()
  for (const field of fields) if (field.value !== undefined) params.append(field.key, field.value === null ? '' : String(field.value))
  return params.toString()
}

/** Checks `-q` early (its errors are usage errors) without needing the URL. */
export function checkQueryParams(params: string[]): void {
  appendQueryParams(new URL('http://check.invalid/'), params)
}

async function readData(data: string, readStdin: () => Promise<Buffer>): Promise<Uint8Array> {
  if (data === '-' || data === '@-') return readStdin()
  if (data.startsWith('@')) return readFileArg(data.slice(1))
  return Buffer.from(data)
}

function isJsonBytes(body: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
    return true
  } catch {
    return false
  }
}
