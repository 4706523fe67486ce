import {AuthorizationError, ConfigError, InterruptedError, OauthctlError} from '../errors.js'
import {hintForError, nonEmptyParams, type ProviderPreset} from '../providers/preset.js'
import {registerSecret} from '../redact.js'
import {describeOAuthError, hintForOAuthFailure, unreachableError, oauthErrorCode, oauthErrorDescription} from '../oauth/oauth-errors.js'
import {createOAuthConfig, type ClientCredentials, type FetchFn} from '../oauth/oauth-client.js'
import {joinScopes} from './loopback-login.js'
import {printable} from './paste-login.js'
import type {TokenResponseLike} from '../oauth/token-response.js'
import {sleep, timerDelay} from '../util/timers.js'

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** RFC 8628 §3.5: the interval when the server sends none, and what `slow_down` adds to it. */
export const DEFAULT_POLL_INTERVAL_S = 5
export const SLOW_DOWN_STEP_S = 5
/** The longest poll interval and device-code lifetime oauthctl believes from a server (absurd ones are clamped). */
export const MAX_POLL_INTERVAL_S = 60
export const MAX_DEVICE_CODE_LIFETIME_S = 24 * 60 * 60

/** For tests only: overrides the server's polling interval (seconds, may be fractional). */
export const POLL_INTERVAL_ENV = 'OAUTHCTL_DEVICE_POLL_INTERVAL'

export interface DeviceLoginInput {
  preset: ProviderPreset
  credentials: ClientCredentials
  scopes: string[]
  /** Overrides the server's `interval` (seconds); `slow_down` still adds 5 s to it. */
  pollIntervalS?: number
}

export interface DeviceLoginDeps {
  say(line: string): void
  signal?: AbortSignal
  fetch?: FetchFn
  now(): number
  /** Draw `verification_uri_complete` as a QR code (stderr is a terminal: a phone can scan it). */
  showQrCode?: boolean
  /** Waits `ms`, rejecting when `signal` aborts. Injected so tests can record the back-off without waiting. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>
}

/** The interval override from {@link POLL_INTERVAL_ENV}, or undefined; a bad value is a configuration error. */
export function pollIntervalFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[POLL_INTERVAL_ENV]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0 || value > 600) {
    throw new ConfigError(`${POLL_INTERVAL_ENV}="${raw}" is not a number of seconds between 0 and 600`, {
      hint: `Unset ${POLL_INTERVAL_ENV}; it exists for tests only.`,
    })
  }
  return value
}

/**
 * RFC 8628 device authorization grant: asks for a device and user code, shows the verification URL and
 * the code on stderr, then polls the token endpoint at the server's interval (5 s when it sends none),
 * adding 5 s on every `slow_down` (§3.5). Stops with exit 5 on `access_denied`, `expired_token` or when
 * `expires_in` has passed, and with exit 130 when interrupted.
 *
 * The polling loop is oauthctl's own (one `genericGrantRequest` per poll) rather than openid-client's
 * `pollDeviceAuthorizationGrant`, so that the clock, the wait and Ctrl-C are injected dependencies and
 * the back-off is observable in tests.
 * @see RFC 8628 §3.1-§3.5
 */
