import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {readConfig} from '../../src/config.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {checkProviderEntry} from '../../src/providers/custom.js'
import {listResolvedProviders, resolveProvider} from '../../src/providers/registry.js'

const env = {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'}

const corp = {
  authorizationEndpoint: 'https://id.corp.example/oauth2/authorize',
  tokenEndpoint: 'https://id.corp.example/oauth2/token',
  apiBase: 'https://api.corp.example/v1',
}

describe('custom provider entries in config.json', () => {
  it('accept a minimal custom provider and fill in safe defaults', () => {
    assert.equal(checkProviderEntry('corp', corp), undefined)
    const preset = resolveProvider('corp', {providers: {corp}}, env)
    assert.equal(preset.name, 'corp')
    assert.equal(preset.displayName, 'corp')
    assert.deepEqual(preset.apiOrigins, ['https://api.corp.example'])
    assert.equal(preset.scopeSeparator, ' ')
    assert.equal(preset.clientAuth, 'client_secret_basic')
    assert.equal(preset.clientSecretRequired, false)
    assert.deepEqual(preset.loopback, {host: '127.0.0.1', anyPort: true, path: '/callback'})
    assert.equal(preset.rotatesRefreshTokens, true)
  })

  it('override a built-in preset field by field (nested loopback rules merged)', () => {
    const config = {providers: {linkedin: {clientId: 'my-app', loopback: {host: '127.0.0.1', anyPort: false, defaultPort: 9999, path: '/callback'}}}}
    assert.equal(checkProviderEntry('linkedin', config.providers.linkedin), undefined)
    const preset = resolveProvider('linkedin', config, env)
    assert.equal(preset.clientId, 'my-app')
    assert.equal(preset.loopback.defaultPort, 9999)
    assert.equal(preset.tokenEndpoint, 'https://www.linkedin.com/oauth/v2/accessToken')
    const sources = Object.fromEntries(listResolvedProviders(config, env).map((entry) => [entry.preset.name, entry.source]))
    assert.equal(sources.linkedin, 'override')
    assert.equal(sources.github, 'builtin')
  })

  it('make a named variant of a parameterised preset (`extends` + option values)', () => {
    const config = {providers: {'work-gitlab': {extends: 'gitlab', optionValues: {host: 'git.corp.example'}, clientId: 'abc'}}}
    assert.equal(checkProviderEntry('work-gitlab', config.providers['work-gitlab']), undefined)
    const preset = resolveProvider('work-gitlab', config, env)
    assert.equal(preset.name, 'work-gitlab')
    assert.equal(preset.tokenEndpoint, 'https://git.corp.example/oauth/token')
    assert.equal(preset.supportsDeviceFlow, true)
    assert.equal(resolveProvider('gitlab', config, env).tokenEndpoint, 'https://gitlab.com/oauth/token')
  })

  it('accepts the JWT client authentication methods and clientAssertionAudience', () => {
    for (const clientAuth of ['private_key_jwt', 'client_secret_jwt']) {
      assert.equal(checkProviderEntry('corp', {...corp, clientAuth, clientAssertionAudience: 'token-endpoint'}), undefined)
    }
  })

  it('accepts the mTLS methods and facts (RFC 8705)', () => {
    for (const clientAuth of ['tls_client_auth', 'self_signed_tls_client_auth']) {
      const entry = {...corp, clientAuth, mtlsEndpointAliases: {token_endpoint: 'https://mtls.corp.example/token'}, certificateBoundTokens: true, tokenEndpointAuthMethods: [clientAuth]}
      assert.equal(checkProviderEntry('corp', entry), undefined)
      assert.equal(resolveProvider('corp', {providers: {corp: entry}}, env).mtlsEndpointAliases?.token_endpoint, 'https://mtls.corp.example/token')
    }
  })

  for (const [name, entry, key, why] of [
    ['corp', {...corp, tokenEndpiont: 'https://x'}, 'providers.corp.tokenEndpiont', /not a provider setting/],
    // An alias is an endpoint: https only (loopback http aside), and only the names oauthctl calls.
    ['corp', {...corp, mtlsEndpointAliases: {token_endpoint: 'http://mtls.corp.example/token'}}, 'providers.corp.mtlsEndpointAliases', /https URLs \(plain http only on loopback hosts\) by endpoint name/],
    ['corp', {...corp, mtlsEndpointAliases: {token_endpoint: 'not a url'}}, 'providers.corp.mtlsEndpointAliases', /token_endpoint, revocation_endpoint/],
    ['corp', {...corp, mtlsEndpointAliases: {authorization_endpoint: 'https://mtls.corp.example/auth'}}, 'providers.corp.mtlsEndpointAliases', /endpoint name/],
    ['corp', {...corp, certificateBoundTokens: 'yes'}, 'providers.corp.certificateBoundTokens', /true or false/],
    ['corp', {...corp, tokenEndpoint: 'http://id.corp.example/token'}, 'providers.corp.tokenEndpoint', /https/],
    ['corp', {authorizationEndpoint: corp.authorizationEndpoint, apiBase: corp.apiBase}, 'providers.corp.tokenEndpoint', /custom provider needs it/],
    ['corp', {...corp, scopeSeparator: ';'}, 'providers.corp.scopeSeparator', /" " or ","/],
    // private_key_jwt and client_secret_jwt are methods oauthctl speaks now (RFC 7523); a made-up one is not.
    ['corp', {...corp, clientAuth: 'client_secret_magic'}, 'providers.corp.clientAuth', /"none", .*"private_key_jwt", "client_secret_jwt"/],
    ['corp', {...corp, clientAssertionAudience: 'somewhere'}, 'providers.corp.clientAssertionAudience', /"issuer" or "token-endpoint"/],
    ['corp', {...corp, loopback: {host: '0.0.0.0', anyPort: true, path: '/cb'}}, 'providers.corp.loopback', /127\.0\.0\.1/],
    ['corp', {...corp, defaultScopes: 'openid'}, 'providers.corp.defaultScopes', /array/],
    ['corp', {...corp, extends: 'nope'}, 'providers.corp.extends', /built-in preset/],
    ['Corp', corp, 'providers.Corp', /lower-case/],
    ['corp', 'https://id.corp.example', 'providers.corp', /an object/],
  ] as const) {
    it(`report ${key} (${why.source})`, () => {
      const problem = checkProviderEntry(name, entry)
      assert.equal(problem?.key, key)
      assert.match(problem?.expected ?? '', why)
    })
  }

  it('a hand-edited bad entry fails readConfig with exit 3 naming the file and the key, and the file is left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauthctl-providers-'))
    try {
      const file = join(dir, 'config.json')
      const text = JSON.stringify({providers: {corp: {...corp, apiBase: 'ftp://api.corp.example'}}}, null, 2)
      writeFileSync(file, text)
      assert.throws(
        () => readConfig(dir),
        (error: unknown) =>
          error instanceof OauthctlError &&
          error.exitCode === ExitCode.config &&
          error.message.includes(file) &&
          error.message.includes('"providers.corp.apiBase"'),
      )
      assert.equal(readFileSync(file, 'utf8'), text)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('an unknown provider is exit 3 and lists the known ones, custom ones included', () => {
    assert.throws(
      () => resolveProvider('nope', {providers: {corp}}, env),
      (error: unknown) =>
        error instanceof OauthctlError && error.exitCode === ExitCode.config && /corp/.test(error.hint ?? '') && /github/.test(error.hint ?? ''),
    )
  })
})

describe('saved option values', () => {
  it('a bad hand-edited value names the config key, not a flag', () => {
    assert.throws(
      () => resolveProvider('gitlab', {providers: {gitlab: {optionValues: {host: 'a/b'}}}}, env),
      (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config && /providers\.gitlab\.optionValues\.host in the config file/.test(error.message),
    )
  })
})
