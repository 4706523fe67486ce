import {hintForError, SLACK_ERRORS_IN_OK, type ErrorsInOkShape, type ProviderPreset} from '../providers/preset.js'
import {LiteHeaders, LiteResponse} from './lite.js'
import {LiteBody} from './lite-body.js'

/** What the provider's own words in an API answer say beyond its status code. */
export interface ProviderAnswer {
  /** The same answer, its body still unread (it was buffered to be looked at). */
  response: Response
  /** The provider's error from a success-status answer that says it failed (Slack `"ok": false`, Flickr `"stat": "fail"`). */
  errorInOk?: ErrorInOk
  /** The preset's hint for a known failure found in the body. */
  hint?: string
}

/**
 * Looks into an API answer when the preset knows something about it: a Slack-style HTTP 200
 * `{"ok": false}` (an error, whatever the status says) or an error body with a known marker
 * (LinkedIn `me.GET.NO_VERSION`). Only those answers are buffered; every other body streams untouched.
 */
export async function inspectProviderAnswer(preset: ProviderPreset, response: Response): Promise<ProviderAnswer> {
  const shape = errorsInOkShapeOf(preset)
  const okErrors = shape !== undefined && response.status < 400
  const hinted = response.status >= 400 && (preset.errorHints?.length ?? 0) > 0
  if (!okErrors && !hinted) return {response}
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = Buffer.from(bytes).toString('utf8')
  const copy = new LiteResponse(LiteBody.of(bytes), response.status, response.statusText, new LiteHeaders([...response.headers]), response.url) as unknown as Response
  let errorInOk: ErrorInOk | undefined
  if (shape && okErrors) {
    try {
      errorInOk = errorInOkAnswer(shape, JSON.parse(text))
    } catch {
      // Not JSON: nothing to say about it.
    }
  }
  return {response: copy, errorInOk, hint: hintForError(preset, text)}
}

/** A failure a success-status answer reported. */
export interface ErrorInOk {
  /** The error code (the shape's first error member): Slack `invalid_auth`, Flickr `98`. */
  error: string
  /** The members that said so, as they were sent: `"ok": false, "error": "invalid_auth"`. */
  said: string
}

/** The preset's shape of an error answered with a success status, if it has one (`true`: Slack's). */
export function errorsInOkShapeOf(preset: ProviderPreset): ErrorsInOkShape | undefined {
  const quirk = preset.quirks?.apiErrorsAsOk
  if (quirk === true) return SLACK_ERRORS_IN_OK
  return quirk && typeof quirk === 'object' && typeof quirk.flag === 'string' && Array.isArray(quirk.error) ? quirk : undefined
}

/**
 * The failure a parsed answer reports in the preset's shape (Slack `{"ok": false, "error": "..."}`,
 * Flickr `{"stat": "fail", "code": 98, "message": "..."}`), else undefined. Provider text is quoted as JSON
 * (control characters escaped) and cut to 200 characters, since it ends up in a terminal.
 */
export function errorInOkAnswer(shape: ErrorsInOkShape, answer: unknown): ErrorInOk | undefined {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return undefined
  const body = answer as Record<string, unknown>
  if (body[shape.flag] !== shape.failure) return undefined
  const quote = (value: unknown) => JSON.stringify(typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}\u2026` : value) ?? 'null'
  const named = shape.error.filter((name) => typeof body[name] === 'string' || typeof body[name] === 'number')
  const first = body[shape.error[0] ?? '']
  return {
    error: typeof first === 'string' || typeof first === 'number' ? String(first).slice(0, 200) : 'unknown_error',
    said: [shape.flag, ...named].map((name) => `${JSON.stringify(name)}: ${quote(body[name])}`).join(', '),
  }
}

/** The message of an API error answered with a success status (`HTTP 200 OK, but Slack answered "ok": false, ...`). */
export function describeErrorInOk(response: Response, provider: string, found: ErrorInOk): string {
  return `${response.statusText}, but ${provider} answered ${found.said}`
}
