import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {getAccessToken, loadLogin, resolveTarget} from './session.js'

/** `oauthctl token`: the access token and a newline on stdout (or JSON metadata + token), nothing else. */
export async function printToken(ctx: Context, input: {provider?: string; profile?: string; json?: boolean; jq?: string}): Promise<void> {
  const json = input.json === true || input.jq !== undefined
  if (ctx.tokenOverride && !json) {
    ctx.io.out(`${ctx.tokenOverride}\n`)
    return
  }
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile, ctx.tokenOverride)
  const login = await loadLogin(ctx, target, config)
  const secrets = await getAccessToken(ctx, login)
  if (!json) {
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
    expiresAt: secrets.expiresAt === undefined ? null : new Date(secrets.expiresAt).toISOString(),
    store: record.store,
    accessToken: secrets.accessToken,
  }
  await printJson(ctx.io, document, input.jq)
}
