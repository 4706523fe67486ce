import type {PaginationStyle} from '../providers/preset.js'
import {arrayElements, memberValueStart, skipWhitespace} from './json-text.js'
import {ownValue} from '../util/safe-object.js'

/**
 * Where the next page is. `Link: <...>; rel="next"` is always honoured; after that the body is searched
 * for the style the preset names. A preset that names no body style (`link-header`, `none`) gets the
 * unambiguous body markers looked for on each response (`@odata.nextLink`, `response_metadata.next_cursor`,
 * `nextPageToken`, `meta.next_token`, `next_page_token`); the generic `next` URL only when the preset says
 * `next-url`, since many APIs use a `next` member for something else.
 */
export type BodyStyle = Exclude<PaginationStyle, 'link-header' | 'none' | 'cursor-has-more'>

const DETECTED: BodyStyle[] = ['odata-next-link', 'next-cursor', 'next-page-token', 'meta-next-token', 'next-page-token-snake']

/** The body styles looked for on each page, in order. */
export function bodyStylesFor(style: PaginationStyle): BodyStyle[] {
  if (style === 'link-header' || style === 'none' || style === 'cursor-has-more') return DETECTED
  return [style]
}

/** Styles that need more than a GET of a URL (Dropbox POSTs the cursor to `.../continue`). */
export function isUnsupportedStyle(style: PaginationStyle): boolean {
  return style === 'cursor-has-more'
}

/**
 * The `rel="next"` target of a Link header, resolved against the page's URL.
 * @see RFC 8288 §3
 */
export function parseLinkNext(header: string | null, base: URL): URL | undefined {
  if (!header) return undefined
  for (const part of header.split(/,\s*(?=<)/)) {
    const link = /^\s*<([^>]*)>(.*)$/s.exec(part)
    if (!link) continue
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(link[2] ?? '')
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (rels.includes('next') && URL.canParse(link[1] ?? '', base.href)) return new URL(link[1] ?? '', base)
  }
  return undefined
}

export interface BodyNext {
  url: URL
  style: BodyStyle
}

/** The next page named by a parsed JSON body, trying `styles` in order. */
export function nextFromBody(body: unknown, current: URL, styles: BodyStyle[]): BodyNext | undefined {
  if (!isObject(body)) return undefined
  for (const style of styles) {
    const url = nextForStyle(body, current, style)
    if (url) return {url, style}
  }
  return undefined
}

/** The member at `path` (own members only: a page never inherits a next link). */
function member(body: unknown, ...path: string[]): unknown {
  let value = body
  for (const key of path) value = isObject(value) ? ownValue(value, key) : undefined
  return value
}

function nextForStyle(body: Record<string, unknown>, current: URL, style: BodyStyle): URL | undefined {
  switch (style) {
    case 'odata-next-link':
      return linkTo(member(body, '@odata.nextLink'), current)
    case 'next-url':
      return linkTo(member(body, 'next'), current)
    case 'next-cursor':
      return withParam(current, 'cursor', member(body, 'response_metadata', 'next_cursor'))
    case 'next-page-token':
      return withParam(current, 'pageToken', member(body, 'nextPageToken'))
    case 'meta-next-token':
      return withParam(current, 'pagination_token', member(body, 'meta', 'next_token'))
    case 'next-page-token-snake':
      return withParam(current, 'next_page_token', member(body, 'next_page_token'))
    case 'offset-limit':
      return nextOffset(body, current)
  }
}

/** Box: `next_marker` (marker paging), else `offset + limit` while below `total_count`. */
function nextOffset(body: Record<string, unknown>, current: URL): URL | undefined {
  const marker = withParam(current, 'marker', member(body, 'next_marker'))
  if (marker) return marker
  const [offset, limit, total] = ['offset', 'limit', 'total_count'].map((key) => member(body, key))
  if (typeof offset !== 'number' || typeof limit !== 'number' || typeof total !== 'number' || limit <= 0) return undefined
  return offset + limit < total ? withParam(current, 'offset', String(offset + limit)) : undefined
}

function linkTo(value: unknown, current: URL): URL | undefined {
  return typeof value === 'string' && value !== '' && URL.canParse(value, current.href) ? new URL(value, current) : undefined
}

function withParam(current: URL, name: string, value: unknown): URL | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const next = new URL(current)
  next.searchParams.set(name, value)
  return next
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The member that holds a page's items when the body is an object, per style. */
const ITEMS_KEY: Partial<Record<PaginationStyle, string>> = {
  'odata-next-link': 'value',
  'meta-next-token': 'data',
  'next-url': 'items',
  'offset-limit': 'entries',
}

/**
 * The items of one page for `--slurp`, as raw JSON texts (numbers and escapes kept as sent):
 * - a top-level array: its elements;
 * - an object: the array under the style's items key (`value` for OData, `data` for X, `items` for
 *   `next-url`, `entries` for Box) when present, else its only array-valued member;
 * - anything else (an object with no or several arrays, a scalar): the page itself, as one element.
 */
export function slurpElements(text: string, parsed: unknown, style?: PaginationStyle): string[] {
  if (Array.isArray(parsed)) return arrayElements(text, skipWhitespace(text, 0))
  if (isObject(parsed)) {
    const preferred = style ? ITEMS_KEY[style] : undefined
    const arrays = Object.keys(parsed).filter((key) => Array.isArray(parsed[key]))
    const key = preferred && Array.isArray(member(parsed, preferred)) ? preferred : arrays.length === 1 ? arrays[0] : undefined
    if (key !== undefined) return arrayElements(text, memberValueStart(text, key))
  }
  return [text.trim()]
}
