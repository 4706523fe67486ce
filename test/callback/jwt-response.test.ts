import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {judgeCallback} from '../../src/callback/callback-judge.js'
import {paramsForJudging} from '../../src/callback/jwt-response.js'

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (claims: unknown): string => `${encode({alg: 'ES256'})}.${encode(claims)}.c2ln`

describe('paramsForJudging (JARM responses)', () => {
  it('reads state, iss, code and error members of the response JWT', () => {
    const params = paramsForJudging(new URLSearchParams({response: jwt({state: 's', iss: 'https://id', code: 'c', aud: 'x', exp: 1})}))
    assert.equal(params.toString(), 'state=s&iss=https%3A%2F%2Fid&code=c')
    assert.equal(judgeCallback(params, 's', 'https://id').kind, 'accept')
  })
  it('an error inside the JWT is rejected like a plain error response', () => {
    const verdict = judgeCallback(paramsForJudging(new URLSearchParams({response: jwt({state: 's', error: 'access_denied'})})), 's', undefined)
    assert.equal(verdict.kind, 'reject')
  })
  it('a plain response is judged as it is', () => {
    const plain = new URLSearchParams({code: 'c', state: 's', response: jwt({state: 'other'})})
    assert.equal(paramsForJudging(plain), plain)
  })
  for (const [name, params] of [
    ['two response parameters', new URLSearchParams([['response', jwt({state: 's'})], ['response', jwt({state: 's'})]])],
    ['not a JWT', new URLSearchParams({response: 'abc'})],
    ['a payload that is not JSON', new URLSearchParams({response: 'a.bm90IGpzb24.c'})],
    ['an array payload', new URLSearchParams({response: jwt(['s'])})],
    ['a non-string state', new URLSearchParams({response: jwt({state: ['s']})})],
    ['an oversized JWT', new URLSearchParams({response: jwt({state: 's', pad: 'x'.repeat(20_000)})})],
  ] as const) {
    it(`${name}: belongs to no login (foreign)`, () => {
      assert.equal(judgeCallback(paramsForJudging(params), 's', undefined).kind, 'foreign')
    })
  }
  it('prototype members in the payload are dropped', () => {
    const payload = Buffer.from('{"__proto__":{"state":"s"},"constructor":{"state":"s"},"code":"c"}').toString('base64url')
    const params = paramsForJudging(new URLSearchParams({response: `${encode({alg: 'ES256'})}.${payload}.c2ln`}))
    assert.equal(params.get('code'), 'c')
    params.delete('code')
    assert.equal(params.toString(), '')
    assert.equal(({} as Record<string, unknown>).state, undefined)
  })
})
