import type {ServerResponse} from 'node:http'
import {randomBytes} from 'node:crypto'
import {redirectWith, s256, sendJson, sendText, TwinGrants, TwinSigner, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * Google, as a "Desktop app" OAuth client. Sources, per rule:
 * - NATIVE: https://developers.google.com/identity/protocols/oauth2/native-app
 * - DEVICE: https://developers.google.com/identity/protocols/oauth2/limited-input-device
 * - SECRET: https://github.com/googleapis/google-api-dotnet-client/issues/1827 (desktop secrets are still checked)
 * - PAGING: https://developers.google.com/drive/api/guides/v3versusv2#pagination (nextPageToken / pageToken)
 */
export interface GoogleApp {
  clientId: string
  clientSecret: string
}

export interface GoogleTwin extends Twin {
  grants: TwinGrants
}

const USER = {sub: '110169484474386276334', name: 'Grace Hopper', given_name: 'Grace', family_name: 'Hopper', email: 'grace@example.com', email_verified: true}

export function createGoogleTwin(app: GoogleApp): GoogleTwin {
  const grants = new TwinGrants('ya29')
  const signer = new TwinSigner()
  const devices = new Map<string, {scope: string; polls: number}>()

  function issue(res: ServerResponse, scope: string, withRefresh: boolean, nonce?: string): void {
    const now = Math.floor(Date.now() / 1000)
    const tokens = grants.issueTokens({clientId: app.clientId, scope, user: USER.sub}, withRefresh)
    const idToken = scope.split(' ').includes('openid')
      ? signer.sign({iss: 'https://accounts.google.com', aud: app.clientId, azp: app.clientId, iat: now, exp: now + 3600, sub: USER.sub, email: USER.email, name: USER.name, ...(nonce ? {nonce} : {})})
      : undefined
    sendJson(res, 200, {...tokens, expires_in: 3599, scope, token_type: 'Bearer', ...(idToken ? {id_token: idToken} : {})})
  }

  function token(req: TwinRequest, res: ServerResponse): void {
    const f = req.form
    // SECRET / NATIVE: a desktop client sends its client_secret in the body.
    if (f.get('client_id') !== app.clientId) return sendJson(res, 401, {error: 'invalid_client', error_description: 'The OAuth client was not found.'})
    if (!f.has('client_secret')) return sendJson(res, 400, {error: 'invalid_request', error_description: 'client_secret is missing.'})
    if (f.get('client_secret') !== app.clientSecret) return sendJson(res, 401, {error: 'invalid_client', error_description: 'Unauthorized'})
    const grantType = f.get('grant_type')
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const device = devices.get(f.get('device_code') ?? '')
      if (!device) return sendJson(res, 400, {error: 'invalid_grant', error_description: 'Bad Request'})
      // DEVICE: "authorization_pending" comes with HTTP 428 until the user approves.
      if (device.polls++ === 0) return sendJson(res, 428, {error: 'authorization_pending', error_description: 'Precondition Required'})
      devices.delete(f.get('device_code') ?? '')
      return issue(res, device.scope, true)
    }
    if (grantType === 'refresh_token') {
      // NATIVE "Refreshing an access token": no new refresh token; the old one keeps working.
      const grant = grants.refresh.get(f.get('refresh_token') ?? '')
      if (!grant) return sendJson(res, 400, {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'})
      const tokens = grants.issueTokens({clientId: app.clientId, scope: grant.scope, user: USER.sub}, false)
      return sendJson(res, 200, {...tokens, expires_in: 3599, scope: grant.scope, token_type: 'Bearer'})
    }
    const grant = grants.takeCode(f.get('code'))
    if (!grant || f.get('redirect_uri') !== grant.redirectUri) return sendJson(res, 400, {error: 'invalid_grant', error_description: 'Bad Request'})
    // NATIVE: PKCE is supported; a challenge must be answered by its verifier.
    if (grant.codeChallenge && s256(f.get('code_verifier') ?? '') !== grant.codeChallenge) return sendJson(res, 400, {error: 'invalid_grant', error_description: 'Invalid code verifier.'})
    // NATIVE: access_type=offline (and prompt=consent) gives a refresh token. The ID token carries the request's
    // nonce (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload).
    issue(res, grant.scope, true, grant.nonce)
  }

  function authorize(req: TwinRequest, res: ServerResponse): void {
    const q = req.url.searchParams
    if (q.get('client_id') !== app.clientId) return sendText(res, 401, '<h1>Error 401: invalid_client</h1>')
    const redirect = URL.canParse(q.get('redirect_uri') ?? '') ? new URL(q.get('redirect_uri')!) : undefined
    // NATIVE "Loopback IP address": http://127.0.0.1:{any port} (or localhost) for desktop clients.
    if (!redirect || redirect.protocol !== 'http:' || !['127.0.0.1', '[::1]', 'localhost'].includes(redirect.hostname)) {
      return sendText(res, 400, '<h1>Error 400: redirect_uri_mismatch</h1>')
    }
    const code = grants.issueCode({clientId: app.clientId, redirectUri: redirect.href, scope: q.get('scope') ?? '', codeChallenge: q.get('code_challenge') ?? undefined, nonce: q.get('nonce') ?? undefined})
    redirectWith(res, redirect.href, {code, state: q.get('state') ?? undefined, scope: q.get('scope') ?? undefined})
  }

  function api(req: TwinRequest, res: ServerResponse): void {
    if (!grants.accessGrant(req.bearer)) {
      return sendJson(res, 401, {error: {code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED'}})
    }
    if (req.url.pathname === '/v1/userinfo') return sendJson(res, 200, USER)
    if (req.url.pathname === '/drive/v3/files') {
      // PAGING: nextPageToken in the body, sent back as pageToken.
      const page = Number(req.url.searchParams.get('pageToken')?.replace('p', '') ?? '1')
      return sendJson(res, 200, {kind: 'drive#fileList', files: [{name: `file-${page}`}], ...(page < 2 ? {nextPageToken: `p${page + 1}`} : {})})
    }
    sendJson(res, 404, {error: {code: 404, message: 'Not Found', status: 'NOT_FOUND'}})
  }

  return {
    name: 'google',
    hosts: ['accounts.google.com', 'oauth2.googleapis.com', 'openidconnect.googleapis.com', 'www.googleapis.com'],
    log: [],
    grants,
    handle(req, res) {
      const route = `${req.method} ${req.host}${req.url.pathname}`
      if (route === 'GET accounts.google.com/o/oauth2/v2/auth') return authorize(req, res)
      if (route === 'POST oauth2.googleapis.com/token') return token(req, res)
      if (route === 'POST oauth2.googleapis.com/device/code') {
        if (req.form.get('client_id') !== app.clientId) return sendJson(res, 401, {error: 'invalid_client', error_description: 'The OAuth client was not found.'})
        const deviceCode = `AH-${randomBytes(12).toString('hex')}`
        devices.set(deviceCode, {scope: req.form.get('scope') ?? '', polls: 0})
        // DEVICE: the field is verification_url, not RFC 8628's verification_uri.
        return sendJson(res, 200, {device_code: deviceCode, user_code: 'GQVQ-JKEC', expires_in: 1800, interval: 5, verification_url: 'https://www.google.com/device'})
      }
      if (route === 'POST oauth2.googleapis.com/revoke') {
        // NATIVE "Revoking a token": 200 on success, 400 invalid_token otherwise.
        const tokenValue = req.form.get('token') ?? req.url.searchParams.get('token') ?? ''
        return grants.revoke(tokenValue) ? sendJson(res, 200, {}) : sendJson(res, 400, {error: 'invalid_token', error_description: 'Token expired or revoked'})
      }
      if (route === 'GET www.googleapis.com/oauth2/v3/certs') return sendJson(res, 200, signer.jwks())
      if (req.host === 'openidconnect.googleapis.com' || req.host === 'www.googleapis.com') return api(req, res)
      sendText(res, 404, '<h1>404. That’s an error.</h1>')
    },
  }
}
