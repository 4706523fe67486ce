import {Flags} from '@oclif/core'
import type {OptionFlag} from '@oclif/core/interfaces'
import type {ClientAuthMethod} from './preset.js'
import {staticPresets} from './presets.js'

/**
 * One command-line flag per preset option (`--tenant`, `--host`, `--login-host`), generated from the
 * presets' data so that a new parameterised preset needs no new command code.
 */
function buildOptionFlags(): Record<string, OptionFlag<string | undefined>> {
  const byFlag = new Map<string, string[]>()
  for (const preset of staticPresets) {
    for (const option of Object.values(preset.options ?? {})) {
      const lines = byFlag.get(option.flag) ?? []
      lines.push(`${preset.displayName}: ${option.description} Default ${option.default}.`)
      byFlag.set(option.flag, lines)
    }
  }
  return Object.fromEntries(
    [...byFlag].map(([flag, lines]) => [flag, Flags.string({description: lines.join(' '), helpGroup: 'PROVIDER OPTION'})]),
  )
}

export const providerOptionFlags = buildOptionFlags()

/** The provider-option values among parsed flags, by flag name. */
export function pickProviderOptionFlags(flags: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(providerOptionFlags).map((flag) => [flag, typeof flags[flag] === 'string' ? (flags[flag] as string) : undefined]),
  )
}

/** `--client-auth` values and the token endpoint authentication method each stands for (RFC 6749 §2.3.1, OIDC Core §9). */
export const CLIENT_AUTH_VALUES: Record<string, ClientAuthMethod> = {
  basic: 'client_secret_basic',
  post: 'client_secret_post',
  none: 'none',
  'private-key-jwt': 'private_key_jwt',
  'client-secret-jwt': 'client_secret_jwt',
  'tls-client-auth': 'tls_client_auth',
  'self-signed-tls-client-auth': 'self_signed_tls_client_auth',
}

/** `--client-auth basic|post|none|private-key-jwt|client-secret-jwt`, shared by `login` and `providers add`. */
export const clientAuthFlag = Flags.string({
  description:
    'How the app authenticates at the token endpoint: basic (HTTP Basic, client_secret_basic), post (client_secret in the form body, client_secret_post), none (public client), private-key-jwt (an assertion signed with --client-key, RFC 7523), client-secret-jwt (an HS256 assertion signed with the client secret), tls-client-auth or self-signed-tls-client-auth (the TLS client certificate of --cert/--key, RFC 8705).',
  options: Object.keys(CLIENT_AUTH_VALUES),
})

/** `--client-key <file>`: the app's private key (PEM or JWK) for private_key_jwt; kept in the credential store. */
export const clientKeyFlag = Flags.string({
  description: 'Private key of your app (PEM or JWK file) for private_key_jwt client authentication (RFC 7523); implies --client-auth private-key-jwt. Kept in the credential store, not in config.json.',
})

/** The method a `--client-auth` value stands for; undefined when the flag was not given. */
export function clientAuthFromFlag(value: string | undefined): ClientAuthMethod | undefined {
  return value === undefined ? undefined : CLIENT_AUTH_VALUES[value]
}
