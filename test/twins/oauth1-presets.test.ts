import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseAuthorizationHeader, signRequest} from '../../src/http/oauth1-signature.js'
import {oauth1Presets} from '../../src/providers/presets-oauth1.js'
import type {OAuth1Twin} from './oauth1-twin-kit.js'
import {createDiscogsTwin, createFlickrTwin, createTumblrTwin, createXOAuth1Twin, FLICKR_PERMS} from './providers/oauth1-presets.js'
import {requestsTo, twinSuite, type TwinSuite} from './twin-harness.js'

/** One OAuth 1.0a preset's twin test, as data (the OAuth 2.0 presets' equivalent is preset-cases.ts). */
interface OAuth1Case {
  preset: string
  consumer: {key: string; secret: string}
  make(): OAuth1Twin
  /** `login` arguments after the provider name and the consumer credentials. */
  login: string[]
  identity: RegExp
  signatureMethod: 'HMAC-SHA1' | 'PLAINTEXT'
  checkLogin?(twin: OAuth1Twin): void
  /** The signed "me" call: the path `get` takes, the twin path it reaches, and its stdout. */
  get: string
  getPath: string
  stdout: unknown
  /** The revocation path `logout --revoke` calls, or undefined when the provider has none. */
  revokePath?: string
  /** What a refused leg says on stderr (each provider words its refusal its own way). */
  refused: RegExp
  /** The provider's own rules, checked after login. */
  specifics?: {name: string; run(suite: TwinSuite<OAuth1Twin>, c: OAuth1Case): Promise<void>}[]
}

/** An Authorization header the CLI would not send: signed by the test with the twin's own record of the secrets. */
function signAs(c: OAuth1Case, method: string, url: string, token: {token?: string; secret?: string}, extra: {timestamp?: number; callback?: string} = {}): string {
  return signRequest({
    method,
    url: new URL(url),
    consumerKey: c.consumer.key,
    signatureMethod: c.signatureMethod,
    secrets: {consumerSecret: c.consumer.secret, tokenSecret: token.secret},
    token: token.token,
    timestamp: extra.timestamp,
    extra: extra.callback ? [['oauth_callback', extra.callback]] : [],
  })
}

/** Registered at X for the x-oauth1 case; outside the 18085-18121 range of the other twins. */
const X_PORT = 18122

