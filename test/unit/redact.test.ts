import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {redact, registerSecret} from '../../src/redact.js'

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

  it('leaves ordinary text alone', () => {
    const text = 'GET https://api.github.com/user?per_page=100 -> HTTP 200 OK'
    assert.equal(redact(text), text)
  })
})
