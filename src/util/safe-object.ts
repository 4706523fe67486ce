/**
 * Objects built from input (command-line fields, config.json, token files, keyring entries, server
 * responses) must never reach `Object.prototype`. Assigning `holder['__proto__'] = ...` or walking
 * `a.constructor.prototype` with keys someone else chose changes every object in the process: once
 * `Object.prototype.apiBase` is set, a login record without its own `apiBase` sends the token wherever
 * that says. Everything here keeps such keys away from prototypes, so callers need no checks of their own.
 */

/** Keys that name or lead to a prototype on ordinary objects. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** True for `__proto__`, `constructor` and `prototype`: keys input may never use as an object member. */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key)
}

/**
 * A dictionary without a prototype: a lookup finds only what was stored (never an inherited `constructor`
 * or a polluted `Object.prototype` member), and assigning any key, `__proto__` included, stores data.
 */
export function createDictionary<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const dictionary = Object.create(null) as Record<string, T>
  for (const [key, value] of entries ?? []) {
    if (!isPrototypeKey(key)) dictionary[key] = value
  }
  return dictionary
}

/** `object[key]` when it is the object's own member; never an inherited one. */
export function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined
}

/** Text in which no member can be named `__proto__`, `constructor` or `prototype`, escaped or not. */
const MAY_NAME_PROTOTYPE = /__proto__|constructor|prototype|\\u/

function dropPrototypeKeys(key: string, value: unknown): unknown {
  // Returning undefined from a reviver removes the member from its holder.
  return isPrototypeKey(key) ? undefined : value
}

/**
 * `JSON.parse` for text oauthctl did not write itself in this process (a server's answer, config.json, a
 * token file, a keyring entry, stdin): members named `__proto__`, `constructor` or `prototype` are
 * dropped at every depth, so the result can be merged, spread or walked without reaching a prototype.
 * @throws SyntaxError as JSON.parse does.
 */
export function parseJsonSafely(text: string): unknown {
  // A reviver makes JSON.parse several times slower; text that cannot spell such a key (even escaped) skips it.
  return MAY_NAME_PROTOTYPE.test(text) ? JSON.parse(text, dropPrototypeKeys) : JSON.parse(text)
}

/** Statuses whose Response may not have a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

/**
 * The same response with its JSON body passed through {@link parseJsonSafely}, for answers that a library
 * parses itself (openid-client reads discovery documents and token responses with JSON.parse). Bodies that
 * are not JSON, or cannot name a prototype, are passed on untouched.
 */
export async function withoutPrototypeMembers(response: Response): Promise<Response> {
  if (NULL_BODY_STATUSES.has(response.status) || !/json/i.test(response.headers.get('content-type') ?? '')) return response
  const text = await response.text()
  let body = text
  if (MAY_NAME_PROTOTYPE.test(text)) {
    try {
      body = JSON.stringify(parseJsonSafely(text))
    } catch {
      // Not JSON after all: the library reports that as it would have.
    }
  }
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  const copy = new Response(body, {status: response.status, statusText: response.statusText, headers})
  Object.defineProperty(copy, 'url', {value: response.url})
  return copy
}
