import {printJson} from '../cli/jq.js'
import type {Context} from '../context.js'
import {ConfigError, NotLoggedInError, UsageError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {listProviders, resolveProvider} from '../providers/registry.js'
import {registerSecret} from '../redact.js'
import {decodeJwt, verifyJwt} from '../oauth/jwt-decode.js'
import {loadLogin, loginCommand, readSecrets, resolveTarget, type LoadedLogin} from './session.js'
import {readInput} from '../util/stdin.js'

export interface DecodeInput {
  /** The JWT itself, or `-` for stdin; absent: a stored login's token. */
  token?: string
  provider?: string
  profile?: string
  /** Decode the login's ID token instead of its access token. */
  idToken?: boolean
  verify?: boolean
  jq?: string
}

/**
 * `oauthctl decode`: a JWT's header and claims as JSON on stdout, `"verified": false` unless `--verify`
 * checked it against the issuer's keys. The signature is never printed. The token comes from the argument,
 * stdin (`-`) or a stored login (its access token, or its ID token with `--id-token`), which is read as
 * stored, never refreshed.
 *
 * @throws UsageError (exit 2) for text that is not a JWT; NotLoggedInError (exit 4) without such a login
 *   or ID token; ConfigError (exit 3) when there is nothing to verify against; AuthorizationError (exit 5)
 *   when verification fails
 */
export async function runDecode(ctx: Context, input: DecodeInput): Promise<void> {
  if (input.token !== undefined && input.idToken) throw new UsageError('--id-token decodes the ID token of a stored login: give no token argument too')
  const {token, login, source} = await tokenToDecode(ctx, input)
  let decoded
  try {
    decoded = decodeJwt(token)
  } catch (error) {
    if (!(error instanceof UsageError) || source === undefined) throw error
    throw new UsageError(`${source} is not a JWT (an opaque token carries no claims to decode)`, {
      hint: `Ask the provider about it instead: oauthctl introspect ${login?.target.provider ?? ''}`.trimEnd(),
    })
  }
  let verified: Record<string, unknown> = {verified: false}
  if (input.verify) {
    const preset = login?.preset ?? presetForIssuer(ctx, input.provider, decoded.claims.iss)
    const audience = input.idToken ? (login?.record.clientId ?? preset.clientId) : undefined
    verified = {verified: true, ...(await verifyJwt(token, preset, {fetch: ctx.fetch, audience}))}
  }
  await printJson(ctx.io, {header: decoded.header, claims: decoded.claims, ...verified}, input.jq)
}

async function tokenToDecode(ctx: Context, input: DecodeInput): Promise<{token: string; login?: LoadedLogin; source?: string}> {
  if (input.token === '-') {
    const text = await readInput(ctx.io.stdin, {firstLine: ctx.io.stdinIsTTY, signal: ctx.signal, secret: true})
    if (!text?.trim()) throw new UsageError('decode - reads the token from stdin, but stdin ended without one')
    registerSecret(text.trim())
    return {token: text.trim()}
  }
  if (input.token !== undefined) {
    registerSecret(input.token)
    return {token: input.token}
  }
  const config = ctx.config()
  const login = await loadLogin(ctx, resolveTarget(config, input.provider, input.profile), config)
  const secrets = await readSecrets(login)
  const where = `the ${login.target.provider} login (profile ${login.target.profile})`
  if (!input.idToken) return {token: secrets.accessToken, login, source: `the access token of ${where}`}
  if (!secrets.idToken) {
    throw new NotLoggedInError(`${where} has no ID token`, {hint: `Log in with OpenID Connect: ${loginCommand(login.target, login.record)} --scope openid`})
  }
  registerSecret(secrets.idToken)
  return {token: secrets.idToken, login, source: `the ID token of ${where}`}
}

/** The provider to verify against: the one named, else the one whose issuer is the token's `iss`. */
function presetForIssuer(ctx: Context, provider: string | undefined, iss: unknown): ProviderPreset {
  if (provider) return resolveProvider(provider, ctx.config(), ctx.env)
  const match = typeof iss === 'string' ? listProviders(ctx.config(), ctx.env).find((known) => known.issuer === iss) : undefined
  if (!match) {
    throw new ConfigError(`no provider oauthctl knows has the issuer ${typeof iss === 'string' ? iss : '(the token names none)'}`, {
      hint: 'Name the provider to verify against with -p, or add it with `oauthctl providers add <name> --issuer <url>`.',
    })
  }
  return match
}
