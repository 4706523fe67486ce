import type {ServerResponse} from 'node:http'
import {randomBytes} from 'node:crypto'
import {redirectWith, s256, sendJson, sendText, TwinGrants, type Twin, type TwinRequest} from '../twin-kit.js'

/**
 * Microsoft Entra ID (v2.0 endpoints) with a "Mobile and desktop applications" platform. Sources, per rule:
 * - REPLY: https://learn.microsoft.com/entra/identity-platform/reply-url (localhost: the port is ignored;
 *   127.0.0.1 is not accepted by the portal for this platform)
 * - CODE: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * - PUBLIC: https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS700025: a public
 *   client must not present a client_secret)
 * - DEVICE: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 * - FLOWS: https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/confidential-client-application-authentication-error-aadsts7000218
 * - REFRESH: https://learn.microsoft.com/entra/identity-platform/refresh-tokens (a new refresh token on each use)
 * - GRAPH: https://learn.microsoft.com/graph/api/user-get, https://learn.microsoft.com/graph/paging (@odata.nextLink)
 */
export interface MicrosoftApp {
  clientId: string
  /** Authentication > "Allow public client flows" (needed by the device code flow: FLOWS). */
  allowPublicClientFlows: boolean
}

export interface MicrosoftTwin extends Twin {
  grants: TwinGrants
}

const ME = {id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Megan Bowen', givenName: 'Megan', surname: 'Bowen', mail: 'MeganB@contoso.com', userPrincipalName: 'MeganB@contoso.com'}
const aad = (res: ServerResponse, status: number, error: string, description: string) =>
  sendJson(res, status, {error, error_description: `${description}\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2026-12-03 09:00:00Z`, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)]})

export function createMicrosoftTwin(app: MicrosoftApp): MicrosoftTwin {
  const grants = new TwinGrants('eyJ0eXAi')
  const devices = new Map<string, {scope: string; polls: number}>()

  function issue(res: ServerResponse, scope: string): void {
    const tokens = grants.issueTokens({clientId: app.clientId, scope, user: ME.id}, scope.split(' ').includes('offline_access'))
    sendJson(res, 200, {token_type: 'Bearer', scope, expires_in: 4222, ext_expires_in: 4222, ...tokens})
  }

  function authorize(req: TwinRequest, res: ServerResponse): void {
    const q = req.url.searchParams
    if (q.get('client_id') !== app.clientId) return sendText(res, 400, '<h1>AADSTS700016: Application not found in the directory.</h1>')
    const redirect = URL.canParse(q.get('redirect_uri') ?? '') ? new URL(q.get('redirect_uri')!) : undefined
    // REPLY: registered http://localhost/callback; for localhost any port matches, 127.0.0.1 does not.
    if (!redirect || redirect.protocol !== 'http:' || redirect.hostname !== 'localhost' || redirect.pathname !== '/callback') {
      return sendText(res, 400, "<h1>AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.</h1>")
    }
    const code = grants.issueCode({clientId: app.clientId, redirectUri: redirect.href, scope: q.get('scope') ?? '', codeChallenge: q.get('code_challenge') ?? undefined})
    redirectWith(res, redirect.href, {code, state: q.get('state') ?? undefined, session_state: 'abc'})
  }

  function token(req: TwinRequest, res: ServerResponse): void {
    const f = req.form
    if (f.get('client_id') !== app.clientId) return aad(res, 400, 'unauthorized_client', 'AADSTS700016: Application with identifier was not found in the directory.')
    // PUBLIC: a public client presenting any secret is refused.
    if (f.has('client_secret') || req.basic) return aad(res, 401, 'invalid_client', "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
    const grantType = f.get('grant_type')
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      // FLOWS: with "Allow public client flows" off, the device grant asks for a secret the app cannot have.
      if (!app.allowPublicClientFlows) return aad(res, 401, 'invalid_client', "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
      const device = devices.get(f.get('device_code') ?? '')
      if (!device) return aad(res, 400, 'expired_token', 'AADSTS70019: Verification code expired.')
      // DEVICE: authorization_pending (HTTP 400) until the user signs in.
      if (device.polls++ === 0) return aad(res, 400, 'authorization_pending', 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.')
      devices.delete(f.get('device_code') ?? '')
      return issue(res, device.scope)
    }
    if (grantType === 'refresh_token') {
      // REFRESH: every refresh answers with a new refresh token (the client must store it).
      const grant = grants.refresh.get(f.get('refresh_token') ?? '')
      if (!grant) return aad(res, 400, 'invalid_grant', 'AADSTS70000: The provided value for the refresh token is not valid.')
      return issue(res, grant.scope)
    }
    const grant = grants.takeCode(f.get('code'))
    if (!grant) return aad(res, 400, 'invalid_grant', 'AADSTS70000: The provided value for the code is not valid.')
    if (f.get('redirect_uri') !== grant.redirectUri) return aad(res, 400, 'invalid_grant', 'AADSTS50011: The redirect URI does not match.')
    if (grant.codeChallenge && s256(f.get('code_verifier') ?? '') !== grant.codeChallenge) return aad(res, 400, 'invalid_grant', 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.')
    issue(res, grant.scope)
  }

  function graph(req: TwinRequest, res: ServerResponse): void {
    if (!grants.accessGrant(req.bearer)) return sendJson(res, 401, {error: {code: 'InvalidAuthenticationToken', message: 'Access token validation failure.'}})
    if (req.url.pathname === '/v1.0/me') return sendJson(res, 200, {'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...ME})
    if (req.url.pathname === '/v1.0/me/messages') {
      // GRAPH paging: @odata.nextLink is the full URL of the next page.
      const skip = Number(req.url.searchParams.get('$skip') ?? '0')
      return sendJson(res, 200, {value: [{subject: `message ${skip}`}], ...(skip < 1 ? {'@odata.nextLink': 'https://graph.microsoft.com/v1.0/me/messages?$skip=1'} : {})})
    }
    sendJson(res, 404, {error: {code: 'Request_ResourceNotFound', message: 'Resource not found.'}})
  }

  return {
    name: 'microsoft',
    hosts: ['login.microsoftonline.com', 'graph.microsoft.com'],
    log: [],
    grants,
    handle(req, res) {
      const path = req.url.pathname
      if (req.host === 'graph.microsoft.com') return graph(req, res)
      if (req.method === 'GET' && /^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(path)) return authorize(req, res)
      if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) return token(req, res)
      if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/devicecode$/.test(path)) {
        if (req.form.get('client_id') !== app.clientId) return aad(res, 400, 'unauthorized_client', 'AADSTS700016: Application not found.')
        const deviceCode = `DAQABAAEAAAD${randomBytes(10).toString('hex')}`
        devices.set(deviceCode, {scope: req.form.get('scope') ?? '', polls: 0})
        return sendJson(res, 200, {user_code: 'FJTXMYQ3D', device_code: deviceCode, verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 5, message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJTXMYQ3D to authenticate.'})
      }
      sendText(res, 404, '<h1>404</h1>')
    },
  }
}
