import type {TokenSecrets} from '../store/token-store.js'
import type {LiteHeaders} from './lite.js'

/* How an API request carries a DPoP-bound token (RFC 9449 §7.1): `Authorization: DPoP <token>` and a fresh
 * `DPoP` proof for each attempt, with the latest nonce the origin gave. Bearer logins never load the
 * signing code (node:crypto): this module only imports it when a login has a DPoP key. */

/** The latest `DPoP-Nonce` each origin gave, for the rest of this process (RFC 9449 §8.2, §9). */
const noncesByOrigin = new Map<string, string>()

/** Nonces kept between processes (see dpop-nonces.ts): read when this process has none for an origin. */
export interface KeptNonces {
  get(origin: string): string | undefined
  set(origin: string, nonce: string, now: number): void
}

/** Signs proofs for one request; `undefined` for a Bearer login. */
export type ProofSigner = (method: string, url: URL, accessToken: string) => string

/** A signer for this login's DPoP key, or undefined when the token is a Bearer token. */
export async function loadProofSigner(secrets: TokenSecrets, now: () => number, kept?: KeptNonces): Promise<ProofSigner | undefined> {
  const key = secrets.dpopKey
  if (!key) return undefined
  const {buildDPoPProof} = await import('./dpop-proof.js')
  return (method, url, accessToken) => buildDPoPProof({key, method, url, accessToken, nonce: currentNonce(url.origin, kept), now: now()})
}

function currentNonce(origin: string, kept: KeptNonces | undefined): string | undefined {
  return noncesByOrigin.get(origin) ?? kept?.get(origin)
}

/**
 * Puts the token on a request: `Bearer`, or `DPoP` plus a proof made now (each retry of a request gets its
 * own proof, since a server refuses a `jti` it has seen).
 * @see RFC 6750 §2.1, RFC 9449 §7.1
 */
export function setAuthorization(headers: LiteHeaders, accessToken: string, signer: ProofSigner | undefined, method: string, url: URL): void {
  if (!signer) {
    headers.set('authorization', `Bearer ${accessToken}`)
    return
  }
  headers.set('authorization', `DPoP ${accessToken}`)
  headers.set('dpop', signer(method, url, accessToken))
}

/**
 * Remembers a `DPoP-Nonce` the answer carries and says whether the request should be sent again: a 401
 * whose DPoP challenge is `use_dpop_nonce` with a nonce other than the one just used.
 * @see RFC 9449 §9 (resource server nonce), §7.1 (`WWW-Authenticate: DPoP error="use_dpop_nonce"`)
 */
export function takeDPoPNonce(url: URL, response: {status: number; headers: {get(name: string): string | null}}, kept?: KeptNonces, now = Date.now()): boolean {
  const nonce = response.headers.get('dpop-nonce')
  // A nonce is a non-empty NQCHAR string (RFC 9449 §8.1): anything else is ignored.
  if (nonce === null || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(nonce)) return false
  const previous = currentNonce(url.origin, kept)
  noncesByOrigin.set(url.origin, nonce)
  kept?.set(url.origin, nonce, now)
  const challenge = response.headers.get('www-authenticate') ?? ''
  return response.status === 401 && /\bDPoP\b[^]*\berror\s*=\s*"?use_dpop_nonce"?/i.test(challenge) && previous !== nonce
}

/**
 * One GET with a stored token outside the API client (identity lookup, `status --check`): the same
 * Authorization (Bearer, DPoP with a proof, or what `credential.authorize` makes for the URL: an OAuth 1.0a
 * signature) and the same single `use_dpop_nonce` retry as API calls. `prepare` adds the request's other
 * headers (the preset's, `accept`).
 */
export async function fetchWithToken(
  deps: {fetch: (url: string, init: RequestInit) => Promise<Response>; now: () => number},
  url: string,
  accessToken: string,
  credential: {dpopKey?: TokenSecrets['dpopKey']; authorize?: (url: string) => string; tls?: TokenSecrets['clientCert']},
  prepare: (headers: LiteHeaders) => void,
  signal?: AbortSignal,
): Promise<Response> {
  const {LiteHeaders} = await import('./lite.js')
  const {authorize} = credential
  const signer = authorize ? undefined : await loadProofSigner({accessToken, dpopKey: credential.dpopKey}, deps.now)
  const target = new URL(url)
  const send = () => {
    const headers = new LiteHeaders({accept: 'application/json'})
    if (authorize) headers.set('authorization', authorize(url))
    else setAuthorization(headers, accessToken, signer, 'GET', target)
    prepare(headers)
    // A TLS client certificate (mTLS) rides along to oauthctl's HTTP client, which presents it.
    return deps.fetch(url, {headers: headers as unknown as Headers, signal, ...(credential.tls ? {tls: credential.tls} : {})} as RequestInit)
  }
  const response = await send()
  if (!signer || !takeDPoPNonce(target, response)) return response
  await response.body?.cancel()
  return send()
}
