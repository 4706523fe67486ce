import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError, UsageError} from '../../src/errors.js'
import {checkAuthorizationDetails, grantedAuthorizationDetails, parseAuthorizationDetails} from '../../src/login/authorization-details.js'
import {planAuthorizationRequest, withPlanParameters} from '../../src/login/authorization-request.js'
import {authorizationRequestFieldsFrom} from '../../src/providers/authorization-request-metadata.js'
import {checkResources} from '../../src/oauth/resource-indicators.js'
import {narrowResources} from '../../src/session/resource-refresh.js'
import {sandboxPreset} from '../../src/providers/presets.js'
import type {ProviderPreset} from '../../src/providers/preset.js'

const sandbox = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
const bare: ProviderPreset = {...sandbox, parEndpoint: undefined, jarSupported: undefined, jarmSupported: undefined, displayName: 'Bare'}
const target = {provider: 'sandbox', profile: 'default', key: 'sandbox:default'}

describe('planAuthorizationRequest', () => {
  it('nothing asked: no PAR, JAR or JARM', () => {
    assert.deepEqual(planAuthorizationRequest(sandbox, {clientId: 'oauthctl'}), {par: false, jar: undefined, jarm: false, resources: [], authorizationDetails: undefined})
  })
  it('PAR from the flag or from the definition (the server requires it)', () => {
    assert.equal(planAuthorizationRequest(sandbox, {clientId: 'c'}, {par: true}).par, true)
    assert.equal(planAuthorizationRequest({...sandbox, par: true}, {clientId: 'c'}).par, true)
  })
  it('a feature the server lacks is a ConfigError (exit 3)', () => {
    for (const options of [{par: true}, {jar: true}, {jarm: true}]) {
      assert.throws(() => planAuthorizationRequest(bare, {clientId: 'c', clientSecret: 's'}, options), (error: unknown) => error instanceof ConfigError && error.exitCode === 3)
    }
    assert.throws(() => planAuthorizationRequest({...bare, par: true}, {clientId: 'c'}), /offers no pushed authorization requests/)
  })
  it('JAR key: a key file first, then the secret of a confidential client, else exit 3', () => {
    const confidential = {...sandbox, clientAuth: 'client_secret_basic' as const}
    assert.deepEqual(planAuthorizationRequest(confidential, {clientId: 'c', clientSecret: 's'}, {jar: true}).jar, {kind: 'secret', secret: 's'})
    assert.deepEqual(planAuthorizationRequest(confidential, {clientId: 'c', clientSecret: 's'}, {jar: true, jarKey: 'k.pem'}).jar, {kind: 'key', path: 'k.pem'})
    assert.deepEqual(planAuthorizationRequest({...sandbox, jar: true, jarKey: 'def.pem'}, {clientId: 'c'}).jar, {kind: 'key', path: 'def.pem'})
    assert.throws(() => planAuthorizationRequest(sandbox, {clientId: 'c', clientSecret: 's'}, {jar: true}), /authenticates as a public client/)
    assert.throws(() => planAuthorizationRequest(sandbox, {clientId: 'c'}, {jar: true}), /neither a secret nor a key/)
  })
  it('withPlanParameters adds one resource parameter each, the details as JSON and response_mode=jwt', () => {
    const params = withPlanParameters({state: 's'}, {par: false, jarm: true, resources: ['https://a/', 'https://b/'], authorizationDetails: [{type: 't'}]})
    assert.equal(params.toString(), 'state=s&resource=https%3A%2F%2Fa%2F&resource=https%3A%2F%2Fb%2F&authorization_details=%5B%7B%22type%22%3A%22t%22%7D%5D&response_mode=jwt')
  })
})

