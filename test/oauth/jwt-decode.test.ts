import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, UsageError} from '../../src/errors.js'
import {decodeJwt} from '../../src/oauth/jwt-decode.js'

const b64 = (text: string) => Buffer.from(text).toString('base64url')

describe('decodeJwt', () => {
  it('returns header and claims, and whether there is a signature, never the signature itself', () => {
    const decoded = decodeJwt(` ${b64('{"alg":"ES256","kid":"k"}')}.${b64('{"sub":"demo","exp":1}')}.c2lnbmF0dXJl \n`)
    assert.deepEqual(decoded, {header: {alg: 'ES256', kid: 'k'}, claims: {sub: 'demo', exp: 1}, signed: true})
    assert.ok(!JSON.stringify(decoded).includes('c2lnbmF0dXJl'))
    assert.equal(decodeJwt(`${b64('{"alg":"none"}')}.${b64('{}')}.`).signed, false)
  })

  it('drops __proto__ and constructor members of a hostile token', () => {
    const decoded = decodeJwt(`${b64('{"alg":"RS256","__proto__":{"polluted":1}}')}.${b64('{"constructor":{"prototype":{"x":1}},"sub":"a"}')}.x`)
    assert.deepEqual(Object.keys(decoded.header), ['alg'])
    assert.deepEqual(Object.keys(decoded.claims), ['sub'])
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('refuses what is not a JWS JWT with exit 2', () => {
    for (const text of ['', 'opaque-token', 'a.b', 'a.b.c', `${b64('[1]')}.${b64('{}')}.x`, `${b64('{}')}.${b64('{}')}.x`, `${b64('{"alg":"RS256"}')}.${b64('"s"')}.x`, `${b64('{"alg":"RS256"}')}.not+base64.x`, 'a.b.c.d.e']) {
      assert.throws(() => decodeJwt(text), (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage, text)
    }
    assert.throws(() => decodeJwt('a.b.c.d.e'), /encrypted JWT \(JWE\)/)
  })
})
