import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError} from '../../src/errors.js'
import {checkServerUrl} from '../../src/providers/discovery.js'
import {checkMtlsOffered, mtlsFieldsFrom} from '../../src/providers/mtls-metadata.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {sandboxPreset} from '../../src/providers/presets.js'

const url = (value: unknown, field: string) => (typeof value === 'string' ? checkServerUrl(value, field).href : undefined)

describe('mtlsFieldsFrom: the RFC 8705 facts of server metadata', () => {
  it('keeps the aliases oauthctl calls, the binding flag and the listed methods', () => {
    const fields = mtlsFieldsFrom(
      {
        issuer: 'https://as.example',
        mtls_endpoint_aliases: {token_endpoint: 'https://mtls.as.example/token', backchannel_authentication_endpoint: 'https://mtls.as.example/bc', userinfo_endpoint: 'https://mtls.as.example/me'},
        tls_client_certificate_bound_access_tokens: true,
        token_endpoint_auth_methods_supported: ['tls_client_auth', 42, 'private_key_jwt'],
      } as never,
      url,
    )
    assert.deepEqual(fields, {
      mtlsEndpointAliases: {token_endpoint: 'https://mtls.as.example/token', userinfo_endpoint: 'https://mtls.as.example/me'},
      certificateBoundTokens: true,
      tokenEndpointAuthMethods: ['tls_client_auth', 'private_key_jwt'],
    })
  })

  it('refuses an alias over plain http to a non-loopback host (exit 3), as any endpoint', () => {
    assert.throws(() => mtlsFieldsFrom({issuer: 'https://as.example', mtls_endpoint_aliases: {token_endpoint: 'http://mtls.as.example/token'}} as never, url), ConfigError)
  })

  it('adds nothing for metadata without mTLS facts, and ignores a non-object alias member', () => {
    assert.deepEqual(mtlsFieldsFrom({issuer: 'https://as.example'} as never, url), {})
    assert.deepEqual(mtlsFieldsFrom({issuer: 'https://as.example', mtls_endpoint_aliases: ['https://x.example']} as never, url), {})
  })
})

describe('checkMtlsOffered: exit 3 before any browser when the metadata says no', () => {
  const base: ProviderPreset = {...sandboxPreset({}), name: 'corp', displayName: 'Corp'}
  it('passes a provider without metadata (endpoints by hand): the token endpoint decides', () => {
    assert.doesNotThrow(() => checkMtlsOffered({...base, clientAuth: 'tls_client_auth'}))
  })
  it('refuses an mTLS method the metadata does not list, naming what it lists', () => {
    assert.throws(() => checkMtlsOffered({...base, clientAuth: 'self_signed_tls_client_auth', tokenEndpointAuthMethods: ['tls_client_auth', 'none']}), /does not offer self_signed_tls_client_auth client authentication \(its metadata lists: tls_client_auth, none\)/)
  })
  it('refuses a certificate for a server that does no mTLS at all, accepts one that binds tokens or has aliases', () => {
    const plain = {...base, tokenEndpointAuthMethods: ['none', 'client_secret_basic']}
    assert.throws(() => checkMtlsOffered(plain), /does not do mutual TLS/)
    assert.doesNotThrow(() => checkMtlsOffered({...plain, certificateBoundTokens: true}))
    assert.doesNotThrow(() => checkMtlsOffered({...plain, mtlsEndpointAliases: {token_endpoint: 'https://m.example/token'}}))
    assert.doesNotThrow(() => checkMtlsOffered({...base, clientAuth: 'tls_client_auth', tokenEndpointAuthMethods: ['tls_client_auth']}))
  })
})
