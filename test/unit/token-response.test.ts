import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {refreshWindowMs} from '../../src/session/session.js'
import {checkExpiresIn, MAX_EXPIRES_IN_SECONDS, MAX_STORED_ID_TOKEN_CHARS, secretsFromTokenResponse} from '../../src/oauth/token-response.js'
import {toIsoTime} from '../../src/util/time.js'

const NOW = 1_700_000_000_000

describe('checkExpiresIn (RFC 6749 §5.1 expires_in at the boundary)', () => {
  it('keeps sane values, reads a string of digits, clamps absurd ones to 10 years', () => {
    const notes: string[] = []
    assert.equal(checkExpiresIn(undefined), undefined)
    assert.equal(checkExpiresIn(0), 0)
    assert.equal(checkExpiresIn(3600), 3600)
    assert.equal(checkExpiresIn('3600'), 3600)
    for (const huge of [1e13, 1e306, Infinity]) assert.equal(checkExpiresIn(huge, (line) => notes.push(line)), MAX_EXPIRES_IN_SECONDS)
    assert.equal(notes.length, 3)
  })

  for (const bad of [-1, -Infinity, Number.NaN, 'soon', '-5', '', null, true, {}]) {
    it(`refuses ${JSON.stringify(bad) ?? String(bad)} with exit 5`, () => {
      assert.throws(() => checkExpiresIn(bad), (error: {exitCode?: number; code?: string}) => error.exitCode === 5 && error.code === 'invalid_token_response')
    })
  }
})

describe('secretsFromTokenResponse', () => {
  it('stores a representable expiry and the issue time, whatever expires_in says', () => {
    for (const expiresIn of [1e306, 1e13, Infinity]) {
      const secrets = secretsFromTokenResponse({access_token: 'a', expires_in: expiresIn}, NOW)
      assert.equal(secrets.expiresAt, NOW + MAX_EXPIRES_IN_SECONDS * 1000)
      assert.equal(secrets.obtainedAt, NOW)
      assert.notEqual(toIsoTime(secrets.expiresAt), null)
      assert.equal(JSON.parse(JSON.stringify(secrets)).expiresAt, secrets.expiresAt)
    }
  })

  for (const tokenType of ['DPoP', 'dpop', 'MAC', 'N_A']) {
    it(`refuses token_type ${tokenType} (exit 5)`, () => {
      assert.throws(
        () => secretsFromTokenResponse({access_token: 'a', token_type: tokenType}, NOW),
        (error: {exitCode?: number; code?: string}) => error.exitCode === 5 && error.code === 'unsupported_token_type',
      )
    })
  }

  it('accepts bearer in any case and a missing token_type', () => {
    for (const tokenType of ['Bearer', 'bearer', 'BEARER', undefined]) {
      assert.equal(secretsFromTokenResponse({access_token: 'a', token_type: tokenType}, NOW).accessToken, 'a')
    }
  })

  it('keeps an ID token up to 8 KB and drops a longer one (new or kept from before) with a note', () => {
    const notes: string[] = []
    const small = 'h.'.padEnd(MAX_STORED_ID_TOKEN_CHARS, 'p')
    const big = 'h.'.padEnd(200_000, 'p')
    assert.equal(secretsFromTokenResponse({access_token: 'a', id_token: small}, NOW).idToken, small)
    assert.equal(secretsFromTokenResponse({access_token: 'a', id_token: big}, NOW, undefined, (line) => notes.push(line)).idToken, undefined)
    assert.equal(secretsFromTokenResponse({access_token: 'a'}, NOW, {accessToken: 'old', idToken: big}, (line) => notes.push(line)).idToken, undefined)
    assert.deepEqual(notes, Array(2).fill(`the ID token is 200000 characters long (over ${MAX_STORED_ID_TOKEN_CHARS}); its claims were read, it is not stored`))
  })
})

describe('refreshWindowMs: the refresh-ahead window fits the token lifetime', () => {
  it('60 s for long-lived tokens, half the lifetime for short ones, 60 s for records without an issue time', () => {
    assert.equal(refreshWindowMs(secretsFromTokenResponse({access_token: 'a', expires_in: 3600}, NOW)), 60_000)
    assert.equal(refreshWindowMs(secretsFromTokenResponse({access_token: 'a', expires_in: 10}, NOW)), 5_000)
    assert.equal(refreshWindowMs(secretsFromTokenResponse({access_token: 'a', expires_in: 0}, NOW)), 0)
    assert.equal(refreshWindowMs({accessToken: 'a', expiresAt: NOW + 10_000}), 60_000)
    assert.equal(refreshWindowMs({accessToken: 'a'}), 60_000)
  })
})

describe('toIsoTime never throws', () => {
  it('gives null for what a Date cannot show', () => {
    assert.equal(toIsoTime(NOW), new Date(NOW).toISOString())
    for (const value of [undefined, Number.NaN, Infinity, 1e16, -1e16]) assert.equal(toIsoTime(value), null)
  })
})
