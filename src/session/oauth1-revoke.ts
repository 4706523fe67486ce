import type {Context} from '../context.js'
import {createOAuth1Signer} from '../http/oauth1-client.js'
import type {OAuth1Definition} from '../providers/preset.js'
import type {TokenSecrets} from '../store/token-store.js'
import {interruptibleTimeout} from '../util/interrupt.js'
import type {RevocationOutcome} from './revoke.js'

/**
 * Revokes an OAuth 1.0a token where the provider has an endpoint for it (`oauth1.revokeUrl`): a signed
 * POST with the token itself (RFC 5849 has no revocation; providers that offer one take this shape, e.g.
 * X's `POST /1.1/oauth/invalidate_token`). A 2xx (or 401: the token is already invalid) counts as revoked.
 */
export async function revokeOAuth1(
  ctx: Context,
  definition: OAuth1Definition,
  consumer: {consumerKey: string; consumerSecret?: string},
  secrets: TokenSecrets,
): Promise<RevocationOutcome> {
  if (!definition.revokeUrl) return {status: 'unsupported'}
  const url = new URL(definition.revokeUrl)
  try {
    const sign = createOAuth1Signer(definition, {...consumer, token: secrets.accessToken, tokenSecret: secrets.tokenSecret}, ctx.now)
    const response = await ctx.fetch(url, {
      method: 'POST',
      headers: {authorization: sign('POST', url), 'content-type': 'application/x-www-form-urlencoded'},
      body: '',
      signal: interruptibleTimeout(ctx.signal, 30_000),
    })
    await response.body?.cancel()
    if (response.ok || response.status === 401) return {status: 'revoked', revoked: ['access_token'], method: 'rfc7009'}
    return {status: 'failed', revoked: [], reason: `${url.host} answered HTTP ${response.status}`}
  } catch (error) {
    return {status: 'failed', revoked: [], reason: (error as Error).message}
  }
}
