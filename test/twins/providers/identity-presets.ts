import {createStandardTwin, type StandardTwin} from '../standard-twin.js'
import {apiTable} from './api-table.js'

/**
 * Twins of the identity platforms on the customer's own domain (Okta, Auth0, Keycloak, Cognito). The
 * domain is the one the test passes with --domain / --host; every rule names its source. Where a source
 * leaves a choice open the twin takes the stricter one and says so.
 */

export function createOktaTwin(domain: string, app: {clientId: string; clientSecret?: string}, port: number): StandardTwin {
  const base = `${domain}/oauth2/default/v1`
  return createStandardTwin({
    name: 'okta',
    hosts: [domain],
    authorize: `${base}/authorize`,
    token: `${base}/token`,
    revoke: `${base}/revoke`,
    // https://developer.okta.com/docs/guides/device-authorization-grant/main/ (POST /v1/device/authorize, Native app).
    device: `${base}/device/authorize`,
    app,
    // https://developer.okta.com/docs/guides/sign-into-web-app-redirect/: sign-in redirect URIs are matched exactly.
    redirect: {uri: `http://localhost:${port}/callback`},
    // https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/: a Native app is a public
    // client (no secret) that must send PKCE; a Web app authenticates with Basic (Okta's default method).
    clientAuth: 'basic-or-none',
    pkce: 'required',
    // https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation: rotation on.
    refresh: 'rotate',
    idTokenIssuer: `https://${domain}/oauth2/default`,
    api: apiTable(
      {
        // https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/userinfoCustomAS
        [`GET ${base}/userinfo`]: () => ({sub: '00uid4BxXw6I6TV4m0g3', name: 'John Doe', email: 'john.doe@example.com', preferred_username: 'john.doe@example.com'}),
      },
      {status: 401, body: {error: 'invalid_token', error_description: 'The access token is invalid.'}},
    ),
  })
}

export function createAuth0Twin(domain: string, app: {clientId: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'auth0',
    hosts: [domain],
    authorize: `${domain}/authorize`,
    token: `${domain}/oauth/token`,
    revoke: `${domain}/oauth/revoke`,
    // https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device (audience is a parameter).
    device: `${domain}/oauth/device/code`,
    app,
    // https://auth0.com/docs/get-started/applications/application-settings: "Allowed Callback URLs", exact.
    redirect: {uri: `http://localhost:${port}/callback`},
    // https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce:
    // a Native application sends no secret and PKCE.
    clientAuth: 'none',
    pkce: 'required',
    // https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation (rotation on).
    refresh: 'rotate',
    // https://auth0.com/docs/secure/tokens/id-tokens/id-token-structure: iss is https://{domain}/ (trailing slash).
    idTokenIssuer: `https://${domain}/`,
    api: apiTable(
      // https://auth0.com/docs/api/authentication/user-profile/get-user-info
      {[`GET ${domain}/userinfo`]: () => ({sub: 'auth0|5f7c8ec7c33c6c004bbafe82', name: 'Jane Josephine Doe', email: 'janedoe@example.com'})},
      {status: 401, body: {error: 'invalid_token', error_description: 'Unauthorized'}},
    ),
  })
}

export function createKeycloakTwin(host: string, realm: string, app: {clientId: string}, port: number): StandardTwin {
  const base = `${host}/realms/${realm}/protocol/openid-connect`
  return createStandardTwin({
    name: 'keycloak',
    hosts: [host],
    authorize: `${base}/auth`,
    token: `${base}/token`,
    revoke: `${base}/revoke`,
    // https://www.keycloak.org/securing-apps/oidc-layers#_device_authorization_endpoint
    device: `${base}/auth/device`,
    app,
    // https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients ("Valid redirect URIs": exact or a
    // trailing * on the path); no port wildcard (https://github.com/keycloak/keycloak/issues/39880).
    redirect: {uri: `http://127.0.0.1:${port}/callback`},
    // Same guide: "Client authentication" off makes a public client, which sends no secret; PKCE accepted.
    clientAuth: 'basic-or-none',
    pkce: 'optional',
    // The realm setting "Revoke Refresh Token" makes refresh tokens single-use; the twin follows the stricter setting.
    refresh: 'rotate',
    expiresIn: 300,
    idTokenIssuer: `https://${host}/realms/${realm}`,
    api: apiTable(
      // https://www.keycloak.org/securing-apps/oidc-layers#_userinfo_endpoint
      {[`GET ${base}/userinfo`]: () => ({sub: 'f1b5d0a2-6a1e-4c3b-9a7e-2b8e0c1d4f5a', name: 'Kim Keycloak', preferred_username: 'kim', email: 'kim@example.com'})},
      {status: 401, body: {error: 'invalid_token', error_description: 'Token verification failed'}},
    ),
  })
}

export function createCognitoTwin(domain: string, app: {clientId: string}, port: number): StandardTwin {
  return createStandardTwin({
    name: 'cognito',
    hosts: [domain],
    // https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html
    authorize: `${domain}/oauth2/authorize`,
    token: `${domain}/oauth2/token`,
    revoke: `${domain}/oauth2/revoke`,
    app,
    // CallbackURLs: exact; "Amazon Cognito requires HTTPS over HTTP except for http://localhost"
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html).
    redirect: {uri: `http://localhost:${port}/callback`},
    // https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html: Basic for a client with a
    // secret, client_id alone for a public one; PKCE supported.
    clientAuth: 'basic-or-none',
    pkce: 'optional',
    // Same page: a refresh_token grant answers new ID and access tokens, not a new refresh token.
    refresh: 'reuse',
    api: apiTable(
      // https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html
      {[`GET ${domain}/oauth2/userInfo`]: () => ({sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', email: 'jane@example.com', username: 'jane'})},
      {status: 401, body: {error: 'invalid_token', error_description: 'Access token is expired, disabled, or deleted, or the user has globally signed out.'}},
    ),
  })
}
