import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {describe, it} from 'node:test'
import {
  authorizationHeader,
  baseStringUri,
  computeSignature,
  formParams,
  normalizeParameters,
  parseAuthorizationHeader,
  percentEncode,
  signatureBaseString,
  signRequest,
  verifySignature,
  type OAuth1Param,
} from '../../src/http/oauth1-signature.js'

describe('OAuth 1.0a signatures (RFC 5849)', () => {
  it('percent-encodes per §3.6: unreserved kept, !*\'() and UTF-8 encoded, upper-case hex', () => {
    assert.equal(percentEncode('Ladies + Gentlemen'), 'Ladies%20%2B%20Gentlemen')
    assert.equal(percentEncode("An encoded string!*'()"), 'An%20encoded%20string%21%2A%27%28%29')
    assert.equal(percentEncode('Dogs, Cats & Mice'), 'Dogs%2C%20Cats%20%26%20Mice')
    assert.equal(percentEncode('☃'), '%E2%98%83')
    assert.equal(percentEncode('-._~azAZ09'), '-._~azAZ09')
  })

  it('base string URI per §3.4.1.2: lower-case scheme and host, default port dropped, no query', () => {
    assert.equal(baseStringUri(new URL('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')), 'http://example.com/r%20v/X')
    assert.equal(baseStringUri(new URL('https://www.example.net:8080/?q=1')), 'https://www.example.net:8080/')
    assert.equal(baseStringUri(new URL('https://www.example.net:443/a')), 'https://www.example.net/a')
  })

  it('builds the §3.4.1.1 example base string (query + form body + oauth params, repeated names sorted by value)', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b')
    const oauth: OAuth1Param[] = [
      ['realm', 'Example'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'djosJKDKJSD8743243%2Fjdk33klY%3D'],
    ]
    const base = signatureBaseString('post', url, oauth, formParams('c2&a3=2+q'))
    assert.equal(
      base,
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    )
    assert.equal(
      normalizeParameters([...formParams(url.search), ...formParams('c2&a3=2+q')]),
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=',
    )
  })

  it('signs the §1.2 photo example to the errata-corrected HMAC-SHA1 value (RFC 5849 erratum 2550)', () => {
    const header = signRequest({
      method: 'GET',
      url: new URL('http://photos.example.net/photos?file=vacation.jpg&size=original'),
      consumerKey: 'dpf43f3p2l4k3l03',
      token: 'nnch734d00sl2jdk',
      signatureMethod: 'HMAC-SHA1',
      secrets: {consumerSecret: 'kd94hf93k423kf44', tokenSecret: 'pfkkdhi9sl3r4s00'},
      nonce: 'chapoH',
      timestamp: 137131202,
      realm: 'Photos',
      omitVersion: true,
    })
    const params = new Map(parseAuthorizationHeader(header))
    assert.equal(params.get('oauth_signature'), 'MdpQcU8iPSUjWoN/UDMsK2sui9I=')
    assert.match(header, /^OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", /)
    assert.match(header, /oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"$/)
  })

  it('signs the classic Twitter "Creating a signature" example (form body parameters included)', () => {
    const url = new URL('https://api.twitter.com/1.1/statuses/update.json?include_entities=true')
    const header = signRequest({
      method: 'POST',
      url,
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      signatureMethod: 'HMAC-SHA1',
      secrets: {consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE'},
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      timestamp: 1318622958,
      bodyParams: formParams('status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21'),
    })
    assert.equal(new Map(parseAuthorizationHeader(header)).get('oauth_signature'), 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=')
  })

  it('PLAINTEXT is the encoded key pair (§3.4.4), also before a token exists', () => {
    assert.equal(computeSignature('PLAINTEXT', 'ignored', {consumerSecret: 'kd94hf93k423kf44', tokenSecret: 'pfkkdhi9sl3r4s00'}), 'kd94hf93k423kf44&pfkkdhi9sl3r4s00')
    assert.equal(computeSignature('PLAINTEXT', 'ignored', {consumerSecret: 'a b&'}), 'a%20b%26&')
  })

  it('RSA-SHA1 signs with the private key and verifies only with the matching public key (§3.4.3)', () => {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const other = generateKeyPairSync('rsa', {modulusLength: 2048})
    const base = 'GET&http%3A%2F%2Fexample.com%2F&a%3D1'
    const signature = computeSignature('RSA-SHA1', base, {consumerSecret: '', privateKey})
    assert.equal(verifySignature('RSA-SHA1', base, signature, {consumerSecret: '', publicKey}), true)
    assert.equal(verifySignature('RSA-SHA1', `${base}x`, signature, {consumerSecret: '', publicKey}), false)
    assert.equal(verifySignature('RSA-SHA1', base, signature, {consumerSecret: '', publicKey: other.publicKey}), false)
    assert.throws(() => computeSignature('RSA-SHA1', base, {consumerSecret: ''}), /private key/)
  })

  it('HMAC verification refuses a wrong token secret, a changed parameter and garbage', () => {
    const base = signatureBaseString('GET', new URL('http://h.example/p?x=1'), [['oauth_nonce', 'n']])
    const good = computeSignature('HMAC-SHA1', base, {consumerSecret: 'c', tokenSecret: 't'})
    assert.equal(verifySignature('HMAC-SHA1', base, good, {consumerSecret: 'c', tokenSecret: 't'}), true)
    assert.equal(verifySignature('HMAC-SHA1', base, good, {consumerSecret: 'c', tokenSecret: 'u'}), false)
    const changed = signatureBaseString('GET', new URL('http://h.example/p?x=2'), [['oauth_nonce', 'n']])
    assert.equal(verifySignature('HMAC-SHA1', changed, good, {consumerSecret: 'c', tokenSecret: 't'}), false)
    assert.equal(verifySignature('HMAC-SHA1', base, 'x', {consumerSecret: 'c', tokenSecret: 't'}), false)
  })

  it('header round trip: every value encoded, parsed back to the same parameters', () => {
    const params: OAuth1Param[] = [['oauth_callback', 'http://127.0.0.1:5000/callback?a=b c'], ['oauth_signature', 'a+b/c=']]
    const header = authorizationHeader(params)
    assert.equal(header, 'OAuth oauth_callback="http%3A%2F%2F127.0.0.1%3A5000%2Fcallback%3Fa%3Db%20c", oauth_signature="a%2Bb%2Fc%3D"')
    assert.deepEqual(parseAuthorizationHeader(header), params)
    assert.equal(parseAuthorizationHeader('Bearer abc'), undefined)
  })

  it('a random nonce and the current time when none are given', () => {
    const input = {method: 'GET', url: new URL('http://h.example/'), consumerKey: 'k', signatureMethod: 'HMAC-SHA1' as const, secrets: {consumerSecret: 's'}}
    const a = new Map(parseAuthorizationHeader(signRequest(input)))
    const b = new Map(parseAuthorizationHeader(signRequest(input)))
    assert.notEqual(a.get('oauth_nonce'), b.get('oauth_nonce'))
    assert.match(a.get('oauth_nonce') ?? '', /^[0-9a-f]{32}$/)
    assert.ok(Math.abs(Number(a.get('oauth_timestamp')) - Date.now() / 1000) < 5)
    assert.equal(a.get('oauth_version'), '1.0')
    assert.equal(a.has('oauth_token'), false)
  })
})
