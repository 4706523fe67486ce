import assert from 'node:assert/strict'
import {createHmac, createPublicKey, generateKeyPairSync, verify} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {ConfigError, ExitCode} from '../../src/errors.js'
import {parseClientKey, readClientKeyFile, thumbprintOf} from '../../src/providers/client-key.js'
import {createOAuthConfig} from '../../src/oauth/oauth-client.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {fakePreset} from '../login/helpers.js'

const ORIGIN = 'https://as.example.com'

/** Runs one client credentials grant with a fetch that records the token request and answers a token. */
async function captureTokenRequest(preset: ProviderPreset, credentials: {clientId: string; clientSecret?: string; clientKey?: string}) {
  const seen: {url: string; body: URLSearchParams; headers: Headers}[] = []
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    seen.push({url: String(url), body: new URLSearchParams(String(init?.body)), headers: new Headers(init?.headers)})
    return new Response(JSON.stringify({access_token: 'at-123456', token_type: 'Bearer', expires_in: 60}), {headers: {'content-type': 'application/json'}})
  }) as typeof globalThis.fetch
  const client = await import('openid-client')
  const config = await createOAuthConfig(preset, credentials, {fetch})
  await client.clientCredentialsGrant(config, {scope: 'api'})
  return seen[0]
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
}

function pemOf(type: 'ec' | 'rsa' | 'ed25519'): string {
  const options = type === 'ec' ? {namedCurve: 'P-256'} : type === 'rsa' ? {modulusLength: 2048} : {}
  return generateKeyPairSync(type as 'ec', options as {namedCurve: string}).privateKey.export({format: 'pem', type: 'pkcs8'}) as string
}

describe('private_key_jwt client assertion (RFC 7523 §2.2, §3)', () => {
  it('signs iss = sub = client id, aud = issuer, a 60 s exp, a fresh jti, alg and kid from the key', async () => {
    const pem = pemOf('ec')
    const clientKey = parseClientKey(pem, 'key.pem')
    const preset = fakePreset(ORIGIN, {clientAuth: 'private_key_jwt'})
    const first = await captureTokenRequest(preset, {clientId: 'svc', clientKey})
    const second = await captureTokenRequest(preset, {clientId: 'svc', clientKey})
    assert.equal(first.body.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    assert.equal(first.body.get('client_id'), 'svc')
    assert.equal(first.body.has('client_secret'), false)
    assert.equal(first.headers.get('authorization'), null)
    const [header, payload, signature] = (first.body.get('client_assertion') as string).split('.')
    const claims = decodePart(payload)
    const kid = thumbprintOf(createPublicKey(pem).export({format: 'jwk'}))
    assert.deepEqual(decodePart(header), {alg: 'ES256', kid})
    assert.equal(claims.iss, 'svc')
    assert.equal(claims.sub, 'svc')
    assert.equal(claims.aud, ORIGIN)
    assert.equal((claims.exp as number) - (claims.iat as number), 60)
    assert.ok(Math.abs((claims.iat as number) - Date.now() / 1000) < 5)
    assert.equal(typeof claims.jti, 'string')
    assert.notEqual(claims.jti, decodePart((second.body.get('client_assertion') as string).split('.')[1]).jti)
    const valid = verify('sha256', Buffer.from(`${header}.${payload}`), {key: createPublicKey(pem), dsaEncoding: 'ieee-p1363'}, Buffer.from(signature, 'base64url'))
    assert.equal(valid, true)
  })

  it('aims the assertion at the token endpoint where the preset says so, and when no issuer is known', async () => {
    const clientKey = parseClientKey(pemOf('ec'), 'key.pem')
    for (const preset of [
      fakePreset(ORIGIN, {clientAuth: 'private_key_jwt', clientAssertionAudience: 'token-endpoint'}),
      fakePreset(ORIGIN, {clientAuth: 'private_key_jwt', issuer: undefined}),
    ]) {
      const seen = await captureTokenRequest(preset, {clientId: 'svc', clientKey})
      assert.equal(decodePart((seen.body.get('client_assertion') as string).split('.')[1]).aud, `${ORIGIN}/token`)
    }
  })

  it('names Ed25519 signatures EdDSA, RSA RS256, and keeps PS256 when the JWK says so', async () => {
    const preset = fakePreset(ORIGIN, {clientAuth: 'private_key_jwt'})
    const rsa = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'jwk'})
    const cases: [string, string][] = [
      [parseClientKey(pemOf('ed25519'), 'ed.pem'), 'EdDSA'],
      [parseClientKey(JSON.stringify(rsa), 'rsa.json'), 'RS256'],
      [parseClientKey(JSON.stringify({...rsa, alg: 'PS256', kid: 'mine'}), 'ps.json'), 'PS256'],
    ]
    for (const [clientKey, alg] of cases) {
      const seen = await captureTokenRequest(preset, {clientId: 'svc', clientKey})
      assert.equal(decodePart((seen.body.get('client_assertion') as string).split('.')[0]).alg, alg)
    }
    const ps = decodePart((await captureTokenRequest(preset, {clientId: 'svc', clientKey: cases[2][0]})).body.get('client_assertion')!.split('.')[0])
    assert.equal(ps.kid, 'mine')
  })

  it('without a key is a configuration error (exit 3), before any request', async () => {
    const error = await captureTokenRequest(fakePreset(ORIGIN, {clientAuth: 'private_key_jwt'}), {clientId: 'svc'}).catch((caught: unknown) => caught)
    assert.ok(error instanceof ConfigError)
    assert.equal(error.exitCode, ExitCode.config)
    assert.match(error.message, /needs the private key of svc/)
  })
})

