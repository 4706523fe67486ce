import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {describe, it} from 'node:test'
import * as client from 'openid-client'
import {jwtVerify} from 'jose'
import {ConfigError} from '../../src/errors.js'
import {algorithmForKey, signRequestObject} from '../../src/login/request-object.js'

describe('request objects (RFC 9101)', () => {
  it('algorithmForKey: RS256, ES256/384/512 by curve, Ed25519; other keys are exit 3', () => {
    assert.equal(algorithmForKey(generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey, 'k'), 'RS256')
    assert.equal(algorithmForKey(generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey, 'k'), 'ES256')
    assert.equal(algorithmForKey(generateKeyPairSync('ec', {namedCurve: 'P-384'}).privateKey, 'k'), 'ES384')
    assert.equal(algorithmForKey(generateKeyPairSync('ed25519').privateKey, 'k'), 'Ed25519')
    assert.throws(() => algorithmForKey(generateKeyPairSync('x25519').privateKey, 'k.pem'), (error: unknown) => error instanceof ConfigError && /x25519 key/.test(error.message))
    assert.throws(() => algorithmForKey(generateKeyPairSync('ec', {namedCurve: 'secp256k1'}).privateKey, 'k.pem'), ConfigError)
  })

  it('HS256 with the client secret: typ, iss, aud, client_id, a short exp, resources as an array, details as JSON', async () => {
    const config = new client.Configuration({issuer: 'https://as.example', authorization_endpoint: 'https://as.example/auth'}, 'cid', {}, client.None())
    const params = new URLSearchParams({state: 's', scope: 'openid'})
    params.append('resource', 'https://a.example/')
    params.append('resource', 'https://b.example/')
    params.set('authorization_details', '[{"type":"t"}]')
    const signed = await signRequestObject(client, config, params, {kind: 'secret', secret: 'a-secret-of-32-bytes-or-more-xxxxxxx'})
    assert.deepEqual([...signed.keys()], ['client_id', 'request'])
    assert.equal(signed.get('client_id'), 'cid')
    const {payload, protectedHeader} = await jwtVerify(signed.get('request') as string, new TextEncoder().encode('a-secret-of-32-bytes-or-more-xxxxxxx'), {
      issuer: 'cid',
      audience: 'https://as.example',
    })
    assert.deepEqual(protectedHeader, {alg: 'HS256', typ: 'oauth-authz-req+jwt'})
    assert.equal(payload.client_id, 'cid')
    assert.equal(payload.state, 's')
    assert.deepEqual(payload.resource, ['https://a.example/', 'https://b.example/'])
    assert.deepEqual(payload.authorization_details, [{type: 't'}])
    assert.equal((payload.exp as number) - (payload.iat as number), 60)
    assert.equal(typeof payload.jti, 'string')
  })
})