const cases: OAuth1Case[] = [
  {
    preset: 'flickr',
    consumer: {key: 'f1c4r-key', secret: 'flickr-secret'},
    make: () => createFlickrTwin({key: 'f1c4r-key', secret: 'flickr-secret'}),
    login: [],
    identity: /Logged in to flickr as Jamal Fanaian \(21207597@N07\), profile default\./,
    signatureMethod: 'HMAC-SHA1',
    checkLogin(twin) {
      const perms = twin.lastAuthorize?.get('perms')
      assert.equal(perms, 'read')
      assert.ok(FLICKR_PERMS.includes(perms!))
    },
    get: '/?method=flickr.test.login&format=json&nojsoncallback=1',
    getPath: '/services/rest/',
    stdout: {user: {id: '21207597@N07', username: {_content: 'jamalfanaian'}}, stat: 'ok'},
    refused: /Flickr refused the request token request \(HTTP 401\): invalid signature/,
    specifics: [
      {
        // https://www.flickr.com/services/api/response.json.html: a failure is HTTP 200 {"stat": "fail", "code", "message"}.
        name: 'an API failure answered as HTTP 200 {"stat": "fail"}: the body on stdout, exit 7 with Flickr\'s code and message (--paginate too)',
        async run(suite, c) {
          const path = '/?method=flickr.photos.nope&format=json&nojsoncallback=1'
          for (const extra of [[], ['--paginate']]) {
            const result = await suite.run(['get', path, ...extra])
            assert.equal(result.code, 7, result.stderr)
            assert.deepEqual(JSON.parse(result.stdout), {stat: 'fail', code: 112, message: 'Method not found'})
            assert.match(result.stderr, /HTTP 200 OK, but Flickr answered "stat": "fail", "code": 112, "message": "Method not found"/)
          }
          const ok = await suite.run(['get', c.get])
          assert.equal(ok.code, 0, ok.stderr)
        },
      },
    ],
  },
  {
    preset: 'tumblr',
    consumer: {key: 'tumblr-consumer-key', secret: 'tumblr-secret'},
    make: () => createTumblrTwin({key: 'tumblr-consumer-key', secret: 'tumblr-secret'}),
    login: [],
    identity: /Logged in to tumblr as derekg, profile default\./,
    signatureMethod: 'HMAC-SHA1',
    get: '/user/info',
    getPath: '/v2/user/info',
    stdout: {meta: {status: 200, msg: 'OK'}, response: {user: {name: 'derekg', likes: 25, following: 263, default_post_format: 'html', blogs: [{name: 'derekg', url: 'https://derekg.org/', primary: true}]}}},
    refused: /Tumblr refused the request token request \(HTTP 401\)/,
  },
  {
    preset: 'discogs',
    consumer: {key: 'discogs-key', secret: 'discogs-secret'},
    make: () => createDiscogsTwin({key: 'discogs-key', secret: 'discogs-secret'}),
    login: [],
    identity: /Logged in to discogs as 1, profile default\./,
    signatureMethod: 'PLAINTEXT',
    get: '/oauth/identity',
    getPath: '/oauth/identity',
    stdout: {id: 1, username: 'example', resource_url: 'https://api.discogs.com/users/example', consumer_name: 'Your Application Name'},
    refused: /Discogs refused the request token request \(HTTP 401\)/,
    specifics: [
      {
        name: 'every request oauthctl sent to api.discogs.com named oauthctl in its User-Agent; one without a User-Agent is refused (403)',
        async run(suite, c) {
          const sent = suite.twin.log.filter((r) => r.url.host === 'api.discogs.com')
          assert.ok(sent.length >= 3)
          for (const request of sent) assert.match(request.headers['user-agent'] ?? '', /^oauthctl\//, request.url.href)
          const [token, secret] = [...suite.twin.accessTokens][0]
          const url = 'https://api.discogs.com/oauth/identity'
          assert.equal((await suite.twinFetch(url, {authorization: signAs(c, 'GET', url, {token, secret})})).status, 403)
          assert.equal((await suite.twinFetch(url, {authorization: signAs(c, 'GET', url, {token, secret}), 'user-agent': 'oauthctl-test/1'})).status, 200)
        },
      },
    ],
  },
  {
    preset: 'x-oauth1',
    consumer: {key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw'},
    make: () => createXOAuth1Twin({key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw'}, `http://127.0.0.1:${X_PORT}/callback`),
    login: ['--port', String(X_PORT)],
    identity: /Logged in to x-oauth1 as twitterapi \(6253282\), profile default\./,
    signatureMethod: 'HMAC-SHA1',
    get: '/1.1/account/verify_credentials.json',
    getPath: '/1.1/account/verify_credentials.json',
    stdout: {id: 6253282, id_str: '6253282', name: 'X API', screen_name: 'twitterapi'},
    revokePath: '/1.1/oauth/invalidate_token',
    refused: /X \(OAuth 1\.0a user context\) refused the request token request \(HTTP 401\)/,
    specifics: [
      {
        name: 'a request token for a callback the app did not register is refused (error 415)',
        async run(suite, c) {
          const url = 'https://api.x.com/oauth/request_token'
          for (const callback of [`http://127.0.0.1:${X_PORT + 1}/callback`, `http://localhost:${X_PORT}/callback`, `http://127.0.0.1:${X_PORT}/callback/x`]) {
            const answer = await suite.twinFetch(url, {authorization: signAs(c, 'POST', url, {}, {callback})}, {method: 'POST'})
            assert.equal(answer.status, 403, callback)
            assert.equal(JSON.parse(answer.body).errors[0].code, 415)
          }
        },
      },
    ],
  },
]

describe('every OAuth 1.0a preset has a twin', () => {
  it('the cases here and the Trello twin (trello.test.ts) cover oauth1Presets', () => {
    assert.deepEqual([...cases.map((c) => c.preset), 'trello'].sort(), oauth1Presets.map((preset) => preset.name).sort())
  })
})

for (const c of cases) {
  describe(`${c.preset} preset against its twin (OAuth 1.0a, ${c.signatureMethod})`, () => {
    const suite = twinSuite(c.make)
    const credentials = ['--client-id', c.consumer.key, '--client-secret', c.consumer.secret]

    it('login: request token with the loopback oauth_callback, authorize, access token with the verifier', async () => {
      const result = await suite.run(['login', c.preset, ...credentials, ...c.login])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, c.identity)
      const preset = oauth1Presets.find((p) => p.name === c.preset)!
      const [request] = suite.twin.log.filter((r) => `https://${r.url.host}${r.url.pathname}` === preset.oauth1!.requestTokenUrl)
      const oauth = new Map(parseAuthorizationHeader(request.headers.authorization))
      assert.match(oauth.get('oauth_callback') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      assert.equal(oauth.get('oauth_signature_method'), c.signatureMethod)
      const [access] = suite.twin.log.filter((r) => `https://${r.url.host}${r.url.pathname}` === preset.oauth1!.accessTokenUrl)
      assert.ok(new Map(parseAuthorizationHeader(access.headers.authorization)).get('oauth_verifier'))
      assert.deepEqual(suite.twin.refusals, [])
      c.checkLogin?.(suite.twin)
    })

    it(`get ${c.get} is signed with the access token and its secret (the twin checks the signature)`, async () => {
      const result = await suite.run(['get', c.get])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), c.stdout)
      const [call] = requestsTo(suite.twin, c.getPath).slice(-1)
      assert.ok(suite.twin.accessTokens.has(new Map(parseAuthorizationHeader(call.headers.authorization)).get('oauth_token') ?? ''))
    })

    for (const specific of c.specifics ?? []) it(specific.name, () => specific.run(suite, c))

    if (c.signatureMethod === 'HMAC-SHA1') {
      it('a request signed with a timestamp an hour old is refused (timestamp out of range)', async () => {
        const [token, secret] = [...suite.twin.accessTokens][0]
        const preset = oauth1Presets.find((p) => p.name === c.preset)!
        const url = `${preset.apiBase}${c.get}`
        const fresh = await suite.twinFetch(url, {authorization: signAs(c, 'GET', url, {token, secret}), 'user-agent': 'oauthctl-test'})
        assert.equal(fresh.status, 200, fresh.body)
        const stale = await suite.twinFetch(url, {authorization: signAs(c, 'GET', url, {token, secret}, {timestamp: Math.floor(Date.now() / 1000) - 3600}), 'user-agent': 'oauthctl-test'})
        assert.equal(stale.status, 401)
        assert.equal(suite.twin.refusals.at(-1), 'timestamp out of range')
      })

      it('the same signed request replayed is refused (nonce reused), a changed query too (invalid signature)', async () => {
        // The CLI's own last call (the test's requests say user-agent oauthctl-test).
        const [call] = requestsTo(suite.twin, c.getPath).filter((r) => r.headers['user-agent'] !== 'oauthctl-test').slice(-1)
        const headers = {authorization: call.headers.authorization!, 'user-agent': 'oauthctl-test'}
        assert.equal((await suite.twinFetch(call.url.href, headers)).status, 401)
        assert.equal(suite.twin.refusals.at(-1), 'nonce reused')
        const changed = new URL(call.url)
        changed.searchParams.set('extra', '1')
        assert.equal((await suite.twinFetch(changed.href, headers)).status, 401)
        assert.equal(suite.twin.refusals.at(-1), 'invalid signature')
      })
    }

    it('a wrong consumer secret: the twin refuses the request token, exit 5', async () => {
      const result = await suite.run(['login', c.preset, '--profile', 'bad', '--client-id', c.consumer.key, '--client-secret', 'wrong', ...c.login])
      assert.equal(result.code, 5, result.stderr)
      assert.match(result.stderr, c.refused)
      assert.equal(suite.twin.refusals.at(-1), 'invalid signature')
    })

    it(c.revokePath ? `logout --revoke invalidates at ${c.revokePath}; the token no longer signs` : 'logout only forgets (no revocation endpoint)', async () => {
      const result = await suite.run(['logout', c.preset, ...(c.revokePath ? ['--revoke'] : [])])
      assert.equal(result.code, 0, result.stderr)
      if (c.revokePath) {
        assert.equal(requestsTo(suite.twin, c.revokePath).length, 1)
        assert.equal(suite.twin.accessTokens.size, 0)
      } else {
        assert.equal(suite.twin.accessTokens.size, 1)
      }
      assert.equal((await suite.run(['get', c.get])).code, 4)
    })

    it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
  })
}