describe('client_secret_jwt client assertion', () => {
  it('is an HS256 JWT over the client secret with the same claims, and the secret is not sent', async () => {
    const secret = 'a-client-secret-of-32-bytes-or-more!!'
    const seen = await captureTokenRequest(fakePreset(ORIGIN, {clientAuth: 'client_secret_jwt'}), {clientId: 'svc', clientSecret: secret})
    assert.equal(seen.body.has('client_secret'), false)
    assert.ok(!seen.body.toString().includes(secret))
    const [header, payload, signature] = (seen.body.get('client_assertion') as string).split('.')
    assert.deepEqual(decodePart(header), {alg: 'HS256'})
    const claims = decodePart(payload)
    assert.deepEqual([claims.iss, claims.sub, claims.aud], ['svc', 'svc', ORIGIN])
    assert.equal(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'), signature)
  })

  it('without a secret is a configuration error (exit 3)', async () => {
    const error = await captureTokenRequest(fakePreset(ORIGIN, {clientAuth: 'client_secret_jwt'}), {clientId: 'svc'}).catch((caught: unknown) => caught)
    assert.ok(error instanceof ConfigError)
    assert.match(error.message, /client secret of svc/)
  })
})

describe('client key files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-client-key-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('reads PEM, a JWK and a one-key JWK Set; kid from the JWK, else the RFC 7638 thumbprint', async () => {
    const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
    const jwk = privateKey.export({format: 'jwk'})
    writeFileSync(join(dir, 'k.pem'), privateKey.export({format: 'pem', type: 'sec1'}))
    writeFileSync(join(dir, 'k.json'), JSON.stringify({...jwk, kid: 'k1'}))
    writeFileSync(join(dir, 'set.json'), JSON.stringify({keys: [{...jwk, kid: 'k2'}]}))
    const fromPem = JSON.parse(await readClientKeyFile(join(dir, 'k.pem')))
    assert.equal(fromPem.kid, thumbprintOf(jwk))
    assert.equal(fromPem.alg, 'ES256')
    assert.equal(fromPem.d, jwk.d)
    assert.equal(JSON.parse(await readClientKeyFile(join(dir, 'k.json'))).kid, 'k1')
    assert.equal(JSON.parse(await readClientKeyFile(join(dir, 'set.json'))).kid, 'k2')
  })

  it('a missing file, a public key, garbage and an unsupported curve are exit 3 naming the file', async () => {
    const {publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
    writeFileSync(join(dir, 'public.pem'), publicKey.export({format: 'pem', type: 'spki'}))
    writeFileSync(join(dir, 'public.json'), JSON.stringify(publicKey.export({format: 'jwk'})))
    writeFileSync(join(dir, 'garbage'), 'not a key')
    writeFileSync(join(dir, 'x25519.pem'), generateKeyPairSync('x25519').privateKey.export({format: 'pem', type: 'pkcs8'}))
    for (const [name, pattern] of [
      ['missing.pem', /cannot read the client key file .*missing\.pem: ENOENT/],
      ['public.pem', /public\.pem holds no private key/],
      ['public.json', /public\.json holds no private key/],
      ['garbage', /garbage holds no private key/],
      ['x25519.pem', /x25519\.pem is of a type oauthctl cannot sign with \(OKP X25519\)/],
    ] as const) {
      const error = await readClientKeyFile(join(dir, name)).catch((caught: unknown) => caught)
      assert.ok(error instanceof ConfigError, name)
      assert.equal(error.exitCode, ExitCode.config)
      assert.match(error.message, pattern)
    }
  })
})

describe('signBearerAssertion (RFC 7523 §2.1, §3)', () => {
  it('signs iss, sub, aud, scope, a 5-minute exp and a jti with the key\'s alg and kid', async () => {
    const {signBearerAssertion} = await import('../../src/login/jwt-bearer.js')
    const pem = pemOf('ec')
    const clientKey = parseClientKey(pem, 'sa.pem')
    const now = Date.UTC(2026, 0, 1)
    const jwt = await signBearerAssertion(clientKey, {iss: 'sa@project.iam', sub: 'alice@example.com', aud: 'https://oauth2.example/token', scope: 'a b', now})
    const [header, payload, signature] = jwt.split('.')
    assert.deepEqual(decodePart(header), {alg: 'ES256', typ: 'JWT', kid: JSON.parse(clientKey).kid})
    const claims = decodePart(payload)
    assert.equal(typeof claims.jti, 'string')
    assert.deepEqual({...claims, jti: undefined}, {scope: 'a b', jti: undefined, iss: 'sa@project.iam', sub: 'alice@example.com', aud: 'https://oauth2.example/token', iat: now / 1000, exp: now / 1000 + 300})
    assert.equal(verify('sha256', Buffer.from(`${header}.${payload}`), {key: createPublicKey(pem), dsaEncoding: 'ieee-p1363'}, Buffer.from(signature, 'base64url')), true)
    const bare = decodePart((await signBearerAssertion(clientKey, {iss: 'i', sub: 's', aud: 'a', now})).split('.')[1])
    assert.equal('scope' in bare, false)
  })
})
