import assert from 'node:assert/strict'
import type {IncomingMessage} from 'node:http'
import {describe, it} from 'node:test'
import {createDPoPKey} from '../../src/oauth/dpop-key.js'
import {buildDPoPProof, type DPoPKey} from '../../src/http/dpop-proof.js'
import {createDPoPVerifier, thumbprintOf} from '../../src/sandbox/dpop.js'

const NOW = 1_700_000_000_000
const URL_ = new URL('http://127.0.0.1:9/api/v2/me?x=1')

function request(method: string, proofs: string[]): IncomingMessage {
  const rawHeaders = proofs.flatMap((proof) => ['DPoP', proof])
  return {method, headers: proofs.length > 0 ? {dpop: proofs.join(', ')} : {}, rawHeaders} as unknown as IncomingMessage
}

describe('the sandbox demo API checks DPoP proofs (RFC 9449 §4.3, §7.1, §9)', async () => {
  const key = await createDPoPKey()
  const jkt = thumbprintOf(key.publicJwk as never)
  const verifier = createDPoPVerifier(() => NOW)
  const proof = (overrides: Partial<Parameters<typeof buildDPoPProof>[0]> & {key?: DPoPKey} = {}) =>
    buildDPoPProof({key, method: 'GET', url: URL_, accessToken: 'at', nonce: verifier.nonce, now: NOW, ...overrides})

  it('accepts a good proof once; the same proof again is a replay', () => {
    const good = proof()
    assert.equal(verifier.check(request('GET', [good]), URL_, 'at', jkt), undefined)
    assert.equal(verifier.check(request('GET', [good]), URL_, 'at', jkt)?.description, 'this proof was used before (jti replay)')
  })

  it('asks for its nonce when the proof has none or another', () => {
    assert.equal(verifier.check(request('GET', [proof({nonce: undefined})]), URL_, 'at', jkt)?.error, 'use_dpop_nonce')
    assert.equal(verifier.check(request('GET', [proof({nonce: 'old'})]), URL_, 'at', jkt)?.error, 'use_dpop_nonce')
  })

  it('refuses wrong htm, htu, iat, ath, a missing or doubled header, and an unbound token', () => {
    const cases: Array<[string, IncomingMessage, string, string | undefined]> = [
      ['htm does not match the request method', request('POST', [proof()]), 'at', jkt],
      ['htu does not match the request URI', request('GET', [proof({url: 'http://127.0.0.1:9/api/other'})]), 'at', jkt],
      ['iat is missing or too far from now', request('GET', [proof({now: NOW - 61_000})]), 'at', jkt],
      ['iat is missing or too far from now', request('GET', [proof({now: NOW + 61_000})]), 'at', jkt],
      ['ath does not match the access token', request('GET', [proof({accessToken: 'other'})]), 'at', jkt],
      ['exactly one DPoP header is required', request('GET', []), 'at', jkt],
      ['exactly one DPoP header is required', request('GET', [proof(), proof()]), 'at', jkt],
      ['this access token is not DPoP-bound: send it as Bearer', request('GET', [proof()]), 'at', undefined],
    ]
    for (const [description, req, token, bound] of cases) assert.equal(verifier.check(req, URL_, token, bound)?.description, description)
  })

  it('refuses a proof by another key (a stolen token) and a tampered signature', async () => {
    const thief = await createDPoPKey()
    const stolen = verifier.check(request('GET', [proof({key: thief})]), URL_, 'at', jkt)
    assert.deepEqual(stolen, {error: 'invalid_token', description: 'the access token is bound to another key'})
    const [head, body, signature] = proof().split('.')
    const forged = `${head}.${Buffer.from(JSON.stringify({...JSON.parse(Buffer.from(body as string, 'base64url').toString()), htm: 'GET', jti: 'x'.repeat(20)})).toString('base64url')}.${signature}`
    assert.equal(verifier.check(request('GET', [forged]), URL_, 'at', jkt)?.description, 'the DPoP proof signature is invalid')
  })
})
