import assert from 'node:assert/strict'
import {authorizeQuery, describePresetCases, tokenPath, type PresetCase} from './preset-cases.js'
import * as twins from './providers/standard-presets.js'
import {requestsTo} from './twin-harness.js'

const cases: PresetCase[] = [
  {
    preset: 'gitlab',
    make: () => twins.createGitlabTwin({clientId: 'gl-app'}),
    login: ['--client-id', 'gl-app'],
    identity: /Logged in to gitlab as gitlab-user|Logged in to gitlab as Tanuki Fox/,
    checkLogin(twin) {
      assert.match(authorizeQuery(twin).get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      assert.equal(tokenPath(twin).headers.authorization, undefined, 'a non-confidential app sends no secret')
      assert.ok(tokenPath(twin).form.get('code_verifier'))
    },
    get: ['get', '--paginate', '--slurp', '/projects'],
    checkGet: (stdout) => assert.deepEqual(JSON.parse(stdout), [{id: 1}, {id: 2}]),
    refresh: 'rotate',
    revokePath: '/oauth/revoke',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
    // https://docs.gitlab.com/api/oauth2/#device-authorization-grant-flow
    device: ['--client-id', 'gl-app'],
  },
  {
    preset: 'spotify',
    make: () => twins.createSpotifyTwin({clientId: 'sp-app'}),
    login: ['--client-id', 'sp-app'],
    identity: /Logged in to spotify as (JM Wizzler|wizzler)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('code_challenge_method'), 'S256')
      assert.equal(tokenPath(twin).form.has('client_secret'), false)
    },
    get: ['get', '--paginate', '--slurp', '/me/playlists'],
    checkGet: (stdout) => assert.deepEqual(JSON.parse(stdout), [{name: 'a'}, {name: 'b'}]),
    refresh: 'rotate',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
  },
  {
    preset: 'dropbox',
    make: () => twins.createDropboxTwin({clientId: 'db-app'}, 18091),
    login: ['--client-id', 'db-app', '--port', '18091'],
    identity: /Logged in to dropbox as/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('token_access_type'), 'offline')
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://localhost:18091/callback')
    },
    get: ['post', '/users/get_current_account'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).account_id, 'dbid:AAH4f99'),
    refresh: 'reuse',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
  },
  {
    preset: 'discord',
    make: () => twins.createDiscordTwin({clientId: '1048327465910', clientSecret: 'dcS3cretAbc'}, 18086),
    login: ['--client-id', '1048327465910', '--client-secret', 'dcS3cretAbc', '--port', '18086'],
    identity: /Logged in to discord as 80351110224678912/,
    checkLogin(twin) {
      assert.deepEqual(tokenPath(twin).basic, {id: '1048327465910', secret: 'dcS3cretAbc'})
    },
    get: ['get', '/users/@me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).username, 'nelly'),
    refresh: 'renew',
    revokePath: '/api/oauth2/token/revoke',
    failure: {args: ['login', 'discord', '--profile', 'bad', '--client-id', '1048327465910', '--client-secret', 'wrong', '--port', '18086'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'x',
    make: () => twins.createXTwin({clientId: 'x-app'}, 18087),
    login: ['--client-id', 'x-app', '--port', '18087'],
    // The user is wrapped in "data": read through the preset's identityPath.
    identity: /Logged in to x as X Dev \(2244994945\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('scope'), 'tweet.read users.read offline.access')
      assert.equal(tokenPath(twin).form.get('client_id'), 'x-app')
    },
    get: ['get', '/users/me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).data.username, 'XDevelopers'),
    refresh: 'rotate',
    revokePath: '/2/oauth2/revoke',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
  },
  {
    preset: 'strava',
    make: () => twins.createStravaTwin({clientId: '12345', clientSecret: 'st-secret'}),
    login: ['--client-id', '12345', '--client-secret', 'st-secret'],
    identity: /Logged in to strava as 227615/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('scope'), 'read,activity:read')
      assert.equal(authorizeQuery(twin).get('code_challenge'), null, 'Strava documents no PKCE: none is sent')
      assert.equal(tokenPath(twin).form.has('code_verifier'), false)
      assert.equal(tokenPath(twin).form.get('client_secret'), 'st-secret')
    },
    get: ['get', '/athlete'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).firstname, 'John'),
    refresh: 'rotate',
    failure: {args: ['login', 'strava', '--profile', 'bad', '--client-id', '12345', '--client-secret', 'wrong'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'zoom',
    make: () => twins.createZoomTwin({clientId: 'zM8wQ1nGfJk', clientSecret: 'zmS3cretAbc'}),
    login: ['--client-id', 'zM8wQ1nGfJk', '--client-secret', 'zmS3cretAbc'],
    identity: /Logged in to zoom as Jill Chill \(KDcuGIm1QgePTO8WbOqwIQ\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).has('scope'), false, 'Zoom grants the app\'s configured scopes')
      assert.deepEqual(tokenPath(twin).basic, {id: 'zM8wQ1nGfJk', secret: 'zmS3cretAbc'})
    },
    get: ['get', '/users/me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).email, 'jchill@example.com'),
    refresh: 'rotate',
    revokePath: '/oauth/revoke',
    failure: {args: ['login', 'zoom', '--profile', 'bad', '--client-id', 'zM8wQ1nGfJk', '--client-secret', 'wrong'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'zoom',
    variant: 'public client id, no secret',
    // https://developers.zoom.us/docs/integrations/PKCE: "Use Public Client OAuth" gives a separate client id;
    // the token request carries no secret and no Authorization header.
    make: () => twins.createZoomTwin({clientId: 'zmPublicId42'}),
    login: ['--client-id', 'zmPublicId42'],
    identity: /Logged in to zoom as Jill Chill/,
    checkLogin(twin) {
      assert.equal(tokenPath(twin).headers.authorization, undefined)
      assert.equal(tokenPath(twin).form.has('client_secret'), false)
      assert.ok(tokenPath(twin).form.get('code_verifier'))
    },
    get: ['get', '/users/me'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).id, 'KDcuGIm1QgePTO8WbOqwIQ'),
    refresh: 'rotate',
    revokePath: '/oauth/revoke',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
  },
  {
    preset: 'salesforce',
    variant: 'public External Client App, no secret',
    // https://developer.salesforce.com/docs/atlas.en-us.pkg2_dev.meta/pkg2_dev/secure_code_ac_eca.htm: a public
    // client's token request must not include client_secret; PKCE instead.
    make: () => twins.createSalesforceTwin({clientId: 'sf-public'}, 18092),
    login: ['--client-id', 'sf-public', '--port', '18092'],
    identity: /Logged in to salesforce as Marc Benioff/,
    checkLogin(twin) {
      assert.equal(tokenPath(twin).form.has('client_secret'), false)
      assert.ok(tokenPath(twin).form.get('code_verifier'))
    },
    get: ['get', '/limits'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout).DailyApiRequests.Remaining, 14998),
    refresh: 'reuse',
    revokePath: '/services/oauth2/revoke',
    failure: {args: ['get', '/nope'], code: 7, stderr: /HTTP 404/},
  },
  {
    preset: 'salesforce',
    make: () => twins.createSalesforceTwin({clientId: 'sf-app', clientSecret: 'sf-secret'}, 18090),
    login: ['--client-id', 'sf-app', '--client-secret', 'sf-secret', '--port', '18090'],
    identity: /Logged in to salesforce as Marc Benioff \(005xx000001Sv6A\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('redirect_uri'), 'http://localhost:18090/OauthRedirect')
      assert.equal(tokenPath(twin).form.get('client_secret'), 'sf-secret')
    },
    // The API base comes from instance_url in the token response.
    get: ['get', '/limits'],
    checkGet(stdout, twin) {
      assert.equal(JSON.parse(stdout).DailyApiRequests.Max, 15000)
      assert.equal(requestsTo(twin, '/services/data/v62.0/limits').at(-1)!.host, 'acme.my.salesforce.com')
    },
    refresh: 'reuse',
    revokePath: '/services/oauth2/revoke',
    failure: {args: ['login', 'salesforce', '--profile', 'bad', '--client-id', 'sf-app', '--client-secret', 'wrong', '--port', '18090'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'atlassian',
    make: () => twins.createAtlassianTwin({clientId: 'at-app', clientSecret: 'at-secret'}, 18088),
    login: ['--client-id', 'at-app', '--client-secret', 'at-secret', '--port', '18088'],
    // Atlassian's /me names the user by account_id.
    identity: /Logged in to atlassian as Mia Krystof \(5b10ac8d82e05b22cc7d4ef5\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('audience'), 'api.atlassian.com')
      assert.equal(authorizeQuery(twin).get('prompt'), 'consent')
    },
    get: ['get', '/oauth/token/accessible-resources'],
    checkGet: (stdout) => assert.equal(JSON.parse(stdout)[0].name, 'acme'),
    refresh: 'rotate',
    failure: {args: ['login', 'atlassian', '--profile', 'bad', '--client-id', 'at-app', '--client-secret', 'wrong', '--port', '18088'], code: 5, stderr: /invalid_client/},
  },
  {
    preset: 'reddit',
    make: () => twins.createRedditTwin({clientId: 'rd-app'}, 18089),
    login: ['--client-id', 'rd-app', '--port', '18089'],
    identity: /Logged in to reddit as spez \(abc12\)/,
    checkLogin(twin) {
      assert.equal(authorizeQuery(twin).get('duration'), 'permanent')
      assert.equal(authorizeQuery(twin).get('code_challenge'), null)
      assert.deepEqual(tokenPath(twin).basic, {id: 'rd-app', secret: ''})
    },
    get: ['get', '/api/v1/me'],
    checkGet(stdout, twin) {
      assert.equal(JSON.parse(stdout).name, 'spez')
      // The twin answers 429 to any other User-Agent: the preset's one went out on the API call too.
      assert.match(String(requestsTo(twin, '/api/v1/me').at(-1)!.headers['user-agent']), /^cli:oauthctl:/)
    },
    refresh: 'reuse',
    revokePath: '/api/v1/revoke_token',
    // POST: not retried after 429, so the test does not wait out the backoff.
    failure: {args: ['post', '/api/v1/me', '-H', 'User-Agent: curl/8'], code: 7, stderr: /HTTP 429/},
  },
  {
    preset: 'box',
    make: () => twins.createBoxTwin({clientId: 'bx-app', clientSecret: 'bx-secret'}),
    // Box accepts any loopback port: no --port needed.
    login: ['--client-id', 'bx-app', '--client-secret', 'bx-secret'],
    identity: /Logged in to box as Aaron Levie \(11446498\)/,
    checkLogin(twin) {
      assert.match(authorizeQuery(twin).get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      assert.equal(tokenPath(twin).form.get('client_secret'), 'bx-secret')
    },
    get: ['get', '--paginate', '--slurp', '/folders/0/items'],
    checkGet: (stdout) => assert.deepEqual(JSON.parse(stdout), [{id: '1'}, {id: '2'}]),
    refresh: 'rotate',
    revokePath: '/oauth2/revoke',
    failure: {args: ['login', 'box', '--profile', 'bad', '--client-id', 'bx-app', '--client-secret', 'wrong'], code: 5, stderr: /invalid_client/},
  },
]

describePresetCases(cases)
