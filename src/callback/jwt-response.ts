import {unverifiedClaims} from '../util/jwt-claims.js'

/** The longest JARM `response` JWT read (characters). */
const MAX_RESPONSE_JWT_CHARS = 16 * 1024

/** The authorization-response members a JARM JWT carries (JARM §2.1, §2.2). */
const RESPONSE_MEMBERS = ['state', 'iss', 'code', 'error', 'error_description'] as const

/**
 * The parameters to judge a callback by. A JWT-secured authorization response (JARM, `response_mode=jwt`)
 * carries one `response` parameter holding a signed JWT; its `state`, `iss`, `code` and `error` members are
 * read here, unverified, only to tell whether the response belongs to this login. The JWT itself goes on to
 * openid-client, which verifies its signature against the issuer's JWKS, its `iss`, `aud` and `exp`, and
 * the state again, before any code is exchanged.
 * Anything else (a plain response, two `response` parameters, an unreadable JWT) is returned as is, or
 * as an empty set that matches no login.
 * @see https://openid.net/specs/oauth-v2-jarm.html §2.3, §2.4
 */
export function paramsForJudging(params: URLSearchParams): URLSearchParams {
  if (!params.has('response') || params.has('code') || params.has('error')) return params
  const responses = params.getAll('response')
  const jwt = responses[0]
  if (responses.length !== 1 || jwt.length > MAX_RESPONSE_JWT_CHARS) return new URLSearchParams()
  const claims = unverifiedClaims(jwt)
  const judged = new URLSearchParams()
  if (!claims) return judged
  for (const name of RESPONSE_MEMBERS) {
    const value = claims[name]
    if (typeof value === 'string') judged.set(name, value)
  }
  return judged
}
