import {resolve} from 'node:path'
import {UsageError} from '../errors.js'
import {readRsaKey} from '../http/oauth1-client.js'
import {OAUTH1_SIGNATURE_METHODS, type OAuth1SignatureMethod} from '../http/oauth1-signature.js'
import type {ProviderEntry} from './custom.js'
import type {OAuth1Definition} from './preset.js'
import {checkServerUrl} from './discovery.js'

/** The `providers add` flags of an OAuth 1.0a provider. */
export interface OAuth1Flags {
  /** `--request-token-url`: its presence makes the provider OAuth 1.0a. */
  requestTokenUrl?: string
  /** `--signature-method`, default HMAC-SHA1. */
  signatureMethod?: string
  /** `--rsa-key FILE` (RSA-SHA1): the path is saved, the key itself stays in the file. */
  rsaKey?: string
}

/**
 * Turns `providers add --request-token-url ... --authorize-url ... --token-url ...` into an `oauth1` block
 * (the token URL is the access-token endpoint, RFC 5849 §2.3). The RSA key file is read once now, so a
 * wrong path is found here rather than at the first login.
 */
export function applyOAuth1Flags(entry: ProviderEntry, flags: OAuth1Flags): void {
  if (flags.requestTokenUrl === undefined) {
    if (flags.signatureMethod !== undefined || flags.rsaKey !== undefined) throw new UsageError('--signature-method and --rsa-key are for OAuth 1.0a providers: give --request-token-url too')
    return
  }
  const method = (flags.signatureMethod ?? 'HMAC-SHA1').toUpperCase() as OAuth1SignatureMethod
  if (!OAUTH1_SIGNATURE_METHODS.includes(method)) throw new UsageError(`--signature-method must be one of ${OAUTH1_SIGNATURE_METHODS.join(', ')}`)
  if ((method === 'RSA-SHA1') !== (flags.rsaKey !== undefined)) throw new UsageError('--rsa-key goes with --signature-method RSA-SHA1, and RSA-SHA1 needs it')
  if (!entry.authorizationEndpoint || !entry.tokenEndpoint) throw new UsageError('an OAuth 1.0a provider needs --authorize-url and --token-url (the access-token URL) with --request-token-url')
  const definition: OAuth1Definition = {
    requestTokenUrl: checkServerUrl(flags.requestTokenUrl, '--request-token-url').href,
    authorizeUrl: entry.authorizationEndpoint,
    accessTokenUrl: entry.tokenEndpoint,
    signatureMethod: method,
    ...(entry.revocationEndpoint ? {revokeUrl: entry.revocationEndpoint} : {}),
  }
  if (flags.rsaKey !== undefined) {
    definition.privateKeyFile = resolve(flags.rsaKey)
    readRsaKey(definition)
  }
  delete entry.revocationEndpoint
  entry.oauth1 = definition
}
