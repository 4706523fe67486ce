import assert from 'node:assert/strict'
import {createHash, createPublicKey, verify} from 'node:crypto'
import {describe, it} from 'node:test'
import {createDPoPKey} from '../../src/oauth/dpop-key.js'
import {athOf, buildDPoPProof, htuOf} from '../../src/http/dpop-proof.js'
import {isDPoPKey} from '../../src/store/dpop-key-record.js'

const NOW = 1_700_000_000_123

function decode(proof: string): {header: Record<string, unknown>; claims: Record<string, unknown>; signature: Buffer; signingInput: string} {
  const [head, body, signature] = proof.split('.')
  return {
    header: JSON.parse(Buffer.from(head as string, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(body as string, 'base64url').toString('utf8')),
    signature: Buffer.from(signature as string, 'base64url'),
    signingInput: `${head}.${body}`,
  }
}

describe('DPoP proof builder (RFC 9449 §4.2)', () => {
  it('has exactly the header and claims of an API proof, and a valid ES256 signature by the key', async () => {
    const key = await createDPoPKey()
    const proof = buildDPoPProof({key, method: 'get', url: 'https://api.example.com/v1/items?page=2#frag', accessToken: 'tok.en-1', now: NOW, jti: 'fixed-jti-0123456789'})
    const {header, claims, signature, signingInput} = decode(proof)
    assert.deepEqual(header, {typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk})
    assert.deepEqual(claims, {
      jti: 'fixed-jti-0123456789',
      htm: 'GET',
      htu: 'https://api.example.com/v1/items',
      iat: 1_700_000_000,
      ath: createHash('sha256').update('tok.en-1').digest('base64url'),
    })
    assert.equal(signature.length, 64, 'raw r||s, not DER')
    const publicKey = createPublicKey({key: key.publicJwk as never, format: 'jwk'})
    assert.equal(verify('sha256', Buffer.from(signingInput), {key: publicKey, dsaEncoding: 'ieee-p1363'}, signature), true)
  })

  it('carries the nonce when given, and no ath without an access token', async () => {
    const key = await createDPoPKey()
    const {claims} = decode(buildDPoPProof({key, method: 'POST', url: new URL('https://as.example.com/token'), nonce: 'n-1', now: NOW, jti: 'j'.repeat(20)}))
    assert.deepEqual(Object.keys(claims).sort(), ['htm', 'htu', 'iat', 'jti', 'nonce'])
    assert.equal(claims.nonce, 'n-1')
    assert.equal(claims.htm, 'POST')
  })

  it('never puts the private key in the header, even when publicJwk was given with a d member', async () => {
    const key = await createDPoPKey()
    const leaky = {...key, publicJwk: {...key.publicJwk, d: key.privateJwk.d}}
    const {header} = decode(buildDPoPProof({key: leaky, method: 'GET', url: 'https://a.example/', now: NOW}))
    assert.equal('d' in (header.jwk as object), false)
    assert.equal(JSON.stringify(header).includes(key.privateJwk.d as string), false)
  })

  it('gives every proof a fresh random jti', async () => {
    const key = await createDPoPKey()
    const jtis = new Set(Array.from({length: 20}, () => decode(buildDPoPProof({key, method: 'GET', url: 'https://a.example/', now: NOW})).claims.jti))
    assert.equal(jtis.size, 20)
  })

  it('ath is base64url(sha256(token)) without padding (RFC 9449 §4.2 example)', () => {
    // The example of RFC 9449 §7.1: this access token has this ath.
    assert.equal(athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'), 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo')
  })

  it('htu drops query and fragment but keeps the path and a non-default port', () => {
    assert.equal(htuOf('http://127.0.0.1:8080/api/x?y=1#z'), 'http://127.0.0.1:8080/api/x')
    assert.equal(htuOf('https://EXAMPLE.com:443/a%20b'), 'https://example.com/a%20b')
  })

  it('a new key is a P-256 pair whose public half has no private member, and the stored shape is checked', async () => {
    const key = await createDPoPKey()
    assert.equal(isDPoPKey(key), true)
    assert.deepEqual(Object.keys(key.publicJwk).sort(), ['crv', 'kty', 'x', 'y'])
    assert.equal(isDPoPKey({...key, alg: 'RS256'}), false)
    assert.equal(isDPoPKey({...key, privateJwk: key.publicJwk}), false)
    assert.equal(isDPoPKey({alg: 'ES256'}), false)
  })
})
