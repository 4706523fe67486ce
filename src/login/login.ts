import {hostname} from 'node:os'
import {assertWritableConfigDir} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {optionValuesFromFlags} from '../providers/options.js'
import {apiBaseFromTokenResponse, withClientId} from '../providers/quirks.js'
import {listProviders, resolveProvider, resolveProviderDetails} from '../providers/registry.js'
import {registerSecret} from '../redact.js'
import {readClientSecret, rememberLoginSettings} from '../providers/client-secret.js'
import {readClientKey, readClientKeyFile, rememberClientKey} from '../providers/client-key.js'
import type {ClientCredentials} from '../oauth/oauth-client.js'
import {createDPoPKey} from '../oauth/dpop-key.js'
import {readClientCertificateFiles, rememberClientCertificate} from '../providers/client-cert.js'
import {certificateRecordOf, resolveLoginCertificate} from './login-certificate.js'
import {jwtClientAuthOf} from '../oauth/client-auth.js'
import {identifyUser} from './identify.js'
import type {KnownIssuer} from './issuer-check.js'
import {grantOfMode, loginWithoutAuthorization, obtainTokensWithoutListener, presetForMode} from './login-modes.js'
import {portOfRedirect, type LoginInput, type LoginResult} from './login-types.js'
import {loginWithLoopback, redirectUriFor} from './loopback-login.js'
import {saveLogin} from '../session/session.js'
import {secretsFromTokenResponse} from '../oauth/token-response.js'
import {throwIfInterrupted} from '../util/interrupt.js'
import {loginRecordExtras, planForMode} from './login-request.js'

export type {LoginInput, LoginResult} from './login-types.js'

/**
 * The client id and secret to use: flags, then OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET, then the
 * provider's configuration (a saved client id; a secret kept in the store, passed as `storedSecret`). Missing ones are a configuration error (exit 3) raised before any browser
 * opens, naming where to create an app and the exact redirect URI to register.
 */
export function resolveClientCredentials(
  preset: ProviderPreset,
  input: {clientId?: string; clientSecret?: string; port?: number; storedSecret?: string},
  env: NodeJS.ProcessEnv,
): ClientCredentials {
  // An empty flag or variable (`OAUTHCTL_CLIENT_SECRET=` in a script) counts as not given.
  const clientId = input.clientId || env.OAUTHCTL_CLIENT_ID || preset.clientId
  const clientSecret = input.clientSecret || env.OAUTHCTL_CLIENT_SECRET || input.storedSecret || undefined
  const missing = !clientId ? 'a client id' : preset.clientSecretRequired && !clientSecret ? 'a client secret' : undefined
  if (missing) {
    const where = preset.consoleUrl ? ` at ${preset.consoleUrl}` : ''
    const port = preset.loopback.anyPort ? ' (any port)' : ''
    throw new ConfigError(`${preset.displayName} needs ${missing} from your own OAuth app`, {
      hint:
        `Create an app${where} with the redirect URI ${redirectUriFor(preset, input.port)}${port}, then pass ` +
        `--client-id${preset.clientSecretRequired ? ' and --client-secret' : ''} ` +
        `(or set OAUTHCTL_CLIENT_ID${preset.clientSecretRequired ? ' / OAUTHCTL_CLIENT_SECRET' : ''}); ` +
        `they are remembered for later logins. Details: oauthctl providers show ${preset.name}`,
    })
  }
  registerSecret(clientSecret)
  return {clientId: clientId as string, clientSecret}
}

