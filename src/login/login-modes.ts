import type {Context} from '../context.js'
import type {OptionValues} from '../providers/options.js'
import type {ProviderPreset} from '../providers/preset.js'
import type {KnownIssuer} from './issuer-check.js'
import type {DPoPKey} from '../store/dpop-key-record.js'
import {registerSecret} from '../redact.js'
import {rememberLoginSettings} from '../providers/client-secret.js'
import {loginWithClientCredentials} from './client-credentials.js'
import {loginWithDevice, pollIntervalFromEnv} from './device-login.js'
import {importToken} from './import-token.js'
import type {LoginInput, LoginMode, LoginResult} from './login-types.js'
import type {ClientCredentials} from '../oauth/oauth-client.js'
import {loginWithPaste} from './paste-login.js'
import type {AuthorizationRequestPlan} from './authorization-request.js'
import {saveLogin} from '../session/session.js'
import {readInput} from '../util/stdin.js'
import {throwIfInterrupted} from '../util/interrupt.js'
import {secretsFromTokenResponse, type TokenResponseLike} from '../oauth/token-response.js'

export type {LoginMode} from './login-types.js'

/** The `login` flags that pick a mode; at most one may be given. */
export const LOGIN_MODE_FLAGS = ['device', 'paste', 'with-token', 'client-credentials']

/** The mode the `login` flags ask for. */
export function loginModeFromFlags(flags: {device?: boolean; paste?: boolean; 'with-token'?: boolean; 'client-credentials'?: boolean}): LoginMode {
  if (flags.device) return 'device'
  if (flags.paste) return 'paste'
  if (flags['with-token']) return 'token'
  if (flags['client-credentials']) return 'client-credentials'
  return 'browser'
}

/** The grant recorded for a login made in `mode` (LoginRecord.grant). */
export function grantOfMode(mode: LoginMode | undefined): string {
  return mode === 'device' ? 'device_code' : mode === 'token' ? 'import' : mode === 'client-credentials' ? 'client_credentials' : 'authorization_code'
}

/** The device flow needs no client secret (GitHub's device flow is for public clients). */
export function presetForMode(preset: ProviderPreset, mode: LoginMode | undefined): ProviderPreset {
  return mode === 'device' ? {...preset, clientSecretRequired: false} : preset
}

/** Device or paste login: the person approves on any device; no loopback listener is started. */
export async function obtainTokensWithoutListener(
  ctx: Context,
  mode: 'device' | 'paste',
  input: {preset: ProviderPreset; credentials: ClientCredentials; scopes: string[]; port?: number; knownIssuers?: readonly KnownIssuer[]; request?: AuthorizationRequestPlan; dpopKey?: DPoPKey},
): Promise<TokenResponseLike> {
  if (mode === 'device') {
    return loginWithDevice(
      {...input, pollIntervalS: pollIntervalFromEnv(ctx.env)},
      {say: ctx.io.say, signal: ctx.signal, fetch: ctx.fetch, now: ctx.now, showQrCode: ctx.io.stderrIsTTY},
    )
  }
  return loginWithPaste(input, {
    say: ctx.io.say,
    stdinIsTTY: ctx.io.stdinIsTTY,
    fetch: ctx.fetch,
    signal: ctx.signal,
    dpopKey: input.dpopKey,
    // secret: the pasted redirect URL carries the code; on a terminal it is not echoed.
    readPaste: () => readInput(ctx.io.stdin, {firstLine: true, signal: ctx.signal, secret: true}),
  })
}

/**
 * Logins that involve no authorization request: an imported token (`--with-token`) or the client
 * credentials grant. Both store the result like any other login.
 */
export async function loginWithoutAuthorization(
  ctx: Context,
  mode: 'token' | 'client-credentials',
  preset: ProviderPreset,
  input: LoginInput,
  options: OptionValues,
): Promise<LoginResult> {
  if (mode === 'client-credentials') {
    const machine = await loginWithClientCredentials(ctx, preset, {
      target: input.target,
      scopes: input.scopes && input.scopes.length > 0 ? input.scopes : undefined,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      clientKey: input.clientKey,
      clientCert: input.clientCert,
    })
    const said = [...machine.said, ...(await rememberOptions(ctx, machine.store, preset, machine.record.clientId ?? '', options))]
    for (const line of said) ctx.io.say(line)
    return {record: machine.record, identity: machine.identity, storeKind: machine.store.kind, storeLocation: machine.store.location}
  }
  const store = await ctx.openStore()
  if (ctx.io.stdinIsTTY) ctx.io.say(`Paste the ${preset.displayName} access token (or a JSON token response on one line), then press Enter (it is not shown):`)
  const text = await readInput(ctx.io.stdin, {firstLine: ctx.io.stdinIsTTY, signal: ctx.signal, secret: true})
  if (text === undefined) {
    const {UsageError} = await import('../errors.js')
    throw new UsageError('--with-token reads the token from stdin, but stdin ended without one', {
      hint: `For example: oauthctl login ${preset.name} --with-token < token.txt`,
    })
  }
  const {tokens, identity} = await importToken(ctx, preset, text)
  throwIfInterrupted(ctx.signal, 'login interrupted before the token was stored; nothing was stored')
  const secrets = secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug)
  const clientSecret = input.clientSecret || ctx.env.OAUTHCTL_CLIENT_SECRET || undefined
  if (clientSecret) {
    registerSecret(clientSecret)
    secrets.clientSecret = clientSecret
  }
  const clientId = input.clientId || ctx.env.OAUTHCTL_CLIENT_ID || preset.clientId
  const {record, store: used} = await saveLogin(ctx, store, input.target, secrets, {
    ...identity,
    scopes: tokens.scope ? tokens.scope.split(/[ ,]+/) : (input.scopes ?? []),
    obtainedAt: ctx.now(),
    grant: grantOfMode('token'),
    ...(clientId ? {clientId} : {}),
  })
  for (const line of await rememberOptions(ctx, used, preset, clientId ?? '', options)) ctx.io.say(line)
  return {record, identity, storeKind: used.kind, storeLocation: used.location}
}

/** Provider options (`--tenant`, `--host`) are remembered as for a browser login; the client id is not. */
function rememberOptions(ctx: Context, store: Awaited<ReturnType<Context['openStore']>>, preset: ProviderPreset, clientId: string, options: OptionValues) {
  if (Object.keys(options).length === 0) return Promise.resolve([])
  return rememberLoginSettings(ctx, store, preset, {clientId, clientIdGiven: false, clientSecretGiven: false, options})
}
