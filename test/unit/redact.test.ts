import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {looksLikeCredential, redact, registerSecret} from '../../src/redact.js'

describe('redact: secrets never reach debug output or error messages', () => {
  const cases: [string, string, string][] = [
    ['a callback URL', 'http://127.0.0.1:5000/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', 'http://127.0.0.1:5000/callback?code=[redacted]&state=xyz'],
    ['a form body', 'grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_secret=s3cr3t-value', 'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]'],
    ['a JSON token response', '{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer"}', '{"access_token":"[redacted]","token_type":"Bearer"}'],
    ['an Authorization header', 'authorization: Bearer mF_9.B5f-4.1JqM', 'authorization: Bearer [redacted]'],
    ['Basic credentials', 'Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW', 'Authorization: Basic [redacted]'],
    ['a device code', 'device_code=GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS', 'device_code=[redacted]'],
    ['a PEM private key (mTLS --key)', 'key: -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n', 'key: [redacted private key]\n'],
    ['an EC PEM key cut short', '{"key":"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEI', '{"key":"[redacted EC private key]'],
  ]
  for (const [what, input, expected] of cases) {
    it(`masks ${what}`, () => assert.equal(redact(input), expected))
  }

  it('masks a registered secret wherever it appears, even in free text', () => {
    registerSecret('a-very-private-token-value')
    assert.equal(redact('the server said a-very-private-token-value is bad'), 'the server said [redacted] is bad')
  })

  it('leaves the word after Bearer/Basic/DPoP in prose alone (it is not a credential)', () => {
    for (const text of [
      'Bearer tokens are sent in the Authorization header.',
      'get a Bearer token, or a DPoP proof: the Basic scheme is for the client',
      'HTTP Basic authentication with the client secret',
      'send the Bearer JWT and DPoP-bound tokens',
      'bearer tokens, basic auth.',
      'a Bearer Token-Based scheme',
      'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
      'the token type is Bearer',
    ]) {
      assert.equal(redact(text), text)
    }
  })

  it('still masks real credentials after a scheme in free text, short ones included', () => {
    const cases: [string, string][] = [
      ['retrying with Bearer abc123.', 'retrying with Bearer [redacted].'],
      ['token Bearer mF_9.B5f-4.1JqM: refused', 'token Bearer [redacted]: refused'],
      ['Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2ln', 'Bearer [redacted]'],
      ['Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW, then', 'Basic [redacted], then'],
      ['DPoP gho_16C7e42F292c6912E7710c838347Ae178B4a', 'DPoP [redacted]'],
      ['Bearer dXNlcjpwYXNz==', 'Bearer [redacted]'],
      ['Bearer abcdefghijklmnopqrstuvwxyzabcdefgh (a long one of letters only)', 'Bearer [redacted] (a long one of letters only)'],
      ['Bearer MixedCaseToken', 'Bearer [redacted]'],
    ]
    for (const [input, expected] of cases) assert.equal(redact(input), expected, input)
  })

  it('masks whatever follows the scheme in an Authorization header: a dictionary word, one letter, odd characters', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer tokens', 'Authorization: Bearer [redacted]'],
      ['authorization: bearer password', 'authorization: bearer [redacted]'],
      ['AUTHORIZATION:Bearer\thello', 'AUTHORIZATION:Bearer\t[redacted]'],
      ['curl -H "Authorization: Bearer a" https://api.example', 'curl -H "Authorization: Bearer [redacted]" https://api.example'],
      ['{"authorization":"Bearer hello"}', '{"authorization":"Bearer [redacted]"}'],
      ["{ authorization: 'Basic Token' }", "{ authorization: 'Basic [redacted]' }"],
      ['Proxy-Authorization: Basic dXNlcg', 'Proxy-Authorization: Basic [redacted]'],
      ['Authorization: DPoP secret$value%with*odd&chars', 'Authorization: DPoP [redacted]'],
      ['> Authorization: Bearer realm', '> Authorization: Bearer [redacted]'],
    ]
    for (const [input, expected] of cases) assert.equal(redact(input), expected, input)
  })

  it('looksLikeCredential: token68 and not a word of prose (RFC 7235 \u00a72.1)', () => {
    for (const word of ['abc123', 'mF_9.B5f-4.1JqM', 'dXNlcg==', 'ABCDEFG', 'a'.repeat(32), 'xY']) assert.equal(looksLikeCredential(word), true, word)
    for (const word of ['tokens', 'Token', 'JWT', 'JWTs', 'token-based', 'Token-Based', 'a', 'x"y', 'tok\u00e9n', '']) assert.equal(looksLikeCredential(word), false, word)
  })

  it('leaves ordinary text alone', () => {
    const text = 'GET https://api.github.com/user?per_page=100 -> HTTP 200 OK'
    assert.equal(redact(text), text)
  })
})