describe('authorizationRequestFieldsFrom (server metadata)', () => {
  const url = (value: unknown) => (typeof value === 'string' ? value : undefined)
  it('reads the PAR endpoint and requirement, JAR and JARM support', () => {
    assert.deepEqual(
      authorizationRequestFieldsFrom(
        {
          issuer: 'https://id.example',
          pushed_authorization_request_endpoint: 'https://id.example/par',
          require_pushed_authorization_requests: true,
          request_object_signing_alg_values_supported: ['none', 'ES256'],
          require_signed_request_object: true,
          response_modes_supported: ['query', 'jwt'],
        },
        url,
      ),
      {parEndpoint: 'https://id.example/par', par: true, jarSupported: true, jar: true, jarmSupported: true},
    )
  })
  it('a requirement without the feature is not believed; "none" alone is no JAR support', () => {
    assert.deepEqual(
      authorizationRequestFieldsFrom({issuer: 'x', require_pushed_authorization_requests: true, request_object_signing_alg_values_supported: ['none'], require_signed_request_object: true}, url),
      {},
    )
  })
})

describe('parseAuthorizationDetails (hostile input)', () => {
  it('accepts an array of typed objects', () => {
    assert.deepEqual(parseAuthorizationDetails('[{"type":"a","x":{"y":1}}]'), [{type: 'a', x: {y: 1}}])
  })
  it('drops prototype members at every depth without polluting Object.prototype', () => {
    const details = parseAuthorizationDetails('[{"type":"a","nested":{"__proto__":{"polluted":true}},"constructor":{"prototype":{"polluted":true}}}]')
    assert.deepEqual(details, [{type: 'a', nested: {}}])
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })
  for (const bad of ['', 'null', '{}', '[]', '[null]', '[[]]', '[{"type":1}]', '[{"type":""}]', '[{"type":"a"},"b"]']) {
    it(`refuses ${JSON.stringify(bad)} with a UsageError (exit 2)`, () => {
      assert.throws(() => parseAuthorizationDetails(bad), (error: unknown) => error instanceof UsageError && error.exitCode === 2)
    })
  }
  it('refuses more than 16 KiB', () => {
    assert.throws(() => parseAuthorizationDetails(`[{"type":"${'a'.repeat(16_400)}"}]`), /at most 16384/)
  })
  it('granted details from a token response: kept when well formed, dropped (with a note) otherwise', () => {
    assert.deepEqual(grantedAuthorizationDetails([{type: 'a'}]), [{type: 'a'}])
    const notes: string[] = []
    assert.equal(grantedAuthorizationDetails({type: 'a'}, (line) => notes.push(line)), undefined)
    assert.equal(grantedAuthorizationDetails([{type: 'a', pad: 'x'.repeat(20_000)}], (line) => notes.push(line)), undefined)
    assert.equal(notes.length, 2)
    assert.equal(grantedAuthorizationDetails(undefined), undefined)
    assert.throws(() => checkAuthorizationDetails('x', 'label'), /label must be a non-empty JSON array/)
  })
})

describe('resource indicators', () => {
  it('checkResources: absolute URIs without fragments, de-duplicated', () => {
    assert.deepEqual(checkResources(['https://a.example/', 'https://a.example/', 'urn:x:y']), ['https://a.example/', 'urn:x:y'])
    assert.deepEqual(checkResources(undefined), [])
    for (const bad of ['relative/path', 'https://a.example/#f', 'https://a.example/#', `https://a.example/${'x'.repeat(2001)}`]) {
      assert.throws(() => checkResources([bad]), (error: unknown) => error instanceof UsageError)
    }
    assert.throws(() => checkResources(Array.from({length: 21}, (_, i) => `https://r${i}.example/`)), /at most 20/)
  })
  it('narrowResources: a subset of the stored ones, or exit 2', () => {
    const login = (resources: string[] | undefined) => ({target, record: {resources}})
    assert.equal(narrowResources(login(['https://a/']), undefined), undefined)
    assert.deepEqual(narrowResources(login(['https://a/', 'https://b/']), ['https://b/']), ['https://b/'])
    assert.throws(() => narrowResources(login(['https://a/']), ['https://c/']), /can only narrow/)
    assert.throws(() => narrowResources(login(undefined), ['https://c/']), /\(none\)/)
  })
})
