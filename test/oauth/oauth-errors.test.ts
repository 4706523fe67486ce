import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {AuthorizationError} from '../../src/errors.js'
import {issuerForResponse} from '../../src/login/issuer-check.js'
import {describeOAuthError, hintForOAuthFailure, httpStatusOf, isUnreachable, oauthErrorCode} from '../../src/oauth/oauth-errors.js'
import {fakePreset} from '../login/helpers.js'

/** Errors shaped as openid-client 6 throws them (read by shape, as the flows do). */
const emptyAnswer = (status: number, statusText: string) =>
  Object.assign(new Error('unexpected HTTP response status code'), {code: 'OAUTH_RESPONSE_IS_NOT_CONFORM', cause: new Response(null, {status, statusText})})
const notJson = (status: number, statusText: string) =>
  Object.assign(new Error('unexpected response content-type'), {code: 'OAUTH_RESPONSE_IS_NOT_JSON', cause: new Response('<html>', {status, statusText, headers: {'content-type': 'text/html'}})})
const bodyError = (status: number, error: string, description?: string) =>
  Object.assign(new Error('server responded with an error in the response body'), {error, error_description: description, status})
const challenge = (status: number, error: string, description: string) =>
  Object.assign(new Error('server responded with a challenge in the WWW-Authenticate HTTP Header'), {
    status,
    cause: [{scheme: 'bearer', parameters: {error, error_description: description}}],
  })
const network = (code: string) => Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {code})})

describe('describeOAuthError: the HTTP status and the provider\'s own words', () => {
  const cases: [string, unknown, string][] = [
    ['an empty 401 (was "unexpected response content-type")', emptyAnswer(401, 'Unauthorized'), 'the server answered HTTP 401 Unauthorized (no OAuth error in the body)'],
    ['an HTML 403', notJson(403, 'Forbidden'), 'the server answered HTTP 403 Forbidden (no OAuth error in the body)'],
    ['a 400 OAuth error: the usual status is not repeated', bodyError(400, 'invalid_grant', 'code expired'), 'invalid_grant: code expired'],
    ['a 401 OAuth error keeps its status', bodyError(401, 'invalid_client', 'unknown client'), 'invalid_client: unknown client (HTTP 401)'],
    ['a WWW-Authenticate challenge gives its error and description', challenge(401, 'invalid_client', 'bad secret'), 'invalid_client: bad secret (HTTP 401)'],
    ['a network failure is the chain of causes', network('ECONNREFUSED'), 'fetch failed: connect ECONNREFUSED 127.0.0.1:1'],
  ]
  for (const [name, error, expected] of cases) {
    it(name, () => assert.equal(describeOAuthError(error), expected))
  }

  it('reads the error code from a challenge and the status from a Response cause', () => {
    assert.equal(oauthErrorCode(challenge(401, 'invalid_token', 'x')), 'invalid_token')
    assert.deepEqual(httpStatusOf(emptyAnswer(401, 'Unauthorized')), {status: 401, statusText: 'Unauthorized'})
    assert.equal(httpStatusOf(network('ECONNREFUSED')), undefined)
  })
})

describe('hintForOAuthFailure: hints that fit the failure', () => {
  const endpoint = 'https://id.example.test:8443/token'
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET']) {
    it(`${code}: could not reach the host, not "approve the request"`, () => {
      assert.equal(isUnreachable(network(code)), true)
      assert.equal(hintForOAuthFailure(network(code), endpoint, 'Run the login again and approve the request.'), 'Could not reach id.example.test:8443: check the network (and proxy settings), then run the command again.')
    })
  }
  it('a timeout is unreachable too', () => {
    const timeout = Object.assign(new Error('operation timed out'), {code: 'OAUTH_TIMEOUT', cause: new DOMException('timed out', 'TimeoutError')})
    assert.equal(isUnreachable(timeout), true)
  })
  it('an empty 401 or invalid_client: the client credentials and --client-auth', () => {
    for (const error of [emptyAnswer(401, 'Unauthorized'), bodyError(400, 'invalid_client')]) {
      assert.match(hintForOAuthFailure(error, endpoint, 'fallback'), /Check --client-id and --client-secret .*--client-auth basic\|post\|none/)
    }
  })
  it('anything else: the caller\'s hint; an answer is never "unreachable"', () => {
    assert.equal(hintForOAuthFailure(bodyError(400, 'invalid_grant'), endpoint, 'fallback'), 'fallback')
    assert.equal(isUnreachable(emptyAnswer(503, 'Service Unavailable')), false)
  })
})

describe('issuerForResponse: check iss against a known issuer only (RFC 9207 §2.4)', () => {
  const manual = fakePreset('https://sso.example.test', {issuer: undefined, tokenEndpoint: 'https://sso.example.test/token'})
  const known = [{issuer: 'https://accounts.google.com', tokenEndpoint: 'https://oauth2.googleapis.com/token'}]
  const callback = (query: string) => new URL(`http://127.0.0.1:5000/callback?code=c&state=s${query}`)

  it('a known issuer is the one checked (openid-client compares iss with it)', () => {
    assert.equal(issuerForResponse({...manual, issuer: 'https://sso.example.test/realm'}, callback('&iss=https://other.example'), known), 'https://sso.example.test/realm')
  })
  it('no known issuer, no iss: none is invented', () => {
    assert.equal(issuerForResponse(manual, callback(''), known), undefined)
  })
  it('no known issuer: a unique iss is accepted and becomes the issuer', () => {
    assert.equal(issuerForResponse(manual, callback('&iss=https://sso.example.test/realm'), known), 'https://sso.example.test/realm')
  })
  it('no known issuer: the iss of another provider at another token endpoint is a mix-up (exit 5)', () => {
    assert.throws(() => issuerForResponse(manual, callback('&iss=https://accounts.google.com'), known), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, 5)
      assert.equal(error.code, 'issuer_mismatch')
      return true
    })
  })
  it('no known issuer: another name for the same server (same token endpoint) is no mix-up', () => {
    assert.equal(issuerForResponse(manual, callback('&iss=https://sso.example.test'), [{issuer: 'https://sso.example.test', tokenEndpoint: manual.tokenEndpoint}]), 'https://sso.example.test')
  })
})
