import type {Context} from '../context.js'
import {fetchWithToken} from '../http/dpop-request.js'
import type {DPoPKey} from '../store/dpop-key-record.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import {mtlsTarget} from '../oauth/mtls-target.js'
import {AuthorizationError, UsageError} from '../errors.js'
import {limitResponseBody, ResponseTooLargeError} from '../http/body-limit.js'
import type {ProviderPreset} from '../providers/preset.js'
import {registerSecret} from '../redact.js'
import {errorInOkAnswer, errorsInOkShapeOf} from '../http/provider-answer.js'
import {applyPresetApiHeaders} from '../providers/quirks.js'
import {checkTokenType, identityFromClaims, userOfAnswer, type Identity, type TokenResponseLike} from '../oauth/token-response.js'
import {parseJsonSafely} from '../util/safe-object.js'
import {interruptibleTimeout} from '../util/interrupt.js'

/**
 * Parses what `login --with-token` read from stdin: a bare token (one line, no spaces), or a JSON token
 * response `{"access_token": "...", "refresh_token": "...", "expires_in": 3600, "scope": "..."}`.
 */
export function parseImportedToken(text: string): TokenResponseLike {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let data: unknown
    try {
      data = parseJsonSafely(trimmed)
    } catch (error) {
      throw new UsageError(`the JSON on stdin does not parse (${(error as Error).message})`, {
        hint: 'Pass a bare token, or JSON like {"access_token": "...", "refresh_token": "...", "expires_in": 3600}.',
      })
    }
    const record = data as Record<string, unknown>
    const bad = (field: string, expected: string) =>
      new UsageError(`"${field}" in the JSON on stdin must be ${expected}`, {hint: 'Fix the JSON and run the login again.'})
    if (typeof record.access_token !== 'string' || !/^\S+$/.test(record.access_token)) throw bad('access_token', 'a non-empty string without spaces')
    for (const field of ['refresh_token', 'scope', 'token_type', 'id_token'] as const) {
      if (record[field] !== undefined && typeof record[field] !== 'string') throw bad(field, 'a string')
    }
    // Some servers send "3600"; a lifetime beyond 10 years is clamped when the token is stored.
    if (typeof record.expires_in === 'string' && /^\d+$/.test(record.expires_in)) record.expires_in = Number(record.expires_in)
    if (record.expires_in !== undefined && (typeof record.expires_in !== 'number' || !(record.expires_in > 0))) {
      throw bad('expires_in', 'a positive number of seconds')
    }
    // Refused before the token is tried anywhere as a bearer token.
    checkTokenType(record.token_type)
    const tokens: TokenResponseLike = {access_token: record.access_token}
    if (record.refresh_token) tokens.refresh_token = record.refresh_token as string
    if (record.expires_in !== undefined) tokens.expires_in = record.expires_in as number
    if (record.scope) tokens.scope = record.scope as string
    if (record.token_type) tokens.token_type = record.token_type as string
    return tokens
  }
  if (!/^\S+$/.test(trimmed)) {
    throw new UsageError('stdin must hold one access token (no spaces), or a JSON object with "access_token"', {
      hint: 'For example: oauthctl login github --with-token < token.txt',
    })
  }
  return {access_token: trimmed}
}

export type TokenCheck =
  | {outcome: 'accepted'; url: string; identity: Identity}
  | {outcome: 'rejected'; url: string; status: number; /** What a success-status answer said when it refused the token: `"ok": false, "error": "invalid_auth"` (Slack). */ error?: string}
  | {outcome: 'unknown'; url?: string; reason: string; /** The endpoint could not be reached at all. */ unreachable?: boolean}

/** Where a token can be tried: the provider's "me" API endpoint, else OIDC userinfo. */
export function tokenCheckUrl(preset: ProviderPreset, apiBase = preset.apiBase): string | undefined {
  const endpoint = preset.meEndpoint ?? preset.userinfoEndpoint
  if (!endpoint) return undefined
  return /^https?:\/\//.test(endpoint) ? endpoint : `${apiBase.replace(/\/+$/, '')}${endpoint}`
}

