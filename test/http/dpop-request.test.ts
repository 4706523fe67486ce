import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createDPoPKey} from '../../src/oauth/dpop-key.js'
import {loadProofSigner, setAuthorization, takeDPoPNonce} from '../../src/http/dpop-request.js'
import {LiteHeaders} from '../../src/http/lite.js'

function answer(status: number, headers: Record<string, string>) {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
  return {status, headers: {get: (name: string) => lower.get(name.toLowerCase()) ?? null}}
}

function claimsOf(proof: string | null): Record<string, unknown> {
  return JSON.parse(Buffer.from((proof ?? '').split('.')[1] as string, 'base64url').toString('utf8'))
}

describe('DPoP on API requests (RFC 9449 §7.1, §9)', () => {
  it('a Bearer login gets Authorization: Bearer and no DPoP header, and loads no signer', async () => {
    assert.equal(await loadProofSigner({accessToken: 't'}, Date.now), undefined)
    const headers = new LiteHeaders()
    setAuthorization(headers, 'tok', undefined, 'GET', new URL('https://api.example/x'))
    assert.equal(headers.get('authorization'), 'Bearer tok')
    assert.equal(headers.has('dpop'), false)
  })

  it('a DPoP login gets Authorization: DPoP and a proof for this method and URL', async () => {
    const signer = await loadProofSigner({accessToken: 'tok', dpopKey: await createDPoPKey()}, () => 1_700_000_000_000)
    const headers = new LiteHeaders()
    setAuthorization(headers, 'tok', signer, 'DELETE', new URL('https://dpop-a.example/items/1?force=1'))
    assert.equal(headers.get('authorization'), 'DPoP tok')
    const claims = claimsOf(headers.get('dpop'))
    assert.equal(claims.htm, 'DELETE')
    assert.equal(claims.htu, 'https://dpop-a.example/items/1')
    assert.equal(claims.iat, 1_700_000_000)
    assert.equal(claims.nonce, undefined)
  })

  it('use_dpop_nonce with a DPoP-Nonce: retry once, and later proofs to that origin carry the nonce', async () => {
    const url = new URL('https://dpop-b.example/api')
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="x"', 'DPoP-Nonce': 'n-1'})), true)
    // The same nonce refused again: no second retry (no loop).
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n-1'})), false)
    const signer = await loadProofSigner({accessToken: 'tok', dpopKey: await createDPoPKey()}, Date.now)
    const headers = new LiteHeaders()
    setAuthorization(headers, 'tok', signer, 'GET', new URL('https://dpop-b.example/other?q'))
    assert.equal(claimsOf(headers.get('dpop')).nonce, 'n-1')
    setAuthorization(headers, 'tok', signer, 'GET', new URL('https://dpop-c.example/other'))
    assert.equal(claimsOf(headers.get('dpop')).nonce, undefined, 'a nonce is kept per origin')
  })

  it('no retry for another 401, a missing nonce, a success, or a nonce with forbidden characters', () => {
    const url = new URL('https://dpop-d.example/api')
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'DPoP error="invalid_token"', 'DPoP-Nonce': 'n-2'})), false)
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'DPoP error="use_dpop_nonce"'})), false)
    assert.equal(takeDPoPNonce(url, answer(200, {'DPoP-Nonce': 'n-3'})), false)
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'a"b'})), false)
    assert.equal(takeDPoPNonce(url, answer(401, {'WWW-Authenticate': 'Bearer error="use_dpop_nonce"', 'DPoP-Nonce': 'n-4'})), false)
  })
})
