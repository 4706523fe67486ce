import {createPrivateKey, randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import type * as Client from 'openid-client'
import {ConfigError} from '../errors.js'

/** How a request object is signed: with the client secret (HS256) or a private key from a PEM file. */
export type RequestObjectSigner = {kind: 'secret'; secret: string} | {kind: 'key'; path: string}

/** How long a request object is valid (RFC 9101 §10.2 asks for a short `exp`). */
const REQUEST_OBJECT_TTL_S = 60

/**
 * The JWS algorithm for a private key: ES256/ES384/ES512 by curve, RS256 for RSA, Ed25519 for Ed25519.
 * @throws ConfigError (exit 3) for another kind of key.
 */
export function algorithmForKey(key: ReturnType<typeof createPrivateKey>, path: string): string {
  const type = key.asymmetricKeyType
  if (type === 'rsa') return 'RS256'
  if (type === 'ed25519') return 'Ed25519'
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    const alg = curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : undefined
    if (alg) return alg
  }
  throw new ConfigError(`the --jar-key ${path} is a ${type ?? 'unknown'} key, which cannot sign request objects`, {
    hint: 'Use an RSA, P-256/P-384/P-521 EC or Ed25519 private key in PEM form.',
  })
}

/**
 * Reads and imports a PEM private key (PKCS#8, PKCS#1 or SEC1) for signing request objects. The file is
 * read each time it is needed and never copied anywhere.
 * @throws ConfigError (exit 3) when the file cannot be read or holds no private key.
 */
export async function loadRequestObjectKey(path: string): Promise<Client.PrivateKey> {
  let key
  try {
    key = createPrivateKey(readFileSync(path))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a PEM private key'
    throw new ConfigError(`cannot use the --jar-key ${path}: ${reason}`, {hint: 'Pass a PEM file holding the private key whose public half the server has for this client.'})
  }
  const alg = algorithmForKey(key, path)
  const {importPKCS8} = await import('jose')
  const pkcs8 = key.export({type: 'pkcs8', format: 'pem'}).toString()
  return {key: await importPKCS8(pkcs8, alg)}
}

/**
 * The parameters that replace an authorization request by a signed request object (RFC 9101 §5:
 * `client_id` and `request`). A key file goes through openid-client's JAR support; a client secret
 * signs with HS256 (RFC 9101 §10.1, RFC 7518 §3.2), which openid-client does not offer, with the same
 * claims openid-client sets (`iss`, `aud`, `exp`, `iat`, `nbf`, `jti`, `client_id`, and the parameters).
 * @see RFC 9101 §4, §5
 */
export async function signRequestObject(
  client: typeof Client,
  config: Client.Configuration,
  params: URLSearchParams,
  signer: RequestObjectSigner,
): Promise<URLSearchParams> {
  if (signer.kind === 'key') {
    const url = await client.buildAuthorizationUrlWithJAR(config, params, await loadRequestObjectKey(signer.path))
    return url.searchParams
  }
  const {SignJWT} = await import('jose')
  const clientId = config.clientMetadata().client_id
  const claims: Record<string, unknown> = Object.fromEntries(params.entries())
  const resources = params.getAll('resource')
  if (resources.length > 1) claims.resource = resources
  const details = params.get('authorization_details')
  if (details !== null) claims.authorization_details = JSON.parse(details)
  const now = Math.floor(Date.now() / 1000)
  const jwt = await new SignJWT({...claims, client_id: clientId, jti: randomBytes(16).toString('base64url')})
    .setProtectedHeader({alg: 'HS256', typ: 'oauth-authz-req+jwt'})
    .setIssuer(clientId)
    .setAudience(config.serverMetadata().issuer)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + REQUEST_OBJECT_TTL_S)
    .sign(new TextEncoder().encode(signer.secret))
  return new URLSearchParams({client_id: clientId, request: jwt})
}
