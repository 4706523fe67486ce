import type {ServerResponse} from 'node:http'
import {redirectWith, sendJson, sendText, TwinGrants, TwinSigner, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * LinkedIn, as a standard (non-native) app with "Sign In with LinkedIn using OpenID Connect".
 * Sources, cited per rule below:
 * - AUTH: https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
 * - OIDC: https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
 * - NO_PKCE: https://github.com/UsefulSoftwareCo/executor/issues/2087 (the same app with and without
 *   code_verifier), https://github.com/teamhanko/hanko/pull/2405 ("LinkedIn does not support PKCE on the
 *   OIDC http flows and returns an error when code_verifier is set")
 * - NO_VERSION: https://github.com/linkedin-developers/linkedin-api-js-client/issues/35
 * - VERSIONING: https://learn.microsoft.com/linkedin/marketing/versioning
 */
export interface LinkedinApp {
  clientId: string
  clientSecret: string
  /** The one redirect URL registered for the app (AUTH: "must match exactly"). */
  redirectUri: string
}

export interface LinkedinTwin extends Twin {
  grants: TwinGrants
}

const ISSUER = 'https://www.linkedin.com/oauth'
const USER = {sub: 'li-782bbtaQ', name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', email: 'ada@example.com', email_verified: true, locale: {country: 'GB', language: 'en'}}

export function createLinkedinTwin(app: LinkedinApp): LinkedinTwin {
  const grants = new TwinGrants('li')
  const signer = new TwinSigner()
  const nonces = new Map<string, string>()

  function authorize(req: TwinRequest, res: ServerResponse): void {
    const q = req.url.searchParams
    // AUTH: an unknown client_id or a redirect_uri that differs from the registered one in any way (port
    // included) is an error page at LinkedIn, never a redirect.
    if (q.get('client_id') !== app.clientId) return sendText(res, 400, '<h1>Invalid client_id</h1>')
    if (q.get('redirect_uri') !== app.redirectUri) return sendText(res, 400, '<h1>The redirect_uri does not match the registered value</h1>')
    if (q.get('response_type') !== 'code') return redirectWith(res, app.redirectUri, {error: 'unsupported_response_type', state: q.get('state') ?? undefined})
    const code = grants.issueCode({clientId: app.clientId, redirectUri: app.redirectUri, scope: q.get('scope') ?? ''})
    const nonce = q.get('nonce')
    if (nonce) nonces.set(code, nonce)
    // AUTH: the member approves; LinkedIn redirects with code and state.
    redirectWith(res, app.redirectUri, {code, state: q.get('state') ?? undefined})
  }

  function token(req: TwinRequest, res: ServerResponse): void {
    const invalidClient = () => sendJson(res, 401, {error: 'invalid_client', error_description: 'Client authentication failed'})
    // NO_PKCE: a standard app's token request that carries code_verifier is refused as invalid_client.
    if (req.form.has('code_verifier')) return invalidClient()
    // AUTH: client_id and client_secret go in the form body ("LinkedIn doesn't seem to support HTTP Basic").
    if (req.basic || req.form.get('client_id') !== app.clientId || req.form.get('client_secret') !== app.clientSecret) return invalidClient()
    if (req.form.get('grant_type') !== 'authorization_code') {
      // AUTH / programmatic refresh tokens: refresh is for approved partners only.
      return sendJson(res, 400, {error: 'unsupported_grant_type', error_description: 'grant_type is not supported'})
    }
    const code = req.form.get('code')
    const nonce = code ? nonces.get(code) : undefined
    const grant = grants.takeCode(code)
    if (!grant) return sendJson(res, 400, {error: 'invalid_request', error_description: 'Unable to retrieve access token: authorization code not found'})
    // AUTH: redirect_uri must be the same value as in the authorization request.
    if (req.form.get('redirect_uri') !== grant.redirectUri) {
      return sendJson(res, 400, {error: 'invalid_redirect_uri', error_description: 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code'})
    }
    const now = Math.floor(Date.now() / 1000)
    const issued = grants.issueTokens({clientId: app.clientId, scope: grant.scope, user: USER.sub}, false)
    // OIDC: access token valid 60 days; an ID token whose iss is https://www.linkedin.com/oauth; no refresh token.
    sendJson(res, 200, {
      ...issued,
      expires_in: 5183999,
      scope: grant.scope.split(' ').join(','),
      token_type: 'Bearer',
      id_token: signer.sign({iss: ISSUER, aud: app.clientId, iat: now, exp: now + 3600, sub: USER.sub, name: USER.name, email: USER.email, ...(nonce ? {nonce} : {})}),
    })
  }

  function introspect(req: TwinRequest, res: ServerResponse): void {
    // https://learn.microsoft.com/linkedin/shared/authentication/token-introspection: token + client credentials in the body.
    if (req.form.get('client_id') !== app.clientId || req.form.get('client_secret') !== app.clientSecret) {
      return sendJson(res, 401, {error: 'invalid_client', error_description: 'Client authentication failed'})
    }
    const grant = grants.accessGrant(req.form.get('token') ?? undefined)
    if (!grant) return sendJson(res, 200, {active: false})
    sendJson(res, 200, {active: true, client_id: app.clientId, scope: grant.scope.split(' ').join(','), status: 'active', auth_type: '3L', expires_at: Math.floor(Date.now() / 1000) + 5183999})
  }

  function api(req: TwinRequest, res: ServerResponse): void {
    const grant = grants.accessGrant(req.bearer)
    if (!grant) return sendJson(res, 401, {serviceErrorCode: 65600, message: 'Invalid access token', status: 401, code: 'INVALID_ACCESS_TOKEN'})
    const path = req.url.pathname
    // OIDC: /v2/userinfo answers the OIDC claims for the openid scope.
    if (path === '/v2/userinfo') return sendJson(res, 200, USER)
    // NO_VERSION: /v2/me needs the legacy profile scope; with the OIDC scopes it is 403 ACCESS_DENIED.
    if (path === '/v2/me') {
      if (!grant.scope.split(' ').includes('r_liteprofile')) {
        return sendJson(res, 403, {serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: me.GET.NO_VERSION', status: 403})
      }
      return sendJson(res, 200, {id: USER.sub, localizedFirstName: USER.given_name, localizedLastName: USER.family_name})
    }
    if (path.startsWith('/rest/')) {
      // VERSIONING: every /rest call needs LinkedIn-Version: YYYYMM; there is no default version.
      const version = req.headers['linkedin-version']
      if (typeof version !== 'string') {
        return sendJson(res, 400, {status: 400, code: 'VERSION_MISSING', message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.'})
      }
      if (!/^\d{6}(?:\.\d{2})?$/.test(version)) {
        return sendJson(res, 426, {status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active`})
      }
      // https://learn.microsoft.com/linkedin/shared/api-guide/concepts/protocol-version: Rest.li 2.0 is chosen by header.
      if (path === '/rest/me') {
        return sendJson(res, 200, {id: USER.sub, localizedFirstName: USER.given_name, restliProtocol: req.headers['x-restli-protocol-version'] ?? '1.0.0', version})
      }
    }
    sendJson(res, 404, {status: 404, code: 'NOT_FOUND', message: `No virtual resource found for ${path}`})
  }

  return {
    name: 'linkedin',
    hosts: ['www.linkedin.com', 'api.linkedin.com'],
    log: [],
    grants,
    handle(req, res) {
      const route = `${req.method} ${req.host}${req.url.pathname}`
      if (route === 'GET www.linkedin.com/oauth/v2/authorization') return authorize(req, res)
      if (route === 'POST www.linkedin.com/oauth/v2/accessToken') return token(req, res)
      if (route === 'POST www.linkedin.com/oauth/v2/introspectToken') return introspect(req, res)
      if (route === 'GET www.linkedin.com/oauth/openid/jwks') return sendJson(res, 200, signer.jwks())
      if (req.host === 'api.linkedin.com') return api(req, res)
      sendText(res, 404, '<h1>Page not found</h1>')
    },
  }
}
