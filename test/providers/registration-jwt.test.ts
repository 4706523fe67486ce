import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {after, describe, it} from 'node:test'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {parseClientKey} from '../../src/providers/client-key.js'
import {clientAuthFor, publicKeyMetadata, registerClient, registrationJwtAuth} from '../../src/providers/registration.js'
import {sendJson, startFake, type FakeServer} from './helpers.js'

/** Every private member a JWK can carry (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

const servers: FakeServer[] = []
after(async () => Promise.all(servers.map((server) => server.close())))

function keyOf(type: 'rsa' | 'ec' | 'ed25519', extra: Record<string, unknown> = {}): string {
  const {privateKey} = type === 'rsa' ? generateKeyPairSync('rsa', {modulusLength: 2048}) : type === 'ec' ? generateKeyPairSync('ec', {namedCurve: 'P-256'}) : generateKeyPairSync('ed25519')
  return parseClientKey(JSON.stringify({...privateKey.export({format: 'jwk'}), ...extra}), 'test')
}

describe('dynamic registration of a private_key_jwt client registers the public key only (RFC 7591 §2)', () => {
  for (const type of ['rsa', 'ec', 'ed25519'] as const) {
    it(`${type}: jwks holds the public key with kid and alg, none of the private members`, async () => {
      const server = await startFake((_request, res) => sendJson(res, 201, {client_id: 'c-jwt', token_endpoint_auth_method: 'private_key_jwt'}))
      servers.push(server)
      const clientKey = keyOf(type)
      const registered = await registerClient({registrationEndpoint: `${server.origin}/register`, jwtAuth: {method: 'private_key_jwt', clientKey}})
      const body = server.requests[0].body
      const sent = JSON.parse(body)
      const privateJwk = JSON.parse(clientKey)
      assert.equal(sent.token_endpoint_auth_method, 'private_key_jwt')
      assert.equal(sent.token_endpoint_auth_signing_alg, privateJwk.alg)
      assert.equal(sent.jwks.keys.length, 1)
      const [registeredKey] = sent.jwks.keys
      for (const member of PRIVATE_MEMBERS) assert.equal(registeredKey[member], undefined, member)
      for (const member of ['d', 'p', 'q'].filter((m) => privateJwk[m])) assert.ok(!body.includes(privateJwk[member]), `the body carries ${member}`)
      assert.equal(registeredKey.kid, privateJwk.kid)
      assert.equal(registeredKey.use, 'sig')
      assert.equal(registeredKey.x ?? registeredKey.n, privateJwk.x ?? privateJwk.n)
      assert.equal(registered.tokenEndpointAuthMethod, 'private_key_jwt')
    })
  }

  it('a key file with extra or private-looking members still registers only the standard public members', () => {
    const clientKey = keyOf('ec', {k: 'c2VjcmV0', note: 'private', oth: [{r: 'x'}]})
    const {jwks} = publicKeyMetadata(clientKey)
    assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
  })

  it('client_secret_jwt asks for HS256 and no jwks', async () => {
    const server = await startFake((_request, res) => sendJson(res, 201, {client_id: 'c-sjwt', client_secret: 'issued', token_endpoint_auth_method: 'client_secret_jwt'}))
    servers.push(server)
    const registered = await registerClient({registrationEndpoint: `${server.origin}/register`, jwtAuth: {method: 'client_secret_jwt'}})
    const sent = JSON.parse(server.requests[0].body)
    assert.equal(sent.token_endpoint_auth_method, 'client_secret_jwt')
    assert.equal(sent.token_endpoint_auth_signing_alg, 'HS256')
    assert.equal(sent.jwks, undefined)
    assert.equal(registered.clientSecret, 'issued')
  })

  it('which flags ask for what; a JWT method the server answers unasked is refused (exit 3)', () => {
    const key = keyOf('ec')
    assert.equal(registrationJwtAuth(undefined, undefined), undefined)
    assert.deepEqual(registrationJwtAuth(undefined, key), {method: 'private_key_jwt', clientKey: key})
    assert.deepEqual(registrationJwtAuth('client_secret_jwt', undefined), {method: 'client_secret_jwt'})
    for (const [method, clientKey] of [['private_key_jwt', undefined], ['client_secret_jwt', key], ['client_secret_basic', undefined], ['none', undefined]] as const) {
      assert.throws(() => registrationJwtAuth(method, clientKey), (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.usage, method)
    }
    assert.equal(clientAuthFor('private_key_jwt', 'private_key_jwt'), 'private_key_jwt')
    assert.throws(() => clientAuthFor('private_key_jwt'), (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config)
    assert.throws(() => clientAuthFor('client_secret_jwt', 'private_key_jwt'), (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config)
  })
})
