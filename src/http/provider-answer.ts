import {hintForError, type ProviderPreset} from '../providers/preset.js'
import {LiteHeaders, LiteResponse} from './lite.js'
import {LiteBody} from './lite-body.js'

/** What the provider's own words in an API answer say beyond its status code. */
export interface ProviderAnswer {
  /** The same answer, its body still unread (it was buffered to be looked at). */
  response: Response
  /** The provider's error from an HTTP 200 `{"ok": false, "error": "..."}` answer (Slack). */
  errorInOk?: string
  /** The preset's hint for a known failure found in the body. */
  hint?: string
}

/**
 * Looks into an API answer when the preset knows something about it: a Slack-style HTTP 200
 * `{"ok": false}` (an error, whatever the status says) or an error body with a known marker
 * (LinkedIn `me.GET.NO_VERSION`). Only those answers are buffered; every other body streams untouched.
 */
export async function inspectProviderAnswer(preset: ProviderPreset, response: Response): Promise<ProviderAnswer> {
  const okErrors = preset.quirks?.apiErrorsAsOk === true && response.status < 400
  const hinted = response.status >= 400 && (preset.errorHints?.length ?? 0) > 0
  if (!okErrors && !hinted) return {response}
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = Buffer.from(bytes).toString('utf8')
  const copy = new LiteResponse(LiteBody.of(bytes), response.status, response.statusText, new LiteHeaders([...response.headers]), response.url) as unknown as Response
  let errorInOk: string | undefined
  if (okErrors) {
    try {
      errorInOk = errorInOkAnswer(JSON.parse(text))
    } catch {
      // Not JSON: nothing to say about it.
    }
  }
  return {response: copy, errorInOk, hint: hintForError(preset, text)}
}

/** The `error` of a parsed HTTP 200 `{"ok": false, "error": "..."}` answer (Slack), else undefined. */
export function errorInOkAnswer(answer: unknown): string | undefined {
  const body = answer as {ok?: unknown; error?: unknown} | null
  if (!body || typeof body !== 'object' || body.ok !== false) return undefined
  return typeof body.error === 'string' ? body.error : 'unknown_error'
}

/** The message of an API error answered as HTTP 200 `{"ok": false}`. */
export function describeErrorInOk(response: Response, provider: string, error: string): string {
  return `${response.statusText}, but ${provider} answered "ok": false, "error": "${error}"`
}
