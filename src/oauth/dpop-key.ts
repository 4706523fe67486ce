import type * as Client from 'openid-client'
import type {DPoPKey, EcJwk} from '../store/dpop-key-record.js'

/* The DPoP key of a login (RFC 9449): made at login, kept in the credential store beside the tokens it
 * binds, and handed to openid-client for the code exchange and every refresh (openid-client signs those
 * proofs and retries once on `use_dpop_nonce`). API requests sign their own proofs (http/dpop-proof.ts). */

/**
 * Makes a fresh ES256 (P-256) key pair for a new DPoP login.
 * @see RFC 9449 §2 (the client makes the key pair), §4.2 (ES256 is the algorithm servers must accept)
 */
export async function createDPoPKey(): Promise<DPoPKey> {
  const {generateKeyPairSync} = await import('node:crypto')
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const privateJwk = privateKey.export({format: 'jwk'}) as EcJwk
  const publicJwk = publicKey.export({format: 'jwk'}) as EcJwk
  return {alg: 'ES256', privateJwk, publicJwk: {kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y}}
}

/**
 * openid-client's DPoP handle for a stored key: the private key imported non-extractable into WebCrypto.
 * One handle per process and configuration; it remembers the token endpoint's `DPoP-Nonce`.
 * @see RFC 9449 §5 (token requests carry a proof), §8 (nonces)
 */
export async function createDPoPHandle(config: Client.Configuration, key: DPoPKey): Promise<Client.DPoPHandle> {
  const client = await import('openid-client')
  const algorithm = {name: 'ECDSA', namedCurve: 'P-256'}
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('jwk', key.privateJwk, algorithm, false, ['sign']),
    crypto.subtle.importKey('jwk', key.publicJwk, algorithm, true, ['verify']),
  ])
  return client.getDPoPHandle(config, {privateKey, publicKey})
}

/** The `{DPoP}` option of an openid-client grant call, or nothing for a Bearer login. */
export async function dpopOptions(config: Client.Configuration, key: DPoPKey | undefined): Promise<{DPoP?: Client.DPoPHandle}> {
  return key ? {DPoP: await createDPoPHandle(config, key)} : {}
}
