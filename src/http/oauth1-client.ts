/**
 * The client side of OAuth 1.0a requests: a signer bound to one consumer (and token), and how an outgoing
 * request's parameters are collected for the signature (query + form body; never a JSON body).
 *
 * @see RFC 5849 §3.1, §3.4.1.3
 */
import {createPrivateKey, type KeyObject} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {ConfigError} from '../errors.js'
import {loginCommand, readSecrets, type LoadedLogin} from '../session/session.js'
import type {OAuth1Definition} from '../providers/preset.js'
import {formParams, isFormContentType, signRequest, type OAuth1Param} from './oauth1-signature.js'

/** Makes the `Authorization` header of one request. */
export type OAuth1Signer = (method: string, url: URL, body?: {contentType?: string | null; bytes?: Uint8Array | string}, extra?: OAuth1Param[]) => string

export interface OAuth1Credentials {
  consumerKey: string
  consumerSecret?: string
  token?: string
  tokenSecret?: string
}

/**
 * Reads the RSA-SHA1 private key named by the definition (each time it is needed: the file is the user's,
 * never copied). An unreadable or non-RSA key is a configuration error (exit 3).
 */
export function readRsaKey(definition: OAuth1Definition): KeyObject {
  const path = definition.privateKeyFile
  if (!path) throw new ConfigError('RSA-SHA1 needs oauth1.privateKeyFile: the PEM private key registered with the provider')
  let key: KeyObject
  try {
    key = createPrivateKey(readFileSync(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not a PEM private key'
    throw new ConfigError(`cannot read the RSA-SHA1 private key ${path}: ${code}`, {hint: 'Point oauth1.privateKeyFile at a PEM (PKCS#1 or PKCS#8) RSA private key.'})
  }
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(`the RSA-SHA1 key ${path} is a ${key.asymmetricKeyType ?? 'unknown'} key, not RSA`)
  return key
}

/** The form parameters of a body that RFC 5849 §3.4.1.3.1 signs (an `application/x-www-form-urlencoded` one), else none. */
export function signedBodyParams(contentType: string | null | undefined, bytes: Uint8Array | string | undefined): OAuth1Param[] {
  if (bytes === undefined || !isFormContentType(contentType)) return []
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return formParams(text)
}

/** A signer for a consumer (and, after the login, its token), with a fresh nonce and timestamp per request. */
export function createOAuth1Signer(definition: OAuth1Definition, credentials: OAuth1Credentials, now: () => number = Date.now): OAuth1Signer {
  const privateKey = definition.signatureMethod === 'RSA-SHA1' ? readRsaKey(definition) : undefined
  return (method, url, body, extra) =>
    signRequest({
      method,
      url,
      consumerKey: credentials.consumerKey,
      signatureMethod: definition.signatureMethod,
      secrets: {consumerSecret: credentials.consumerSecret ?? '', tokenSecret: credentials.tokenSecret, privateKey},
      token: credentials.token,
      bodyParams: signedBodyParams(body?.contentType, body?.bytes),
      extra,
      timestamp: Math.floor(now() / 1000),
      realm: definition.realm,
    })
}

/**
 * The signer of a stored OAuth 1.0a login: its consumer key (the login's client id), consumer secret and
 * token secret from the credential store. A token given with `--token` / OAUTHCTL_TOKEN has no token
 * secret, so it cannot sign: a configuration error (exit 3).
 */
export async function oauth1Authorization(login: LoadedLogin): Promise<OAuth1Signer> {
  const definition = login.preset.oauth1 as OAuth1Definition
  const secrets = await readSecrets(login)
  if (secrets.tokenSecret === undefined) {
    throw new ConfigError(`${login.preset.displayName} speaks OAuth 1.0a: a request needs the token secret of a stored login, not a bare token`, {
      hint: `Log in with: ${loginCommand(login.target, login.record)} (and do not set OAUTHCTL_TOKEN / --token for it).`,
    })
  }
  const consumerKey = login.record.clientId ?? login.preset.clientId ?? ''
  return createOAuth1Signer(definition, {consumerKey, consumerSecret: secrets.clientSecret, token: secrets.accessToken, tokenSecret: secrets.tokenSecret})
}
