import type {Context} from '../context.js'
import {limitResponseBody, ResponseTooLargeError} from '../http/body-limit.js'
import {fetchWithToken} from '../http/dpop-request.js'
import type {DPoPKey} from '../store/dpop-key-record.js'
import type {ClientCertificate} from '../store/client-cert-record.js'
import {mtlsTarget} from '../oauth/mtls-target.js'
import type {ProviderPreset} from '../providers/preset.js'
import {applyPresetApiHeaders} from '../providers/quirks.js'
import {interruptibleTimeout} from '../util/interrupt.js'
import {identityFromClaims, userOfAnswer, type Identity, type TokenResponseLike} from '../oauth/token-response.js'

/**
 * Who just logged in: the ID token's claims when they name the user, else the provider's userinfo or
 * "me" endpoint. Best effort: a failure here never fails the login.
 */
export async function identifyUser(
  ctx: Context,
  preset: ProviderPreset,
  tokens: TokenResponseLike,
  dpopKey?: DPoPKey,
  /** The Authorization header for `url` when it is not `Bearer <access token>` (an OAuth 1.0a signature). */
  authorize?: (url: string) => string,
  /** The login's TLS client certificate (mTLS): userinfo at its alias, and API origins, get it. */
  clientCert?: ClientCertificate,
): Promise<Identity> {
  const fromIdToken = identityFromClaims(tokens.claims?.())
  if (fromIdToken.subject && fromIdToken.name) return fromIdToken
  const endpoint = preset.userinfoEndpoint && tokens.id_token ? preset.userinfoEndpoint : preset.meEndpoint
  if (!endpoint) return fromIdToken
  const {url, tls} = mtlsTarget(preset, /^https?:\/\//.test(endpoint) ? endpoint : `${preset.apiBase.replace(/\/+$/, '')}${endpoint}`, clientCert)
  try {
    // A DPoP-bound token goes with a proof (RFC 9449 §7.1), as on every API call; OAuth 1.0a signs instead.
    const response = await fetchWithToken(ctx, url, tokens.access_token, {dpopKey, authorize, tls}, (headers) => applyPresetApiHeaders(preset, headers as unknown as Headers), interruptibleTimeout(ctx.signal, 10_000))
    if (!response.ok) {
      ctx.debug(`identity lookup at ${url} answered ${response.status}`)
      return fromIdToken
    }
    const fromEndpoint = identityFromClaims(userOfAnswer(preset.quirks?.identityPath, await (await limitResponseBody(response, url)).json()))
    return {
      subject: fromIdToken.subject ?? fromEndpoint.subject,
      name: fromIdToken.name ?? fromEndpoint.name,
      email: fromIdToken.email ?? fromEndpoint.email,
    }
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error
    ctx.debug(`identity lookup at ${url} failed: ${(error as Error).message}`)
    return fromIdToken
  }
}