/**
 * Tries an access token against the provider's "me" endpoint (or userinfo). 401 means the token does not
 * work; any other failure (403 for a narrow scope, 5xx, network) leaves the question open.
 */
export async function checkAccessToken(
  ctx: Context,
  preset: ProviderPreset,
  accessToken: string,
  url = tokenCheckUrl(preset),
  dpopKey?: DPoPKey,
  /** The Authorization header for `url` when it is not `Bearer <token>` (an OAuth 1.0a signature). */
  authorize?: (url: string) => string,
  clientCert?: ClientCertificate,
): Promise<TokenCheck> {
  if (!url) return {outcome: 'unknown', reason: `${preset.displayName} has no userinfo or "me" endpoint to try it against`}
  try {
    // The preset's own headers and User-Agent (Reddit throttles generic ones) on this API call too; a
    // DPoP-bound token with its proof (RFC 9449 §7.1); an OAuth 1.0a signature where that is the scheme.
    const target = mtlsTarget(preset, url, clientCert)
    const response = await fetchWithToken(ctx, target.url, accessToken, {dpopKey, authorize, tls: target.tls}, (headers) => applyPresetApiHeaders(preset, headers as unknown as Headers), interruptibleTimeout(ctx.signal, 10_000))
    if (response.status === 401) {
      await response.body?.cancel()
      return {outcome: 'rejected', url, status: 401}
    }
    if (!response.ok) {
      await response.body?.cancel()
      return {outcome: 'unknown', url, reason: `${url} answered HTTP ${response.status}`}
    }
    let answer: unknown
    try {
      answer = await (await limitResponseBody(response, url)).json()
    } catch (error) {
      // A non-JSON "me" answer still proves the token works; an oversized one is refused.
      if (error instanceof ResponseTooLargeError) throw error
      return {outcome: 'accepted', url, identity: {}}
    }
    // A success status whose body says the call failed (Slack "ok": false, Flickr "stat": "fail"): the
    // shape's token errors mean the token does not work; any other failure leaves the question open.
    const shape = errorsInOkShapeOf(preset)
    const okError = shape ? errorInOkAnswer(shape, answer) : undefined
    if (shape && okError) {
      return shape.tokenErrors?.includes(okError.error)
        ? {outcome: 'rejected', url, status: response.status, error: okError.said}
        : {outcome: 'unknown', url, reason: `${url} answered ${okError.said}`}
    }
    return {outcome: 'accepted', url, identity: identityFromClaims(userOfAnswer(preset.quirks?.identityPath, answer))}
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error
    return {outcome: 'unknown', url, reason: `${url} could not be reached (${(error as Error).message})`, unreachable: true}
  }
}

/**
 * `login --with-token`: validates the token (exit 5 when the provider answers 401) and returns it with
 * the identity the provider reported. When it cannot be validated, a warning says so and it is kept.
 */
export async function importToken(
  ctx: Context,
  preset: ProviderPreset,
  text: string,
): Promise<{tokens: TokenResponseLike; identity: Identity}> {
  const tokens = parseImportedToken(text)
  registerSecret(tokens.access_token)
  registerSecret(tokens.refresh_token)
  const check = await checkAccessToken(ctx, preset, tokens.access_token)
  if (check.outcome === 'rejected') {
    const why = check.error ?? `HTTP ${check.status}`
    throw new AuthorizationError(`${preset.displayName} rejected the token (${why} from ${check.url}); nothing was stored`, {
      hint: 'Check that the token is complete, unexpired and meant for this provider.',
    }, 'token_rejected')
  }
  if (check.outcome === 'unknown') ctx.io.warn(`the token could not be validated: ${check.reason}; storing it anyway`)
  return {tokens, identity: check.outcome === 'accepted' ? check.identity : {}}
}
