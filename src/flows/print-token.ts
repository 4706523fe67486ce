import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {toIsoTime} from '../util/time.js'
import {getFreshToken} from './fresh-token.js'
import {formatToken, type TokenFormat} from './token-formats.js'

/** `oauthctl token`: the access token and a newline on stdout (or JSON metadata + token, or a line for curl), nothing else. */
export async function printToken(
  ctx: Context,
  input: {provider?: string; profile?: string; json?: boolean; jq?: string; format?: TokenFormat; host?: string},
): Promise<void> {
  const format = input.format ?? 'plain'
  const json = input.json === true || input.jq !== undefined
  // A given token needs no provider, except for the netrc user name.
  if (ctx.tokenOverride && !json && (format !== 'netrc' || input.provider === undefined)) {
    ctx.io.out(formatToken(ctx.tokenOverride, format, {provider: input.provider ?? 'given', host: input.host}))
    return
  }
  // `--header`, `--curl-config` and `--netrc` hand the token to curl as Bearer: not for a DPoP-bound token.
  const {login, secrets} = await getFreshToken(ctx, input, format === 'plain' ? undefined : format === 'netrc' ? 'a .netrc reader' : 'curl')
  if (!json) {
    ctx.io.out(formatToken(secrets.accessToken, format, {provider: login.target.provider, preset: login.preset, host: input.host}))
    return
  }
  const {record, target} = login
  const document = {
    provider: target.provider,
    profile: target.profile,
    subject: record.subject,
    name: record.name,
    scopes: record.scopes,
    tokenType: secrets.tokenType ?? 'Bearer',
    expiresAt: toIsoTime(secrets.expiresAt),
    store: record.store,
    accessToken: secrets.accessToken,
  }
  await printJson(ctx.io, document, input.jq)
}
