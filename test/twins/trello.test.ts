import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseAuthorizationHeader} from '../../src/http/oauth1-signature.js'
import {createTrelloTwin} from './providers/trello.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const app = {key: 'a1b2c3d4e5f6', secret: 'trello-consumer-secret'}

describe('trello preset against the Trello twin (OAuth 1.0a, HMAC-SHA1)', () => {
  const suite = twinSuite(() => createTrelloTwin(app))

  it('login --client-id --client-secret: request token with a loopback oauth_callback, authorize with scope/name/expiration, access token', async () => {
    const result = await suite.run(['login', 'trello', '--client-id', app.key, '--client-secret', app.secret, '--scope', 'read,write'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Logged in to trello as 5f1a, profile default\./)
    const [request] = requestsTo(suite.twin, '/1/OAuthGetRequestToken')
    const oauth = new Map(parseAuthorizationHeader(request.headers.authorization))
    assert.match(oauth.get('oauth_callback') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    assert.equal(oauth.get('oauth_signature_method'), 'HMAC-SHA1')
    assert.equal(suite.twin.lastAuthorize?.get('scope'), 'read,write')
    assert.equal(suite.twin.lastAuthorize?.get('name'), 'oauthctl')
    assert.equal(suite.twin.lastAuthorize?.get('expiration'), '30days')
    const [access] = requestsTo(suite.twin, '/1/OAuthGetAccessToken')
    assert.ok(new Map(parseAuthorizationHeader(access.headers.authorization)).get('oauth_verifier'))
  })

  it('get /members/me is signed with the token and its secret (the twin checks the signature)', async () => {
    const result = await suite.run(['get', '/members/me'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {id: '5f1a', username: 'ada', fullName: 'Ada Lovelace'})
    const [call] = requestsTo(suite.twin, '/1/members/me').slice(-1)
    assert.ok(suite.twin.accessTokens.has(new Map(parseAuthorizationHeader(call.headers.authorization)).get('oauth_token') ?? ''))
  })

  it('post /cards -f name=... sends a signed form body', async () => {
    const result = await suite.run(['post', '/cards', '-f', 'name=Buy milk & eggs', '-q', 'idList=abc'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {name: 'Buy milk & eggs', idList: 'abc'})
  })

  it('a wrong consumer secret: the twin refuses the request token, exit 5', async () => {
    const result = await suite.run(['login', 'trello', '--profile', 'bad', '--client-id', app.key, '--client-secret', 'wrong'])
    assert.equal(result.code, 5)
    assert.match(result.stderr, /Trello refused the request token request \(HTTP 401\): invalid signature/)
  })
})
