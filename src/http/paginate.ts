import type {Context} from '../context.js'
import {ApiError, ExitCode, OauthctlError} from '../errors.js'
import type {ResponsePrinter} from './output.js'
import {readWhole} from './output.js'
import {bodyStylesFor, isUnsupportedStyle, nextFromBody, parseLinkNext, slurpElements} from './pagination.js'
import {describeErrorInOk, errorInOkAnswer} from './provider-answer.js'
import {ApiRedirectError, unfollowedRedirect} from './redirects.js'
import type {PreparedRequest} from './request-body.js'
import {describeGiveUp} from './retry.js'
import type {ErrorsInOkShape, PaginationStyle} from '../providers/preset.js'
import {parseJsonSafely} from '../util/safe-object.js'

export interface PaginateInput {
  first: PreparedRequest
  /** The preset's style; Link headers are always followed. */
  style: PaginationStyle
  slurp: boolean
  printer: ResponsePrinter
  send(request: PreparedRequest): Promise<Response>
  /** Throws (exit 3) when the token may not go to a next-page URL the API named. */
  checkDestination(url: URL): void
  /** When the provider answers errors with a success status (Slack, Flickr): its name and the shape; such a page stops with exit 7. */
  errorsInOk?: {provider: string; shape: ErrorsInOkShape}
}

/**
 * `--paginate`: GETs page after page and writes each as soon as it arrives, so memory holds at most one
 * page (a page whose next link is in a Link header is streamed without being held at all). With `--slurp`
 * the pages' items are written as one JSON array, also page by page. A page answering >= 400 stops: the
 * pages before it are on stdout (the slurped array closed), then its error body, then exit 7.
 */
export async function paginate(ctx: Context, input: PaginateInput): Promise<void> {
  const styles = bodyStylesFor(input.style)
  if (isUnsupportedStyle(input.style)) {
    ctx.io.warn(`--paginate follows only Link headers here: the provider's ${input.style} pagination is not supported`)
  }
  const slurp = input.slurp ? input.printer.slurp() : undefined
  // The style that names the items of a page (for --slurp), once a body style has been seen.
  let itemsStyle: PaginationStyle | undefined = styles.length === 1 ? styles[0] : undefined
  let request = input.first
  let complete = false
  try {
    for (let page = 1; ; page++) {
      const response = await input.send(request)
      const redirect = response.status < 400 && unfollowedRedirect(request.method, response.url || request.url.href, response)
      if (response.status >= 400 || redirect) {
        await slurp?.close(false)
        await input.printer.head(response)
        await input.printer.body(response, {keep: false, page: true})
        const written = page === 1 ? '' : `Pages 1-${page - 1} were written before it. `
        if (redirect) throw new ApiRedirectError(redirect.message, `${written}${redirect.hint}`)
        const giveUp = describeGiveUp(request.method, response, ctx.now())
        throw new ApiError(response.status, response.statusText, {hint: `${written}${giveUp ?? ''}`.trim() || undefined})
      }
      await input.printer.head(response)
      let next = parseLinkNext(response.headers.get('link'), request.url)
      const bytes = slurp ? await readWhole(response) : await input.printer.body(response, {keep: next === undefined, page: true})
      const text = bytes && (slurp || next === undefined) ? bytes.toString('utf8') : undefined
      const parsed = text === undefined ? undefined : parseJson(text)
      const okError = input.errorsInOk === undefined ? undefined : errorInOkAnswer(input.errorsInOk.shape, parsed)
      if (okError) {
        // Its body is already on stdout, except with --slurp: close the array, then write it as any error page.
        if (slurp && text !== undefined && !input.printer.mode.silent) {
          await slurp.close(false)
          await input.printer.write(text)
        }
        const written = page === 1 ? undefined : `Pages 1-${page - 1} were written before it.`
        throw new ApiError(response.status, describeErrorInOk(response, input.errorsInOk?.provider ?? '', okError), written ? {hint: written} : undefined)
      }
      if (next === undefined && parsed !== undefined) {
        const found = nextFromBody(parsed, request.url, styles)
        if (found) itemsStyle = found.style
        next = found?.url
      }
      if (slurp) {
        if (parsed === undefined || text === undefined) throw notJson(page, response)
        await slurp.add(slurpElements(text, parsed, itemsStyle))
      }
      if (!next) break
      if (next.href === request.url.href) {
        ctx.io.warn(`page ${page} names itself as the next page; stopping`)
        break
      }
      input.checkDestination(next)
      request = {method: 'GET', url: next, headers: input.first.headers}
    }
    complete = true
  } finally {
    await slurp?.close(complete)
  }
}

function parseJson(text: string): unknown {
  try {
    return parseJsonSafely(text)
  } catch {
    return undefined
  }
}

function notJson(page: number, response: Response): OauthctlError {
  const type = response.headers.get('content-type') ?? 'no content type'
  return new OauthctlError(`page ${page} is not JSON (${type}); --slurp needs JSON pages`, 'api_not_json', ExitCode.api, {
    hint: 'Use --paginate without --slurp to get the pages as they are.',
  })
}
