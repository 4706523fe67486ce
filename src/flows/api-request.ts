import type {Context} from '../context.js'
import {ApiError, UsageError} from '../errors.js'
import {resolveApiUrl, sendAuthorized} from '../http/api-client.js'
import {loadLogin, resolveTarget} from './session.js'

export interface ApiRequestInput {
  provider?: string
  profile?: string
  method: string
  pathOrUrl: string
  headers: string[]
  allowHosts: string[]
  include: boolean
  body?: string
}

/** Parses `Name: value` header arguments. */
export function parseHeaders(lines: string[]): Headers {
  const headers = new Headers()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new UsageError(`bad header "${line}": expected "Name: value"`)
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  return headers
}

/**
 * `oauthctl get|post|... <path|url>`: the response body goes to stdout unchanged; a status >= 400 still
 * writes the body, then exits 7 with the status line on stderr (as `gh api` does).
 */
export async function runApiRequest(ctx: Context, input: ApiRequestInput): Promise<void> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  const apiBase = login.record.apiBase ?? login.preset.apiBase
  const origins = login.record.apiBase ? [...login.preset.apiOrigins, new URL(apiBase).origin] : login.preset.apiOrigins
  const url = resolveApiUrl(apiBase, origins, input.pathOrUrl, input.allowHosts)
  const headers = parseHeaders(input.headers)
  if (!headers.has('accept')) headers.set('accept', 'application/json')
  const response = await sendAuthorized(ctx, login, url, {method: input.method, headers, body: input.body})
  if (input.include) {
    ctx.io.out(`HTTP/1.1 ${response.status} ${response.statusText}\r\n`)
    response.headers.forEach((value, name) => ctx.io.out(`${name}: ${value}\r\n`))
    ctx.io.out('\r\n')
  }
  if (response.body) {
    for await (const chunk of response.body) ctx.io.out(chunk as Uint8Array)
  }
  if (response.status >= 400) throw new ApiError(response.status, response.statusText)
}
