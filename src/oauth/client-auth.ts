import type * as Client from 'openid-client'
import {ConfigError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import type {ClientKeyJwk} from '../providers/client-key.js'
import type {ClientCertificate} from '../store/client-cert-record.js'

/** The client identity used against one provider. */
export interface ClientCredentials {
  clientId: string
  clientSecret?: string
  /** Private JWK (JSON) for `private_key_jwt`, from `--client-key` or the credential store. */
  clientKey?: string
  /**
   * TLS client certificate (`--cert`/`--key`, or the one kept with the login): presented on every request
   * to the authorization server, sent to its mTLS endpoint aliases (RFC 8705 §5).
   */
  tls?: ClientCertificate
}

/**
 * openid-client's client authentication for the preset's method (RFC 6749 §2.3, RFC 7523 §2.2). Without a
 * secret, the secret-based methods fall back to none (a public client). The JWT methods sign a fresh
 * assertion per request with `iss` = `sub` = client id, a random `jti` and a 60 s `exp`; its `aud` is the
 * issuer, or the token endpoint where the preset says so or no issuer is known (RFC 7523 §3).
 *
 * @throws ConfigError (exit 3) when private_key_jwt has no key or client_secret_jwt no secret
 */
export async function createClientAuth(
  client: typeof Client,
  preset: ProviderPreset,
  credentials: ClientCredentials,
): Promise<Client.ClientAuth> {
  const secret = credentials.clientSecret
  const modify = assertionAudience(client, preset)
  switch (preset.clientAuth) {
    case 'none':
      // A public client sends no client_secret at all (Microsoft rejects even an empty one).
      return client.None()
    case 'client_secret_basic':
      return secret === undefined ? client.None() : client.ClientSecretBasic(secret)
    case 'client_secret_post':
      return secret === undefined ? client.None() : client.ClientSecretPost(secret)
    case 'client_secret_jwt':
      if (secret === undefined) {
        throw new ConfigError(`${preset.displayName} needs the client secret of ${credentials.clientId} to sign client_secret_jwt assertions`, {
          hint: 'Pass --client-secret once (it is kept in the credential store).',
        })
      }
      return client.ClientSecretJwt(secret, modify)
    case 'private_key_jwt': {
      if (credentials.clientKey === undefined) {
        throw new ConfigError(`${preset.displayName} needs the private key of ${credentials.clientId} for private_key_jwt`, {
          hint: 'Pass --client-key <PEM or JWK file> once (the key is kept in the credential store).',
        })
      }
      return client.PrivateKeyJwt(await importClientKey(credentials.clientKey), modify)
    }
    case 'tls_client_auth':
    case 'self_signed_tls_client_auth':
      // RFC 8705 §2: the TLS handshake authenticates the client; the body carries only client_id.
      if (credentials.tls === undefined) {
        throw new ConfigError(`${preset.displayName} needs the TLS client certificate of ${credentials.clientId} for ${preset.clientAuth}`, {
          hint: 'Pass --cert <PEM file> and --key <PEM file> once (they are kept in the credential store).',
        })
      }
      return client.TlsClientAuth()
  }
}

/** A stored client JWK as the CryptoKey openid-client signs with, and its `kid`. */
export async function importClientKey(clientKey: string): Promise<Client.PrivateKey> {
  const {importJWK} = await import('jose')
  const jwk = JSON.parse(clientKey) as ClientKeyJwk
  const {kid, alg} = jwk
  const key = (await importJWK({...jwk, key_ops: undefined, ext: true}, alg === 'EdDSA' ? 'Ed25519' : alg)) as Client.CryptoKey
  return {key, kid}
}

function assertionAudience(client: typeof Client, preset: ProviderPreset): Client.ModifyAssertionOptions {
  const toTokenEndpoint = preset.clientAssertionAudience === 'token-endpoint' || preset.issuer === undefined
  return {
    [client.modifyAssertion]: (header: Record<string, unknown>, payload: Record<string, unknown>) => {
      // The name most servers know for Ed25519 signatures (RFC 8037); oauth4webapi writes "Ed25519".
      if (header.alg === 'Ed25519') header.alg = 'EdDSA'
      if (toTokenEndpoint) payload.aud = preset.tokenEndpoint
    },
  }
}

/** The JWT or mTLS method to keep with a login record (LoginRecord.clientAuth), as a spreadable object. */
export function jwtClientAuthOf(preset: ProviderPreset): {clientAuth?: LoginClientAuth} {
  const method = preset.clientAuth
  return method === 'private_key_jwt' || method === 'client_secret_jwt' || method === 'tls_client_auth' || method === 'self_signed_tls_client_auth'
    ? {clientAuth: method}
    : {}
}

/** Client authentication methods a login record keeps (the ones that need more than a secret). */
export type LoginClientAuth = 'private_key_jwt' | 'client_secret_jwt' | 'tls_client_auth' | 'self_signed_tls_client_auth'
