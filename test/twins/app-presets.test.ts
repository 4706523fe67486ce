import assert from 'node:assert/strict'
import {authorizeQuery, describePresetCases, tokenPath, type PresetCase} from './preset-cases.js'
import * as twins from './providers/app-presets.js'
import {requestsTo} from './twin-harness.js'

/** Twitch, Notion, HubSpot, Xero, Bitbucket, Figma and Asana, as shipped, against their twins. */
const XERO_TENANT = '70784a63-d24b-46a9-a4db-0e70a274b056'

const cases: PresetCase[] = [
  {
    preset: 'twitch',
    make: () => twins.createTwitchTwin({clientId: 'hof5gwx0su6owfnys0yan9c87zr6t', clientSecret: 'tw-secret'}, 18115),
    login: ['--client-id', 'hof5gwx0su6owfnys0yan9c87zr6t', '--client-secret', 'tw-secret', '--port', '18115'],
    // The identity call to /helix/users carried Client-Id (the twin answers 401 without it).
    identity: /Logged in to twitch as twitchdev \(141981764\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('code_challenge'), null, 'no PKCE: Twitch does not document it')
      assert.equal(tokenPath(twin).form.get('client_secret'), 'tw-secret')
    },
    get: ['get', '/users'],
    checkGet(stdout, twin) {
      assert.equal(JSON.parse(stdout).data[0].login, 'twitchdev')
      assert.equal(requestsTo(twin, '/helix/users').at(-1)!.headers['client-id'], 'hof5gwx0su6owfnys0yan9c87zr6t')
    },
    refresh: 'rotate',
    revokePath: '/oauth2/revoke',
    // -H overrides the preset's Client-Id: Twitch refuses a client id that is not the token's.
    failure: {args: ['get', '/users', '-H', 'Client-Id: someone-else'], code: 7, stderr: /HTTP 401/},
  },
  {
    preset: 'notion',
    make: () => twins.createNotionTwin({clientId: '1f2d872b-594c-80ab-9f3a-0037e5b4f4a3', clientSecret: 'secret_notion'}, 18116),
    login: ['--client-id', '1f2d872b-594c-80ab-9f3a-0037e5b4f4a3', '--client-secret', 'secret_notion', '--port', '18116'],
    identity: /Logged in to notion as oauthctl bot \(16d84278-ab0e-484c-9bdd-b35da3bd8905\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('owner'), 'user')
      const exchange = tokenPath(twin)
      assert.match(String(exchange.headers['content-type']), /^application\/json/)
      assert.deepEqual(exchange.basic, {id: '1f2d872b-594c-80ab-9f3a-0037e5b4f4a3', secret: 'secret_notion'})
      assert.equal(exchange.headers['notion-version'], '2025-09-03')
    },
    get: ['get', '/users/me'],
    checkGet(stdout, twin) {
      assert.equal(JSON.parse(stdout).type, 'bot')
      assert.equal(requestsTo(twin, '/v1/users/me').at(-1)!.headers['notion-version'], '2025-09-03')
    },
    refresh: 'rotate',
    revokePath: '/v1/oauth/revoke',
    failure: {args: ['get', '/users/me', '-H', 'Notion-Version: latest'], code: 7, stderr: /HTTP 400/},
  },
  {
    preset: 'hubspot',
    make: () => twins.createHubspotTwin({clientId: '5fe8-hub', clientSecret: 'hs-secret'}, 18117),
    login: ['--client-id', '5fe8-hub', '--client-secret', 'hs-secret', '--port', '18117'],
    identity: /Logged in to hubspot/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://localhost:18117/callback')
      assert.equal(authorizeQuery(twin).get('scope'), 'oauth')
      assert.equal(tokenPath(twin).form.get('client_secret'), 'hs-secret')
    },
    get: ['get', '/crm/v3/objects/contacts?limit=1'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).results[0].id, '51'),
    refresh: 'reuse',
    failure: {args: ['login', 'hubspot', '--profile', 'bad', '--client-id', '5fe8-hub', '--client-secret', 'wrong', '--port', '18117'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'xero',
    make: () => twins.createXeroTwin({clientId: 'XEROPKCEAPP'}, 18118),
    login: ['--client-id', 'XEROPKCEAPP', '--port', '18118'],
    identity: /Logged in to xero as Xero Demo/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('scope'), 'openid profile email offline_access accounting.settings.read')
      assert.equal(tokenPath(twin).headers.authorization, undefined, 'a PKCE app sends no secret')
    },
    // The tenant is per organisation: passed with -H, as the preset's notes say.
    get: ['get', '/api.xro/2.0/Organisation', '-H', `xero-tenant-id: ${XERO_TENANT}`],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).Organisations[0].CountryCode, 'AU'),
    refresh: 'rotate',
    revokePath: '/connect/revocation',
    failure: {args: ['get', '/api.xro/2.0/Organisation'], code: 7, stderr: /HTTP 403/},
  },
  {
    preset: 'bitbucket',
    make: () => twins.createBitbucketTwin({clientId: 'bbKey123', clientSecret: 'bbSecret456'}, 18119),
    login: ['--client-id', 'bbKey123', '--client-secret', 'bbSecret456', '--port', '18119'],
    identity: /Logged in to bitbucket as Erik van Zijst/,
    checkLogin(twin) {
      assert.deepEqual(tokenPath(twin).basic, {id: 'bbKey123', secret: 'bbSecret456'})
      assert.equal(tokenPath(twin).form.has('client_secret'), false)
      assert.equal(authorizeQuery(twin).get('code_challenge'), null)
    },
    get: ['get', '/user'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).username, 'evzijst'),
    refresh: 'reuse',
    failure: {args: ['login', 'bitbucket', '--profile', 'bad', '--client-id', 'bbKey123', '--client-secret', 'wrong', '--port', '18119'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'figma',
    make: () => twins.createFigmaTwin({clientId: 'fgApp', clientSecret: 'fgSecret'}, 18120),
    login: ['--client-id', 'fgApp', '--client-secret', 'fgSecret', '--port', '18120'],
    identity: /Logged in to figma as .*1234567890/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('scope'), 'current_user:read file_content:read')
      assert.equal(tokenPath(twin).url.pathname, '/v1/oauth/token')
    },
    get: ['get', '/me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).handle, 'Ada'),
    refresh: 'reuse',
    // The refresh went to Figma's own refresh endpoint (the twin refuses it at /v1/oauth/token).
    checkRefresh(twin) {
      assert.deepEqual(twin.log.filter((r) => r.form.get('grant_type') === 'refresh_token').map((r) => r.url.pathname), ['/v1/oauth/refresh'])
    },
    failure: {args: ['login', 'figma', '--profile', 'bad', '--client-id', 'fgApp', '--client-secret', 'wrong', '--port', '18120'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'asana',
    make: () => twins.createAsanaTwin({clientId: '1200000000000001', clientSecret: 'as-secret'}, 18121),
    login: ['--client-id', '1200000000000001', '--client-secret', 'as-secret', '--port', '18121'],
    // The user is wrapped in "data".
    identity: /Logged in to asana as Greg Sanchez/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('code_challenge_method'), 'S256')
      assert.equal(tokenPath(twin).form.get('client_secret'), 'as-secret')
    },
    get: ['get', '/users/me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).data.email, 'gsanchez@example.com'),
    refresh: 'reuse',
    revokePath: '/-/oauth_revoke',
    failure: {args: ['login', 'asana', '--profile', 'bad', '--client-id', '1200000000000001', '--client-secret', 'wrong', '--port', '18121'], code: 5, stderr: /invalid_client/},
  },
]

describePresetCases(cases)
