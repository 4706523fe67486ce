import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
import type {ClientAuthMethod, ProviderPreset} from '../providers/preset.js'
import {optionValuesFromFlags} from '../providers/options.js'
import {resolveProvider} from '../providers/registry.js'
import {registerSecret} from '../redact.js'
import type {TokenStore} from '../store/token-store.js'
import type {ClientCredentials} from './client-auth.js'
import {readClientKey, readClientKeyFile} from '../providers/client-key.js'
import {readClientSecret} from '../providers/client-secret.js'
import {asConfidentialClient} from '../login/client-credentials.js'
import {readClientCertificateFiles, type ClientCertificateFiles} from '../providers/client-cert.js'
import {resolveLoginCertificate} from '../login/login-certificate.js'
import type {ClientCertificate} from '../store/client-cert-record.js'

/** Flags that name the client of a grant run outside `login` (token exchange, JWT bearer). */
export interface GrantClientInput {
  provider: string
  clientId?: string
  clientSecret?: string
  clientKeyFile?: string
  /** `--cert`, `--key`, `--cacert`: a TLS client certificate (RFC 8705), else the one kept for the client id. */
  certFiles?: ClientCertificateFiles
  clientAuth?: ClientAuthMethod
  providerFlags?: Record<string, string | undefined>
}

/**
 * The provider and the client that authenticates a grant: the client id from the flag,
 * OAUTHCTL_CLIENT_ID or the provider's configuration; its secret and private key from the flags or the
 * credential store (as `login` keeps them); the method from `--client-auth`, else private_key_jwt when a
 * key file is given, else the provider's.
 *
 * @throws ConfigError (exit 3) without a client id, or for an unreadable key file
 */
export async function resolveGrantClient(
  ctx: Context,
  input: GrantClientInput,
): Promise<{preset: ProviderPreset; credentials: ClientCredentials; store: TokenStore; keyGiven?: string; certGiven?: ClientCertificate}> {
  const config = ctx.config()
  const named = resolveProvider(input.provider, config, ctx.env)
  const options = optionValuesFromFlags(named, input.providerFlags ?? {})
  const resolved = Object.keys(options).length > 0 ? resolveProvider(named.name, config, ctx.env, options) : named
  const clientAuth = input.clientAuth ?? (input.clientKeyFile ? 'private_key_jwt' : undefined)
  const keyGiven = input.clientKeyFile ? await readClientKeyFile(input.clientKeyFile) : undefined
  const certGiven = input.certFiles ? await readClientCertificateFiles(input.certFiles) : undefined
  const clientId = input.clientId ?? ctx.env.OAUTHCTL_CLIENT_ID ?? resolved.clientId
  if (!clientId) {
    throw new ConfigError(`${resolved.displayName} needs the client id of your app for this grant`, {hint: 'Pass --client-id (and --client-secret or --client-key).'})
  }
  const store = await ctx.openStore()
  const clientSecret = input.clientSecret ?? ctx.env.OAUTHCTL_CLIENT_SECRET ?? (await readClientSecret(store, resolved.name, clientId))
  registerSecret(clientSecret)
  const withAuth = asConfidentialClient(clientAuth ? {...resolved, clientAuth} : resolved, clientSecret)
  const clientKey = keyGiven ?? (withAuth.clientAuth === 'private_key_jwt' ? await readClientKey(store, resolved.name, clientId) : undefined)
  const clientCert = await resolveLoginCertificate(store, withAuth, clientId, certGiven)
  const credentials: ClientCredentials = {clientId, ...(clientSecret ? {clientSecret} : {}), ...(clientKey ? {clientKey} : {}), ...(clientCert ? {tls: clientCert} : {})}
  return {preset: withAuth, credentials, store, keyGiven, certGiven}
}
