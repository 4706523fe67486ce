import type {Context} from '../context.js'
import {ApiError, UsageError} from '../errors.js'
import {checkAllowHosts, checkTokenDestination, resolveApiUrl, sendAuthorized, tokenOrigins} from './api-client.js'
import {ResponsePrinter} from './output.js'
import {describeErrorInOk, errorsInOkShapeOf, inspectProviderAnswer} from './provider-answer.js'
import {unfollowedRedirect} from './redirects.js'
import {prepareRequest, type PreparedRequest} from './request-body.js'
import {describeGiveUp} from './retry.js'
import type {HttpTimeouts} from './timeouts.js'
import {looksLikeJqFilter} from '../cli/jq.js'
import {colorEnabled} from '../io.js'
import {loadLogin, resolveTarget} from '../session/session.js'

export {parseHeaders} from './headers.js'

export interface ApiRequestInput {
  provider?: string
  profile?: string
  /** Any method; `request -X` passes what the user typed (upper-cased here). */
  method: string
  pathOrUrl: string
  /** `-H 'Name: value'` */
  headers: string[]
  /** `-q key=value` */
  query?: string[]
  /** `-f key=value` */
  rawFields?: string[]
  /** `-F key=value` */
  typedFields?: string[]
  /** `--data @file|-|text` */
  data?: string
  contentType?: string
  allowHosts: string[]
  include: boolean
  silent?: boolean
  paginate?: boolean
  slurp?: boolean
  /** `--jq EXPR`: print what the jq filter makes of the (JSON) body; each page with --paginate. */
  jq?: string
  /** `--timeout`, `--connect-timeout`: for every request of the command (the API's and a refresh). */
  timeouts?: HttpTimeouts
}

/** Flag combinations that make no sense are usage errors (exit 2), found before anything is read or sent. */
function checkCombinations(input: ApiRequestInput): void {
  if (input.slurp && !input.paginate) throw new UsageError('--slurp needs --paginate')
  if (input.slurp && input.include) throw new UsageError('--slurp cannot be combined with --include: the output is one JSON array')
  if (input.paginate && input.method.toUpperCase() !== 'GET') throw new UsageError('--paginate works with GET requests only')
  if (input.jq !== undefined && input.slurp) {
    throw new UsageError('--jq cannot be combined with --slurp', {hint: '--jq applies to each page: drop --slurp, or pipe the --slurp output to jq.'})
  }
  const jqLike = input.query?.find(looksLikeJqFilter)
  if (jqLike !== undefined) {
    throw new UsageError(`-q ${jqLike}: -q adds a query parameter (KEY=VALUE) here`, {hint: `Did you mean --jq '${jqLike}'?`})
  }
  checkAllowHosts(input.allowHosts)
}

/**
 * `oauthctl get|post|put|patch|delete|request <path|url>`: sends the request with the stored token (see
 * sendAuthorized for redirects, retries and refresh-on-401) and prints the response (see output.ts). A
 * status >= 400 still writes the body, then exits 7 with the status line on stderr (as `gh api` does).
 */
export async function runApiRequest(ctx: Context, input: ApiRequestInput): Promise<void> {
  checkCombinations(input)
  if (input.timeouts) ctx.timeouts = input.timeouts
  const build = await prepareRequest(
    {
      method: input.method,
      headers: input.headers,
      query: input.query ?? [],
      rawFields: input.rawFields ?? [],
      typedFields: input.typedFields ?? [],
      data: input.data,
      contentType: input.contentType,
    },
    () => ctx.io.stdin,
  )
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  const apiBase = login.record.apiBase ?? login.preset.apiBase
  const origins = tokenOrigins(login)
  // OAuth 1.0a signs form bodies only, so -f/-F fields go form-encoded there (RFC 5849 §3.4.1.3.1).
  const request = build(resolveApiUrl(apiBase, origins, input.pathOrUrl, input.allowHosts), login.preset.apiHeaders, login.preset.oauth1 !== undefined)
  const printer = new ResponsePrinter(ctx.io, {
    include: input.include,
    silent: input.silent ?? false,
    pretty: ctx.io.stdoutIsTTY,
    color: colorEnabled(ctx.io, ctx.env, 'stdout'),
    jq: input.jq,
  })
  const send = (req: PreparedRequest): Promise<Response> =>
    sendAuthorized(ctx, login, req.url, {method: req.method, headers: req.headers, body: req.body})

  if (input.paginate) {
    const {paginate} = await import('./paginate.js')
    const shape = errorsInOkShapeOf(login.preset)
    await paginate(ctx, {
      first: request,
      style: login.preset.pagination,
      slurp: input.slurp ?? false,
      printer,
      send,
      checkDestination: (url) => checkTokenDestination(url, origins, input.allowHosts),
      errorsInOk: shape ? {provider: login.preset.displayName, shape} : undefined,
    })
    return
  }
  const {response, errorInOk, hint: known} = await inspectProviderAnswer(login.preset, await send(request))
  await printer.head(response)
  await printer.body(response, {keep: false, page: false})
  if (errorInOk || response.status >= 400) await printer.endLine()
  if (errorInOk) {
    // Slack's HTTP 200 {"ok": false}, Flickr's {"stat": "fail"}: a failed call, reported in the provider's words.
    throw new ApiError(response.status, describeErrorInOk(response, login.preset.displayName, errorInOk), known ? {hint: known} : undefined)
  }
  if (response.status >= 400) {
    const hint = known ?? describeGiveUp(request.method, response, ctx.now())
    throw new ApiError(response.status, response.statusText, hint ? {hint} : undefined)
  }
  const redirect = unfollowedRedirect(request.method, response.url || request.url.href, response)
  if (redirect) throw redirect
}
