import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {judgeCallback, OAUTH1_CALLBACK} from '../../src/callback/callback-judge.js'
import {AuthorizationError, ExitCode, OauthctlError} from '../../src/errors.js'
import {oauth1AuthorizeUrl, verifierFromPaste} from '../../src/login/oauth1-login.js'
import {trelloPreset, flickrPreset} from '../../src/providers/presets-oauth1.js'
import {prepareRequest} from '../../src/http/request-body.js'
import {Readable} from 'node:stream'

const params = (text: string) => new URLSearchParams(text)

describe('OAuth 1.0a callback judging (oauth_token is the state, RFC 5849 §2.2)', () => {
  it('accepts the callback of this request token with one verifier', () => {
    assert.deepEqual(judgeCallback(params('oauth_token=req&oauth_verifier=v'), 'req', undefined, OAUTH1_CALLBACK), {kind: 'accept'})
  })

  it('ignores another oauth_token, a missing one, two of them, and anything before the request token is known', () => {
    for (const query of ['oauth_token=other&oauth_verifier=v', 'oauth_verifier=v', 'oauth_token=req&oauth_token=req&oauth_verifier=v', 'state=req&oauth_verifier=v']) {
      assert.equal(judgeCallback(params(query), 'req', undefined, OAUTH1_CALLBACK).kind, 'foreign', query)
    }
    assert.equal(judgeCallback(params('oauth_token=&oauth_verifier=v'), '', undefined, OAUTH1_CALLBACK).kind, 'foreign')
  })

  it('rejects a repeated or empty verifier of this request token', () => {
    assert.equal(judgeCallback(params('oauth_token=req&oauth_verifier=a&oauth_verifier=b'), 'req', undefined, OAUTH1_CALLBACK).kind, 'reject')
    assert.equal(judgeCallback(params('oauth_token=req&oauth_verifier='), 'req', undefined, OAUTH1_CALLBACK).kind, 'reject')
  })
})

describe('OAuth 1.0a refusal (X/Twitter: denied=<request token>)', () => {
  it('ends the login (reject, access_denied) only when denied carries this request token', () => {
    const verdict = judgeCallback(params('denied=req'), 'req', undefined, OAUTH1_CALLBACK, 'X')
    assert.equal(verdict.kind, 'reject')
    if (verdict.kind !== 'reject') return
    assert.equal(verdict.error.exitCode, ExitCode.authorization)
    assert.equal(verdict.error.error, 'access_denied')
    assert.match(verdict.error.message, /^you denied access at X; nothing was exchanged and no token was stored$/)
    assert.equal(verdict.page.title, 'You denied access at X')
  })

  it('a forged or stray denied (another token, repeated, empty, before the token is known, or OAuth 2.0 names) does not end the login', () => {
    for (const query of ['denied=other', 'denied=req&denied=req', 'denied=', 'denied=REQ', 'denied=req%00']) {
      assert.equal(judgeCallback(params(query), 'req', undefined, OAUTH1_CALLBACK).kind, 'foreign', query)
    }
    assert.equal(judgeCallback(params('denied='), '', undefined, OAUTH1_CALLBACK).kind, 'foreign')
    assert.equal(judgeCallback(params('denied=req&state=req'), 'req', undefined).kind, 'accept', 'OAuth 2.0 has no denied parameter (its refusal is error=access_denied)')
  })
})

describe('OAuth 1.0a oob paste', () => {
  it('a pasted URL with denied=<this request token> is a refusal (exit 5, access_denied); another token is a stale tab', () => {
    assert.throws(() => verifierFromPaste('http://127.0.0.1:5/callback?denied=req', 'req', 'X'), (error: unknown) => error instanceof AuthorizationError && error.error === 'access_denied' && error.message.startsWith('you denied access at X;'))
    assert.throws(() => verifierFromPaste('http://127.0.0.1:5/callback?denied=other', 'req', 'X'), (error: unknown) => error instanceof AuthorizationError && error.code === 'state_mismatch')
  })

  it('takes a PIN as is, or the verifier of a pasted URL carrying this request token', () => {
    assert.equal(verifierFromPaste('  1234567\n', 'req'), '1234567')
    assert.equal(verifierFromPaste('http://127.0.0.1:5/callback?oauth_token=req&oauth_verifier=abc', 'req'), 'abc')
  })

  it('refuses a URL of another request token, without a verifier, and text that is no verifier (exit 5)', () => {
    for (const text of [
      'http://127.0.0.1:5/callback?oauth_token=other&oauth_verifier=abc',
      'http://127.0.0.1:5/callback?oauth_token=req&oauth_token=req&oauth_verifier=abc',
      'http://127.0.0.1:5/callback?oauth_token=req',
      'two words',
      '\u001b[31mred',
      '',
    ]) {
      assert.throws(() => verifierFromPaste(text, 'req'), (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.authorization, text)
    }
  })
})

describe('OAuth 1.0a authorize URL and form fields', () => {
  it('carries the request token, the scopes under the preset parameter, and the preset extras', () => {
    const trello = oauth1AuthorizeUrl(trelloPreset, trelloPreset.oauth1!, 'req', ['read', 'write'])
    assert.equal(trello.href, 'https://trello.com/1/OAuthAuthorizeToken?oauth_token=req&scope=read%2Cwrite&name=oauthctl&expiration=30days')
    const flickr = oauth1AuthorizeUrl(flickrPreset, flickrPreset.oauth1!, 'req', ['delete'])
    assert.equal(flickr.searchParams.get('perms'), 'delete')
  })

  it('-f fields go form-encoded when the provider signs forms, JSON otherwise; an explicit content type wins', async () => {
    const spec = {method: 'POST', headers: [], query: [], rawFields: ['status=Hello Ladies + Gentlemen', 'n[a]=1'], typedFields: ['x=null']}
    const url = new URL('https://api.example.com/p')
    const form = (await prepareRequest(spec, Readable.from([])))(url, {}, true)
    assert.equal(form.headers.get('content-type'), 'application/x-www-form-urlencoded')
    assert.equal(Buffer.from(form.body!).toString(), 'status=Hello+Ladies+%2B+Gentlemen&n%5Ba%5D=1&x=')
    const json = (await prepareRequest(spec, Readable.from([])))(url, {})
    assert.equal(json.headers.get('content-type'), 'application/json')
    const chosen = (await prepareRequest({...spec, contentType: 'application/json'}, Readable.from([])))(url, {}, true)
    assert.equal(chosen.headers.get('content-type'), 'application/json')
    const get = (await prepareRequest({...spec, method: 'GET'}, Readable.from([])))(url, {}, true)
    assert.equal(get.body, undefined)
  })
})