export async function loginWithDevice(input: DeviceLoginInput, deps: DeviceLoginDeps): Promise<TokenResponseLike> {
  const {preset} = input
  if (!preset.supportsDeviceFlow || !preset.deviceAuthorizationEndpoint) {
    throw new ConfigError(`${preset.displayName} does not support the device flow`, {
      hint: `Log in with the browser instead (oauthctl login ${preset.name} --no-browser prints the URL; add --paste when the browser runs on another machine).`,
    })
  }
  const client = await import('openid-client')
  const config = await createOAuthConfig(preset, input.credentials, {fetch: deps.fetch, signal: deps.signal})
  // Provider extras first (Auth0 `audience`, RFC 8628 §3.1 allows extension parameters).
  const parameters: Record<string, string> = nonEmptyParams(preset.deviceAuthorizationParams)
  if (input.scopes.length > 0) parameters[preset.scopeParameter ?? 'scope'] = joinScopes(preset, input.scopes)
  let authorization: Awaited<ReturnType<typeof client.initiateDeviceAuthorization>>
  try {
    authorization = await client.initiateDeviceAuthorization(config, parameters)
  } catch (error) {
    if (deps.signal?.aborted) throw interrupted()
    const offline = unreachableError(error, preset.deviceAuthorizationEndpoint ?? preset.tokenEndpoint, 'start the device login')
    if (offline) throw offline
    throw new AuthorizationError(`${preset.displayName} refused the device authorization request: ${describeOAuthError(error)}`, {
      error: oauthErrorCode(error),
      hint: hintForError(preset, oauthErrorDescription(error)) ?? hintForOAuthFailure(error, preset.deviceAuthorizationEndpoint ?? preset.tokenEndpoint, 'Check the client id and the scopes; the app must have the device flow enabled.'),
      cause: error,
    })
  }
  registerSecret(authorization.device_code)
  const complete = authorization.verification_uri_complete
  deps.say(`To log in to ${preset.displayName}, open ${printable(authorization.verification_uri)}`)
  deps.say(`and enter the code: ${printable(authorization.user_code)}`)
  if (complete) deps.say(`(or open ${printable(complete)} , which carries the code)`)
  if (complete && deps.showQrCode) deps.say(await renderQrCode(complete))
  // Server numbers are clamped: `interval: 1e306` would overflow the timer into polling every millisecond.
  const lifetimeS = Math.min(authorization.expires_in, MAX_DEVICE_CODE_LIFETIME_S)
  deps.say(`Waiting for you to approve the request (the code expires in ${Math.round(lifetimeS / 60)} min)...`)

  const wait = deps.sleep ?? sleep
  let intervalS = input.pollIntervalS ?? Math.min(authorization.interval ?? DEFAULT_POLL_INTERVAL_S, MAX_POLL_INTERVAL_S)
  const deadline = deps.now() + lifetimeS * 1000
  for (;;) {
    try {
      // Never sleep past the code's expiry: a server's huge `interval` must not outlive it (or overflow).
      await wait(timerDelay(Math.min(intervalS * 1000, Math.max(deadline - deps.now(), 0))), deps.signal)
    } catch {
      throw interrupted()
    }
    if (deps.now() >= deadline) throw expired(preset)
    try {
      const tokens = await client.genericGrantRequest(config, DEVICE_CODE_GRANT, {device_code: authorization.device_code})
      return tokens as TokenResponseLike
    } catch (error) {
      if (deps.signal?.aborted) throw interrupted()
      const code = oauthErrorCode(error)
      if (code === 'authorization_pending') continue
      if (code === 'slow_down') {
        intervalS = Math.min(intervalS + SLOW_DOWN_STEP_S, MAX_POLL_INTERVAL_S)
        continue
      }
      throw toDeviceError(error, code, preset)
    }
  }
}

/**
 * A QR code of `text` in Unicode half blocks, light modules drawn (so it scans on the usual dark terminal),
 * with a quiet zone. uqr is loaded only here.
 */
export async function renderQrCode(text: string): Promise<string> {
  const {renderUnicodeCompact} = await import('uqr')
  return renderUnicodeCompact(text, {border: 2})
}

function interrupted(): InterruptedError {
  return new InterruptedError('login interrupted while waiting for the device approval')
}

function expired(preset: ProviderPreset): AuthorizationError {
  return new AuthorizationError(`the ${preset.displayName} device code expired before the request was approved`, {
    error: 'expired_token',
    hint: `Run the login again and approve it sooner: oauthctl login ${preset.name} --device`,
  }, 'expired_token')
}

function toDeviceError(error: unknown, code: string | undefined, preset: ProviderPreset): OauthctlError {
  if (error instanceof OauthctlError) return error
  const offline = unreachableError(error, preset.tokenEndpoint, 'finish the device login; nothing was stored')
  if (offline) return offline
  if (code === 'expired_token') return expired(preset)
  const description = (error as {error_description?: string}).error_description
  if (code === 'access_denied') {
    return new AuthorizationError(`the device authorization was denied${description ? `: ${description}` : ''}`, {
      error: code,
      errorDescription: description,
      hint: `Run the login again and approve the request: oauthctl login ${preset.name} --device`,
    }, 'access_denied')
  }
  return new AuthorizationError(`${preset.displayName} did not issue tokens: ${describeOAuthError(error)}`, {
    error: code,
    errorDescription: description,
    hint: hintForError(preset, description) ?? hintForOAuthFailure(error, preset.tokenEndpoint, 'Run the login again; if it keeps failing, check the app settings at the provider.'),
    cause: error,
  })
}