/** `oauthctl login <provider>` with the browser: authorize, exchange, identify, store. */
export async function login(ctx: Context, input: LoginInput): Promise<LoginResult> {
  const config = ctx.config()
  const named = resolveProvider(input.target.provider, config, ctx.env)
  // Flags are remembered for the provider; a re-consent's stored option values only apply to this login.
  const options = optionValuesFromFlags(named, input.providerFlags ?? {})
  const details = resolveProviderDetails(named.name, config, ctx.env, {...input.optionValues, ...options})
  const resolved = details.preset
  const withPkce = input.pkce ? {...resolved, pkce: 'required' as const} : resolved
  if (input.clientKeyFile && !input.clientAuth) input = {...input, clientAuth: 'private_key_jwt'}
  let preset = input.clientAuth ? {...withPkce, clientAuth: input.clientAuth} : withPkce
  const dpop = input.dpop === true || preset.dpop === true
  if (dpop) checkDPoPMode(input.mode)
  if (preset.oauth1 && input.mode !== undefined && input.mode !== 'browser' && input.mode !== 'paste') {
    throw new UsageError(`${preset.displayName} speaks OAuth 1.0a: log in in the browser (the default) or with --paste`)
  }
  if (preset.oauth1 && dpop) throw new UsageError(`${preset.displayName} speaks OAuth 1.0a, whose requests are signed with the token secret: --dpop is for OAuth 2.0 logins`)
  // A missing or unusable key file fails (exit 3) before any browser opens or anything is stored.
  const keyGiven = input.clientKeyFile ? await readClientKeyFile(input.clientKeyFile) : undefined
  const certGiven = input.certFiles ? await readClientCertificateFiles(input.certFiles) : undefined
  if (certGiven && (preset.oauth1 || input.mode === 'token')) throw new UsageError('--cert and --key are for OAuth 2.0 logins that talk to the token endpoint, not for imported tokens or OAuth 1.0a')
  if (input.mode === 'token' || input.mode === 'client-credentials') {
    planForMode(preset, {clientId: ''}, input)
    return loginWithoutAuthorization(ctx, input.mode, preset, {...input, clientKey: keyGiven, clientCert: certGiven}, options)
  }
  const clientIdGiven = input.clientId || ctx.env.OAUTHCTL_CLIENT_ID || undefined
  const secretGiven = input.clientSecret || ctx.env.OAUTHCTL_CLIENT_SECRET || undefined
  // Without a client id this fails (exit 3) before the store is even opened.
  if (!(clientIdGiven ?? preset.clientId)) resolveClientCredentials(preset, input, ctx.env)
  // Check where state goes and open the store before the browser: a read-only config dir or a locked
  // keyring should fail before the user logs in, not after.
  await assertWritableConfigDir(ctx.configDir)
  const store = await ctx.openStore()
  const clientId = (clientIdGiven ?? preset.clientId) as string
  const storedSecret = secretGiven ? undefined : await readClientSecret(store, preset.name, clientId)
  // A key kept for this client id by an earlier `--client-key` login authenticates it again (private_key_jwt),
  // whatever the preset's default for its own client, unless --client-auth names another method.
  const storedKey = keyGiven || (input.clientAuth !== undefined && input.clientAuth !== 'private_key_jwt') ? undefined : await readClientKey(store, preset.name, clientId)
  if (storedKey && preset.clientAuth !== 'private_key_jwt') preset = {...preset, clientAuth: 'private_key_jwt'}
  const clientKey = keyGiven ?? storedKey
  const clientCert = await resolveLoginCertificate(store, preset, clientId, certGiven)
  const credentials = {
    ...resolveClientCredentials(presetForMode(preset, input.mode), {...input, storedSecret}, ctx.env),
    ...(clientKey ? {clientKey} : {}),
    ...(clientCert ? {tls: clientCert} : {}),
  }
  const request = planForMode(preset, credentials, input)
  const scopes = input.scopes && input.scopes.length > 0 ? input.scopes : preset.defaultScopes
  if (preset.oauth1) {
    const {loginWithOAuth1} = await import('./oauth1-login.js')
    const remember = {clientIdGiven: clientIdGiven !== undefined, clientSecretGiven: secretGiven !== undefined, options}
    return loginWithOAuth1(ctx, {input, preset: {...preset, oauth1: preset.oauth1}, store, credentials, scopes, remember})
  }
  const knownIssuers = issuersOfOtherProviders(ctx, preset.name)
  // The key is made before the browser opens and stored with the tokens it binds (RFC 9449 §5).
  const dpopKey = dpop ? await createDPoPKey() : undefined
  const tokens = input.mode === 'device' || input.mode === 'paste'
    ? await obtainTokensWithoutListener(ctx, input.mode, {preset, credentials, scopes, port: input.port, knownIssuers, request, dpopKey})
    : await loginWithLoopback(
    {preset, credentials, scopes, port: input.port, timeoutMs: input.timeoutMs, openBrowser: input.openBrowser, knownIssuers, request},
    {
      startCallbackServer: ctx.startCallbackServer,
      browser: ctx.browser,
      say: ctx.io.say,
      warn: ctx.io.warn,
      stderr: ctx.io.stderr,
      debug: ctx.debug,
      signal: ctx.signal,
      fetch: ctx.fetch,
      dpopKey,
      hostname: hostname(),
    },
  )
  registerSecret(tokens.access_token)
  registerSecret(tokens.refresh_token)
  // Salesforce and the like name the API host in the token response; identify the user there already.
  const apiBase = apiBaseFromTokenResponse(preset, tokens as unknown as Record<string, unknown>)
  const identity = await identifyUser(ctx, withClientId(apiBase ? {...preset, apiBase} : preset, credentials.clientId), tokens, dpopKey, undefined, clientCert)
  // The identity lookup is best effort and swallows an abort: check before anything is written.
  throwIfInterrupted(ctx.signal, 'login interrupted before the tokens were stored; nothing was stored')
  const secrets = secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug, dpopKey)
  if (credentials.clientSecret) secrets.clientSecret = credentials.clientSecret
  if (credentials.clientKey) secrets.clientKey = credentials.clientKey
  if (clientCert) secrets.clientCert = clientCert
  const granted = typeof tokens.scope === 'string' && tokens.scope ? tokens.scope.split(/[ ,]+/) : scopes
  // `used` is where the secrets went: the file store if the keyring refused the write.
  const {record, store: used} = await saveLogin(ctx, store, input.target, secrets, {
    ...identity,
    scopes: granted,
    obtainedAt: ctx.now(),
    grant: grantOfMode(input.mode),
    clientId: credentials.clientId,
    ...jwtClientAuthOf(preset),
    ...(apiBase ? {apiBase} : {}),
    ...(dpopKey ? {tokenType: 'DPoP'} : {}),
    ...certificateRecordOf(clientCert),
    ...loginRecordExtras(request, tokens, ctx.debug),
    ...(Object.keys(details.optionValues).length > 0 ? {optionValues: details.optionValues} : {}),
    ...portOfRedirect(input),
  })
  const saved = await rememberLoginSettings(ctx, used, preset, {
    clientId: credentials.clientId,
    clientIdGiven: clientIdGiven !== undefined,
    clientSecret: credentials.clientSecret,
    clientSecretGiven: secretGiven !== undefined,
    options,
    clientAuth: input.clientAuth !== undefined && input.clientAuth !== resolved.clientAuth ? input.clientAuth : undefined,
  })
  if (keyGiven) saved.push(await rememberClientKey(used, preset.name, credentials.clientId, keyGiven))
  if (certGiven) saved.push(await rememberClientCertificate(used, preset.name, credentials.clientId, certGiven))
  for (const line of saved) ctx.io.say(line)
  return {record, identity, storeKind: used.kind, storeLocation: used.location}
}

/**
 * DPoP binds tokens from an authorization code (browser or paste login). The device and client
 * credentials grants and imported tokens are not bound yet: a usage error (exit 2) rather than a Bearer
 * token the user did not ask for.
 */
function checkDPoPMode(mode: LoginInput['mode']): void {
  if (mode === undefined || mode === 'browser' || mode === 'paste') return
  const flag = mode === 'token' ? '--with-token' : `--${mode}`
  throw new UsageError(`DPoP (--dpop, or a provider with dpop: true) works with the browser and --paste logins, not with ${flag}`, {
    hint: 'Log in in the browser (or with --paste) to get DPoP-bound tokens.',
  })
}

/** The issuers of every other provider oauthctl knows (built-in and configured), for issuerForResponse. */
function issuersOfOtherProviders(ctx: Context, name: string): KnownIssuer[] {
  try {
    return listProviders(ctx.config(), ctx.env)
      .filter((provider) => provider.name !== name && provider.issuer !== undefined)
      .map((provider) => ({issuer: provider.issuer as string, tokenEndpoint: provider.tokenEndpoint}))
  } catch {
    // A broken entry elsewhere in the config must not stop this login; its issuer is simply not known.
    return []
  }
}
