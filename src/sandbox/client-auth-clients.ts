/// <reference path="./oidc-provider.d.ts" />
import {createHash, generateKeyPairSync, type JsonWebKey} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {ClientMetadata} from 'oidc-provider'
import {CLI_REDIRECT_URI, DEVICE_CODE_GRANT, SCOPES} from './provider-config.js'
import {TOKEN_EXCHANGE_GRANT} from './token-exchange.js'
import {JWT_BEARER_GRANT} from './jwt-bearer.js'

/** The sandbox client that authenticates with private_key_jwt (RFC 7523 §2.2); its key is made at start. */
export const JWT_CLIENT_ID = 'oauthctl-jwt'
/** The sandbox client that authenticates with client_secret_jwt (HS256 over this secret). */
export const SECRET_JWT_CLIENT_ID = 'oauthctl-secret-jwt'
export const SECRET_JWT_CLIENT_SECRET = 'sandbox-jwt-secret-0123456789abcdefghijklmnop'
/** File names of the private_key_jwt client's private key in `--client-keys <dir>`. */
export const JWT_CLIENT_KEY_FILES = {pem: `${JWT_CLIENT_ID}.pem`, jwk: `${JWT_CLIENT_ID}.jwk.json`}

export interface ClientAuthClients {
  clients: ClientMetadata[]
  /** Issuers whose JWT bearer assertions (RFC 7523 §2.1) the sandbox trusts: oauthctl-jwt's public key. */
  assertionIssuers: Record<string, JsonWebKey>
  /** Writes the private key (PEM and JWK, 0600) to `dir`; returns the PEM file's path. */
  writePrivateKey(dir: string): Promise<string>
}

/** What the sandbox's extra confidential clients share: the CLI's redirect and every grant it can ask for. */
export const EVERY_GRANT_CLIENT = {
  application_type: 'native' as const,
  redirect_uris: [CLI_REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT, TOKEN_EXCHANGE_GRANT, JWT_BEARER_GRANT],
  response_types: ['code'],
  scope: SCOPES.join(' '),
}

/**
 * Two confidential clients for JWT client authentication, allowed every grant the public client has plus
 * client credentials: `oauthctl-jwt` (private_key_jwt, its public JWK registered; the private half, new at
 * every start, exists only in this process unless `oauthctl sandbox --client-keys <dir>` writes it out) and
 * `oauthctl-secret-jwt` (client_secret_jwt).
 */
export function createClientAuthClients(): ClientAuthClients {
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const publicJwk = publicKey.export({format: 'jwk'})
  // The RFC 7638 thumbprint: the kid oauthctl (and most tools) derive from a PEM key that names none.
  const kid = createHash('sha256').update(JSON.stringify({crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y})).digest('base64url')
  const common = EVERY_GRANT_CLIENT
  const clients: ClientMetadata[] = [
    {
      ...common,
      client_id: JWT_CLIENT_ID,
      client_name: 'oauthctl private_key_jwt client',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: {keys: [{...publicJwk, kid, alg: 'ES256', use: 'sig'}]},
    },
    {
      ...common,
      client_id: SECRET_JWT_CLIENT_ID,
      client_name: 'oauthctl client_secret_jwt client',
      client_secret: SECRET_JWT_CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_jwt',
    },
  ]
  return {
    clients,
    assertionIssuers: {[JWT_CLIENT_ID]: {...publicJwk, kid, alg: 'ES256'}},
    async writePrivateKey(dir) {
      await mkdir(dir, {recursive: true, mode: 0o700})
      const pem = join(dir, JWT_CLIENT_KEY_FILES.pem)
      await writeFile(pem, privateKey.export({format: 'pem', type: 'pkcs8'}), {mode: 0o600})
      const jwk = {...privateKey.export({format: 'jwk'}), kid, alg: 'ES256'}
      await writeFile(join(dir, JWT_CLIENT_KEY_FILES.jwk), `${JSON.stringify(jwk)}\n`, {mode: 0o600})
      return pem
    },
  }
}
