/// <reference path="./oidc-provider.d.ts" />
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Provider} from 'oidc-provider'
import type {DPoPVerifier} from './dpop.js'
import {sendJson} from './http-util.js'

/**
 * The demo API's side of `Authorization: DPoP <token>`: the token must be one this sandbox issued, bound
 * to a key (`cnf.jkt`), and the request must carry a valid proof by that key with the API's nonce. Refusals
 * are 401 with a `WWW-Authenticate: DPoP` challenge; `use_dpop_nonce` comes with a `DPoP-Nonce` header.
 * @see RFC 9449 §7.1 (DPoP authorization scheme), §7.2 (a bound token sent as Bearer is refused, demo-api.ts), §9
 */
export async function authenticateDPoP(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: {provider: Provider; log: (line: string) => void},
  verifier: DPoPVerifier,
): Promise<{accountId?: string; clientId: string} | undefined> {
  // error_description is a quoted-string: the descriptions are free of quotes and backslashes.
  const refuse = (error: string, description: string): undefined => {
    deps.log(`API ${req.method ?? '?'} ${url.pathname}: 401 ${error} ${description}`)
    const headers: Record<string, string> = {
      'www-authenticate': `DPoP algs="ES256", error="${error}", error_description="${description}"`,
    }
    if (error === 'use_dpop_nonce') headers['dpop-nonce'] = verifier.nonce
    sendJson(res, 401, {error, error_description: description}, headers)
    return undefined
  }
  const match = /^DPoP +([\x21-\x7e]+) *$/i.exec(req.headers.authorization ?? '')
  if (!match?.[1]) return refuse('invalid_token', 'the Authorization header is not of the form DPoP <token>')
  const value = match[1]
  const {provider} = deps
  const userToken = await provider.AccessToken.find(value)
  const token = userToken ?? (await provider.ClientCredentials.find(value))
  if (!token) return refuse('invalid_token', 'the access token is unknown, revoked or expired')
  if (token.isExpired) return refuse('invalid_token', 'the access token expired')
  const refusal = verifier.check(req, url, value, (token as {jkt?: string}).jkt)
  if (refusal) return refuse(refusal.error, refusal.description)
  return {accountId: userToken?.accountId, clientId: token.clientId}
}
