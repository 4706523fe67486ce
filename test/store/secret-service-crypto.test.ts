// The session algorithm dh-ietf1024-sha256-aes128-cbc-pkcs7 of the Secret Service API, step by step against
// known values: the RFC 2409 group, the DH exchange (checked against OpenSSL's), HKDF-SHA256 with no salt
// and empty info (RFC 5869), AES-128-CBC with PKCS#7 padding (NIST SP 800-38A F.2.2).
import assert from 'node:assert/strict'
import {createCipheriv, createDiffieHellman, createHmac, getDiffieHellman, hkdfSync} from 'node:crypto'
import {describe, it} from 'node:test'

import {createSessionKeyPair, decryptSecret, deriveSessionKey, MODP2_PRIME} from '../../src/store/secret-service-read.js'

const fixedRandom = (byte: number) => Buffer.alloc(32, byte)

describe('dh-ietf1024-sha256-aes128-cbc-pkcs7', () => {
  it('uses the RFC 2409 Second Oakley Group (the prime node:crypto calls modp2)', () => {
    assert.equal(MODP2_PRIME.toString(16).padStart(256, '0'), getDiffieHellman('modp2').getPrime('hex'))
  })

  it('computes public values and the shared secret as OpenSSL does', () => {
    const client = createSessionKeyPair(fixedRandom(0x11))
    const server = createSessionKeyPair(fixedRandom(0x22))
    const openssl = createDiffieHellman(getDiffieHellman('modp2').getPrime(), Buffer.from([2]))
    openssl.setPrivateKey(Buffer.from(client.privateKey.toString(16).padStart(256, '0'), 'hex'))
    openssl.generateKeys()
    assert.equal(client.publicKey.toString('hex'), openssl.getPublicKey('hex').padStart(256, '0'))
    assert.equal(client.publicKey.length, 128)

    // Both ends derive the same key, and it is HKDF-SHA256 (salt: 32 zero bytes, info: empty) of the
    // shared secret padded to 128 bytes, computed here from RFC 5869's definition with HMAC.
    const key = deriveSessionKey(client.privateKey, server.publicKey)
    assert.deepEqual(key, deriveSessionKey(server.privateKey, client.publicKey))
    const shared = Buffer.from(openssl.computeSecret(server.publicKey).toString('hex').padStart(256, '0'), 'hex')
    const prk = createHmac('sha256', Buffer.alloc(32)).update(shared).digest()
    const okm = createHmac('sha256', prk).update(Buffer.from([1])).digest().subarray(0, 16)
    assert.equal(key?.toString('hex'), okm.toString('hex'))
  })

  it('pads a short shared secret to 128 bytes before HKDF (as libsecret does)', () => {
    // A private key of 1 makes the shared secret the peer's value: 2, one byte long before padding.
    const padded = Buffer.alloc(128)
    padded[127] = 2
    const expected = Buffer.from(hkdfSync('sha256', padded, Buffer.alloc(0), Buffer.alloc(0), 16))
    assert.deepEqual(deriveSessionKey(1n, Buffer.from([2])), expected)
  })

  it('HKDF-SHA256 with empty salt and info matches RFC 5869 test case 3', () => {
    const okm = Buffer.from(hkdfSync('sha256', Buffer.alloc(22, 0x0b), Buffer.alloc(0), Buffer.alloc(0), 42)).toString('hex')
    assert.equal(okm, '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8')
  })

  it('refuses degenerate server public values (0, 1, p-1, p, more than 128 bytes)', () => {
    const hex = (value: bigint) => Buffer.from(value.toString(16).padStart(256, '0'), 'hex')
    for (const value of [Buffer.alloc(0), Buffer.from([0]), Buffer.from([1]), hex(MODP2_PRIME - 1n), hex(MODP2_PRIME), Buffer.concat([Buffer.from([0]), hex(5n)])]) {
      assert.equal(deriveSessionKey(12345n, value), undefined, value.toString('hex'))
    }
  })

  it('decrypts AES-128-CBC with PKCS#7 padding (NIST SP 800-38A F.2.2 plus a full padding block)', () => {
    const key = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex')
    const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')
    const nistCiphertext = Buffer.from('7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7', 'hex')
    const nistPlaintext = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710'
    // CBC: the padding block (16 x 0x10) is encrypted after XOR with the last ciphertext block.
    const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false)
    const lastBlock = nistCiphertext.subarray(48)
    const paddingBlock = ecb.update(Buffer.from(Buffer.alloc(16, 0x10).map((byte, index) => byte ^ lastBlock[index]!)))
    assert.equal(decryptSecret(key, iv, Buffer.concat([nistCiphertext, paddingBlock])).toString('hex'), nistPlaintext)
    // Bad padding (the wrong key) throws, so the reader falls back rather than return garbage.
    assert.throws(() => decryptSecret(Buffer.alloc(16), iv, Buffer.concat([nistCiphertext, paddingBlock])))
  })
})
