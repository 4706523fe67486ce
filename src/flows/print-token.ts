import type {Context} from '../context.js'
import {toIsoTime} from '../util/time.js'
import {getAccessToken} from './access-token.js'
import {loadLogin, resolveTarget} from './session.js'

/** `oauthctl token`: the access token and a newline on stdout (or JSON metadata + token), nothing else. */
export async function printToken(ctx: Context, input: {provider?: string; profile?: string; json?: boolean}): Promise<void> {
  if (ctx.tokenOverride && !input.json) {
    ctx.io.out(`${ctx.tokenOverride}\n`)
    return
  }
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  const secrets = await getAccessToken(ctx, login)
  if (!input.json) {
    ctx.io.out(`${secrets.accessToken}\n`)
    return
  }
  const {record} = login
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
  ctx.io.out(`${JSON.stringify(document, null, 2)}\n`)
}
