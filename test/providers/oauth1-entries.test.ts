import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {checkProviderEntry} from '../../src/providers/custom.js'
import {oauth1Presets} from '../../src/providers/presets-oauth1.js'
import {builtinPresets} from '../../src/providers/presets.js'
import {resolveProvider} from '../../src/providers/registry.js'

const env = {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'}
const oauth1 = {
  requestTokenUrl: 'https://api.example.com/oauth/request_token',
  authorizeUrl: 'https://www.example.com/oauth/authorize',
  accessTokenUrl: 'https://api.example.com/oauth/access_token',
  signatureMethod: 'HMAC-SHA1',
}
const entry = {apiBase: 'https://api.example.com/v1', oauth1}

describe('oauth1 provider definitions (config.json)', () => {
  it('a custom OAuth 1.0a provider needs only the oauth1 block and the API base; endpoints and defaults follow', () => {
    assert.equal(checkProviderEntry('legacy', entry), undefined)
    const preset = resolveProvider('legacy', {providers: {legacy: entry}}, env)
    assert.deepEqual(preset.oauth1, oauth1)
    assert.equal(preset.authorizationEndpoint, oauth1.authorizeUrl)
    assert.equal(preset.tokenEndpoint, oauth1.accessTokenUrl)
    // As for OAuth 2.0 custom clients: the consumer secret is sent when given, not demanded.
    assert.equal(preset.clientSecretRequired, false)
    assert.equal(preset.pkce, 'off')
  })

  it('RSA-SHA1 needs a key file; other methods must not name one', () => {
    const rsa = {...entry, oauth1: {...oauth1, signatureMethod: 'RSA-SHA1', privateKeyFile: '/home/me/key.pem'}}
    assert.equal(checkProviderEntry('legacy', rsa), undefined)
    assert.equal(checkProviderEntry('legacy', {...entry, oauth1: {...oauth1, signatureMethod: 'RSA-SHA1'}})?.key, 'providers.legacy.oauth1')
    assert.equal(checkProviderEntry('legacy', {...entry, oauth1: {...oauth1, privateKeyFile: '/k.pem'}})?.key, 'providers.legacy.oauth1')
  })

  it('refuses hostile or broken oauth1 blocks: plain http off loopback, unknown methods and keys, header-breaking realms', () => {
    const bad = [
      {...oauth1, requestTokenUrl: 'http://api.example.com/oauth/request_token'},
      {...oauth1, accessTokenUrl: 'javascript:alert(1)'},
      {...oauth1, authorizeUrl: undefined},
      {...oauth1, signatureMethod: 'HMAC-SHA256'},
      {...oauth1, signatureMethod: 'hmac-sha1'},
      {...oauth1, revokeUrl: 'ftp://example.com/'},
      {...oauth1, realm: 'a", oauth_token="evil'},
      {...oauth1, realm: 'line\nbreak'},
      {...oauth1, extra: 'x'},
      'HMAC-SHA1',
      [oauth1],
    ]
    for (const block of bad) {
      const problem = checkProviderEntry('legacy', {...entry, oauth1: block})
      assert.equal(problem?.key, 'providers.legacy.oauth1', JSON.stringify(block))
      assert.match(problem?.expected ?? '', /signatureMethod/)
    }
    assert.equal(checkProviderEntry('legacy', {...entry, oauth1: {...oauth1, realm: 'Photos', revokeUrl: 'http://127.0.0.1:9000/revoke'}}), undefined)
  })

  it('a custom provider without oauth1 still needs its OAuth 2.0 endpoints', () => {
    assert.equal(checkProviderEntry('plain', {apiBase: 'https://api.example.com'})?.key, 'providers.plain.authorizationEndpoint')
    assert.equal(checkProviderEntry('legacy', {oauth1})?.key, 'providers.legacy.apiBase')
  })

  it('every OAuth 1.0a preset is well formed: https endpoints, a checked source, listing endpoints matching its oauth1 block', () => {
    const names = oauth1Presets.map((preset) => preset.name)
    assert.deepEqual(names, ['trello', 'flickr', 'tumblr', 'discogs', 'x-oauth1'])
    for (const preset of oauth1Presets) {
      const {name, oauth1: def} = preset
      assert.ok(def, name)
      assert.equal(checkProviderEntry(`${name}-copy`, {apiBase: preset.apiBase, oauth1: def}), undefined, name)
      assert.equal(preset.authorizationEndpoint, def.authorizeUrl, name)
      assert.equal(preset.tokenEndpoint, def.accessTokenUrl, name)
      assert.match(preset.checked?.source ?? '', /^https:\/\//, name)
      assert.equal(preset.checked?.date, '2026-12-03', name)
      assert.ok(preset.apiOrigins.includes(new URL(preset.apiBase).origin), name)
    }
    const sandbox = builtinPresets(env).find((preset) => preset.name === 'sandbox-1a')
    assert.equal(sandbox?.oauth1?.requestTokenUrl, 'http://127.0.0.1:9000/oauth1/request_token')
    assert.equal(sandbox?.clientSecretRequired, false)
  })
})
