import {createHash, createPrivateKey, type JsonWebKey, type KeyObject} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {ConfigError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {TokenStore} from '../store/token-store.js'
import {clientSecretKey} from './client-secret.js'

/**
 * The private key of a `private_key_jwt` client (RFC 7523 §2.2), normalised to one JWK with `kid` and `alg`
 * so that every later use needs neither the file nor a guess. Kept only in the credential store.
 */
export interface ClientKeyJwk extends JsonWebKey {
  kid: string
  alg: string
}

const RSA_ALGS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'])
const EC_ALGS: Record<string, string> = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'}

/**
 * Reads a private key file given with `--client-key`: PEM (PKCS#8, PKCS#1 or SEC1) or a JSON Web Key
 * (a single private JWK, or a JWK Set holding exactly one). The algorithm comes from the key (RSA: RS256
 * unless the JWK says PS256...; P-256: ES256; Ed25519: EdDSA); the `kid` from the JWK, else its RFC 7638
 * thumbprint.
 *
 * @throws ConfigError (exit 3) naming the file when it cannot be read or holds no usable private key
 */
export async function readClientKeyFile(path: string): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read the client key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'Pass --client-key with a readable PEM or JWK file holding the private key of the app.',
    })
  }
  const jwk = parseClientKey(text, path)
  registerSecret(jwk)
  return jwk
}

/** The normalised JWK (as JSON) of a key file's text. @throws ConfigError naming `source` */
export function parseClientKey(text: string, source: string): string {
  const trimmed = text.trim()
  let given: JsonWebKey | undefined
  let key: KeyObject
  try {
    if (trimmed.startsWith('{')) {
      const parsed = JSON.parse(trimmed) as JsonWebKey & {keys?: JsonWebKey[]}
      given = Array.isArray(parsed.keys) && parsed.keys.length === 1 ? parsed.keys[0] : parsed
      key = createPrivateKey({key: given as JsonWebKey, format: 'jwk'})
    } else {
      key = createPrivateKey(trimmed)
    }
  } catch {
    throw new ConfigError(`the client key file ${source} holds no private key oauthctl can use`, {
      hint: 'Give a PEM private key (BEGIN PRIVATE KEY) or a private JWK (with "d"): RSA, P-256/384/521 or Ed25519.',
    })
  }
  const exported = key.export({format: 'jwk'})
  const alg = algorithmOf(exported, typeof given?.alg === 'string' ? given.alg : undefined)
  if (!alg) {
    throw new ConfigError(`the client key in ${source} is of a type oauthctl cannot sign with (${exported.kty}${exported.crv ? ` ${exported.crv}` : ''})`, {
      hint: 'Use an RSA, P-256, P-384, P-521 or Ed25519 key.',
    })
  }
  const kid = typeof given?.kid === 'string' && given.kid ? given.kid : thumbprintOf(exported)
  return JSON.stringify({...exported, kid, alg})
}

/** The JWS algorithm a key signs client assertions with; undefined for a key type oauthctl cannot use. */
export function algorithmOf(jwk: JsonWebKey, stated?: string): string | undefined {
  if (jwk.kty === 'RSA') return stated && RSA_ALGS.has(stated) ? stated : 'RS256'
  if (jwk.kty === 'EC') return EC_ALGS[jwk.crv ?? '']
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  return undefined
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a key's public members. */
export function thumbprintOf(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'RSA' ? {e: jwk.e, kty: jwk.kty, n: jwk.n} : jwk.kty === 'EC' ? {crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y} : {crv: jwk.crv, kty: jwk.kty, x: jwk.x}
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url')
}

/** The stored private key of `clientId` at `provider` (beside its secret, if any). */
export async function readClientKey(store: TokenStore, provider: string, clientId: string): Promise<string | undefined> {
  const entry = await store.get(clientSecretKey(provider, clientId))
  registerSecret(entry?.clientKey)
  return entry?.clientKey || undefined
}

/** Keeps a client's private key in the credential store for later logins; a stored secret stays. */
export async function storeClientKey(store: TokenStore, provider: string, clientId: string, clientKey: string): Promise<void> {
  registerSecret(clientKey)
  const previous = await store.get(clientSecretKey(provider, clientId))
  await store.set(clientSecretKey(provider, clientId), {...previous, accessToken: '', clientKey})
}

/** {@link storeClientKey} after a login that was given `--client-key`; returns the line that says so. */
export async function rememberClientKey(store: TokenStore, provider: string, clientId: string, clientKey: string): Promise<string> {
  await storeClientKey(store, provider, clientId, clientKey)
  return `Private key of ${clientId} kept in ${store.location} for later logins (the key file is no longer needed).`
}
