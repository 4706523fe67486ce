import assert from 'node:assert/strict'
import {authorizeQuery, describePresetCases, tokenPath, type PresetCase} from './preset-cases.js'
import * as twins from './providers/identity-presets.js'

/** Okta, Auth0, Keycloak and Cognito, as shipped, on the domains the test names with --domain / --host. */
const OKTA = 'dev-4242.okta.com'
const AUTH0 = 'acme.eu.auth0.com'
const KEYCLOAK = 'sso.acme.test'
const COGNITO = 'acme.auth.eu-west-1.amazoncognito.com'

const cases: PresetCase[] = [
  {
    preset: 'okta',
    make: () => twins.createOktaTwin(OKTA, {clientId: '0oa1native', clientSecret: 'okta-web-secret'}, 18111),
    login: ['--domain', OKTA, '--client-id', '0oa1native', '--port', '18111'],
    // The subject comes from the ID token, the name from userinfo.
    identity: /Logged in to okta as John Doe \(okta-user\)/,
    checkLogin(twin) {
      const query = authorizeQuery(twin)
      assert.equal(query.get('redirect_uri'), 'http://localhost:18111/callback')
      assert.equal(query.get('code_challenge_method'), 'S256')
      assert.equal(query.get('scope'), 'openid profile email offline_access')
      assert.ok(query.get('nonce'), 'openid is requested: a nonce goes with it')
      assert.equal(tokenPath(twin).headers.authorization, undefined, 'a Native app is a public client')
    },
    get: ['get', '/oauth2/default/v1/userinfo'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).email, 'john.doe@example.com'),
    refresh: 'rotate',
    revokePath: '/oauth2/default/v1/revoke',
    // A Web app's secret goes in HTTP Basic; a wrong one is invalid_client.
    failure: {args: ['login', 'okta', '--profile', 'bad', '--domain', OKTA, '--client-id', '0oa1native', '--client-secret', 'wrong', '--port', '18111'], code: 5, stderr: /invalid_client/},
    device: ['--domain', OKTA, '--client-id', '0oa1native'],
  },
  {
    preset: 'auth0',
    make: () => twins.createAuth0Twin(AUTH0, {clientId: 'a0NativeApp'}, 18112),
    login: ['--domain', AUTH0, '--audience', 'https://api.acme.test', '--client-id', 'a0NativeApp', '--port', '18112'],
    identity: /Logged in to auth0 as Jane Josephine Doe \(auth0-user\)/,
    checkLogin(twin) {
      // --audience becomes the authorize request's audience parameter.
      assert.equal(authorizeQuery(twin).get('audience'), 'https://api.acme.test')
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://localhost:18112/callback')
      assert.equal(tokenPath(twin).form.has('client_secret'), false)
    },
    get: ['get', '/userinfo'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).email, 'janedoe@example.com'),
    refresh: 'rotate',
    revokePath: '/oauth/revoke',
    failure: {args: ['login', 'auth0', '--profile', 'bad', '--domain', 'https://evil.example/x', '--client-id', 'a0NativeApp'], code: 3, stderr: /--domain "https:\/\/evil\.example\/x" is not a valid value for Auth0/},
    // The saved --audience goes into the device authorization request too.
    device: ['--client-id', 'a0NativeApp'],
    checkDevice(twin) {
      const request = twin.log.find((r) => r.url.pathname === '/oauth/device/code')!
      assert.equal(request.form.get('audience'), 'https://api.acme.test')
      assert.equal(request.form.get('client_id'), 'a0NativeApp')
    },
  },
  {
    preset: 'keycloak',
    make: () => twins.createKeycloakTwin(KEYCLOAK, 'dev', {clientId: 'oauthctl-cli'}, 18113),
    login: ['--host', KEYCLOAK, '--realm', 'dev', '--client-id', 'oauthctl-cli', '--port', '18113'],
    identity: /Logged in to keycloak as Kim Keycloak \(keycloak-user\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://127.0.0.1:18113/callback')
      assert.equal(twin.log[0].url.pathname, '/realms/dev/protocol/openid-connect/auth')
    },
    get: ['get', '/realms/dev/protocol/openid-connect/userinfo'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).preferred_username, 'kim'),
    refresh: 'rotate',
    revokePath: '/realms/dev/protocol/openid-connect/revoke',
    failure: {args: ['login', 'keycloak', '--profile', 'bad', '--realm', '../admin', '--client-id', 'oauthctl-cli'], code: 3, stderr: /--realm "\.\.\/admin" is not a valid value for Keycloak/},
    device: ['--client-id', 'oauthctl-cli'],
  },
  {
    preset: 'cognito',
    make: () => twins.createCognitoTwin(COGNITO, {clientId: '1example23456789'}, 18114),
    login: ['--domain', COGNITO, '--client-id', '1example23456789', '--port', '18114'],
    identity: /Logged in to cognito as .*a1b2c3d4-5678-90ab-cdef-EXAMPLE11111/,
    checkLogin(twin) {
      // Cognito accepts http only for localhost.
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://localhost:18114/callback')
      assert.equal(tokenPath(twin).form.get('client_id'), '1example23456789')
    },
    get: ['get', '/oauth2/userInfo'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).username, 'jane'),
    refresh: 'reuse',
    revokePath: '/oauth2/revoke',
    failure: {args: ['login', 'cognito', '--device', '--profile', 'bad', '--client-id', '1example23456789'], code: 3, stderr: /Amazon Cognito does not support the device flow/},
  },
]

describePresetCases(cases)
