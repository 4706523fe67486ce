/**
 * OAuth 1.0a request signing: the signature base string, HMAC-SHA1 / RSA-SHA1 / PLAINTEXT signatures and the
 * `Authorization: OAuth ...` header. Pure functions of their inputs (the nonce and timestamp are passed in),
 * shared by the client (every API call of an `oauth1` login, the three-legged login) and the sandbox, which
 * verifies with the same code.
 *
 * @see RFC 5849 §3.4 (signature), §3.5.1 (Authorization header), §3.6 (percent-encoding)
 */
import {createHmac, createSign, createVerify, randomBytes, timingSafeEqual, type KeyObject} from 'node:crypto'

/** The signature methods of RFC 5849 §3.4. */
export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'RSA-SHA1' | 'PLAINTEXT'

export const OAUTH1_SIGNATURE_METHODS: readonly OAuth1SignatureMethod[] = ['HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT']

/** One request parameter; names may repeat (`a=1&a=2`), so parameters are a list, not a map. */
export type OAuth1Param = [name: string, value: string]

/**
 * RFC 5849 §3.6: UTF-8, then every byte outside ALPHA / DIGIT / `-` `.` `_` `~` as `%XX` (upper-case hex).
 * encodeURIComponent leaves `!*'()` alone, which §3.6 encodes.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * RFC 5849 §3.4.1.2: scheme and host in lower case, the port only when it is not the scheme's default,
 * the path; no query, no fragment.
 */
export function baseStringUri(url: URL): string {
  // URL already lower-cases scheme and host and drops a default port.
  return `${url.protocol}//${url.host}${url.pathname}`
}

/** Decoded `name=value` pairs of a query or form body (`+` is a space, as in application/x-www-form-urlencoded). */
export function formParams(text: string): OAuth1Param[] {
  return [...new URLSearchParams(text)]
}

/** RFC 5849 §3.4.1.3.2: encode every name and value, sort by name then value (byte order), join with `&`. */
export function normalizeParameters(params: readonly OAuth1Param[]): string {
  return params
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

/**
 * RFC 5849 §3.4.1: `METHOD&encode(base URI)&encode(normalized parameters)`, where the parameters are the
 * query's, the form body's (`bodyParams`, only for an `application/x-www-form-urlencoded` body) and the
 * `oauth_*` protocol parameters without `oauth_signature` (and without `realm`).
 */
export function signatureBaseString(method: string, url: URL, oauthParams: readonly OAuth1Param[], bodyParams: readonly OAuth1Param[] = []): string {
  const query = formParams(url.search)
  const protocol = oauthParams.filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
  const params = normalizeParameters([...query, ...protocol, ...bodyParams])
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(params)].join('&')
}

/** The secrets a signature is made with; `privateKey` only for RSA-SHA1. */
export interface OAuth1Secrets {
  consumerSecret: string
  /** Empty before a token exists (the request-token call). */
  tokenSecret?: string
  privateKey?: KeyObject | string
}

/** RFC 5849 §3.4.2 / §3.4.4: `encode(consumer secret)&encode(token secret)`. */
function signingKey(secrets: OAuth1Secrets): string {
  return `${percentEncode(secrets.consumerSecret)}&${percentEncode(secrets.tokenSecret ?? '')}`
}

/**
 * The `oauth_signature` value (not yet percent-encoded for the header).
 * @see RFC 5849 §3.4.2 (HMAC-SHA1), §3.4.3 (RSA-SHA1), §3.4.4 (PLAINTEXT)
 */
export function computeSignature(method: OAuth1SignatureMethod, baseString: string, secrets: OAuth1Secrets): string {
  if (method === 'PLAINTEXT') return signingKey(secrets)
  if (method === 'HMAC-SHA1') return createHmac('sha1', signingKey(secrets)).update(baseString).digest('base64')
  if (!secrets.privateKey) throw new TypeError('RSA-SHA1 needs a private key')
  return createSign('RSA-SHA1').update(baseString).sign(secrets.privateKey, 'base64')
}

/** Checks a received signature (the sandbox's side); RSA-SHA1 with the consumer's public key. */
export function verifySignature(
  method: OAuth1SignatureMethod,
  baseString: string,
  signature: string,
  secrets: {consumerSecret: string; tokenSecret?: string; publicKey?: KeyObject | string},
): boolean {
  if (method === 'RSA-SHA1') {
    if (!secrets.publicKey) return false
    try {
      return createVerify('RSA-SHA1').update(baseString).verify(secrets.publicKey, signature, 'base64')
    } catch {
      return false
    }
  }
  const expected = Buffer.from(computeSignature(method, baseString, secrets))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** RFC 5849 §3.5.1: `OAuth name="value", ...` with every name and value percent-encoded. */
export function authorizationHeader(params: readonly OAuth1Param[], realm?: string): string {
  const parts = params.map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
  return `OAuth ${realm === undefined ? '' : `realm="${percentEncode(realm)}", `}${parts.join(', ')}`
}

/** Parses an `Authorization: OAuth ...` header into its parameters (decoded); undefined when it is not one. */
export function parseAuthorizationHeader(header: string | undefined): OAuth1Param[] | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined
  const params: OAuth1Param[] = []
  const pattern = /([\w.~%-]+)="([^"]*)"/g
  for (const match of header.slice(6).matchAll(pattern)) {
    try {
      params.push([decodeURIComponent(match[1] as string), decodeURIComponent(match[2] as string)])
    } catch {
      return undefined
    }
  }
  return params
}

/** Everything one signed request needs. */
export interface SignRequestInput {
  method: string
  url: URL
  consumerKey: string
  signatureMethod: OAuth1SignatureMethod
  secrets: OAuth1Secrets
  token?: string
  /** Decoded form-body parameters (only for `application/x-www-form-urlencoded` bodies, §3.4.1.3.1). */
  bodyParams?: readonly OAuth1Param[]
  /** Extra protocol parameters: `oauth_callback` (request token), `oauth_verifier` (access token). */
  extra?: readonly OAuth1Param[]
  /** Fixed for tests; default a random 32-character nonce and the current time. */
  nonce?: string
  timestamp?: number
  realm?: string
  /** Leave out `oauth_version` (OPTIONAL per §3.1; RFC 5849's own examples omit it). Default: sent as `1.0`. */
  omitVersion?: boolean
}

/** A fresh nonce: 16 random bytes in hex (RFC 5849 §3.3: unique per timestamp, consumer and token). */
export function randomNonce(): string {
  return randomBytes(16).toString('hex')
}

/**
 * The `Authorization` header value of one signed request.
 * @see RFC 5849 §3.1 (making requests)
 */
export function signRequest(input: SignRequestInput): string {
  const oauth: OAuth1Param[] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? randomNonce()],
    ['oauth_signature_method', input.signatureMethod],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
    ...(input.token !== undefined ? [['oauth_token', input.token] as OAuth1Param] : []),
    ...(input.omitVersion ? [] : [['oauth_version', '1.0'] as OAuth1Param]),
    ...(input.extra ?? []),
  ]
  const base = signatureBaseString(input.method, input.url, oauth, input.bodyParams ?? [])
  const signature = computeSignature(input.signatureMethod, base, input.secrets)
  return authorizationHeader([...oauth, ['oauth_signature', signature]], input.realm)
}

/** True when a body is form parameters that RFC 5849 §3.4.1.3.1 includes in the signature. */
export function isFormContentType(contentType: string | null | undefined): boolean {
  return /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType ?? '')
}
