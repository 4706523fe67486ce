import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {builtinPresets} from '../../src/providers/presets.js'
import {hintForError, usesPkce} from '../../src/providers/preset.js'
import {authorizationParameters} from '../../src/login/loopback-login.js'

const byName = new Map(builtinPresets({}).map((preset) => [preset.name, preset]))
const get = (name: string) => byName.get(name)!

describe('preset facts from the provider audit', () => {
  it('PKCE is off for standard LinkedIn apps, Strava and Reddit, and the added presets that do not document it; on everywhere else', () => {
    // OAuth 1.0a presets (issue 12) have no PKCE at all: not counted here.
    const off = [...byName.values()].filter((preset) => !preset.oauth1 && !usesPkce(preset)).map((preset) => preset.name)
    assert.deepEqual(off.sort(), ['bitbucket', 'figma', 'hubspot', 'linkedin', 'notion', 'reddit', 'strava', 'twitch'])
    const params = authorizationParameters(get('linkedin'), {redirectUri: 'http://127.0.0.1:8085/callback', scopes: ['openid'], state: 's'})
    assert.equal(params.code_challenge, undefined)
    assert.equal(params.code_challenge_method, undefined)
  })

  it('every preset says when its facts were last checked and against which document', () => {
    for (const preset of byName.values()) {
      assert.match(preset.checked?.date ?? '', /^\d{4}-\d{2}-\d{2}$/, preset.name)
      assert.ok(preset.checked?.source, preset.name)
    }
  })

  it('API headers: LinkedIn-Version (YYYYMM) and Rest.li 2.0; GitHub Accept and X-GitHub-Api-Version', () => {
    assert.match(get('linkedin').apiHeaders?.['LinkedIn-Version'] ?? '', /^20\d{4}$/)
    assert.equal(get('linkedin').apiHeaders?.['X-Restli-Protocol-Version'], '2.0.0')
    assert.deepEqual(get('github').apiHeaders, {Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28'})
  })

  it('known failures have hints: LinkedIn me.GET.NO_VERSION, Microsoft AADSTS7000218 and AADSTS700025', () => {
    assert.match(hintForError(get('linkedin'), '{"message":"Not enough permissions to access: me.GET.NO_VERSION"}') ?? '', /\/v2\/userinfo/)
    assert.match(hintForError(get('microsoft'), 'AADSTS7000218: The request body must contain ... client_assertion') ?? '', /Allow public client flows/)
    assert.match(hintForError(get('microsoft'), 'AADSTS700025: Client is public so neither client_assertion nor client_secret should be presented.') ?? '', /without --client-secret/)
    assert.equal(hintForError(get('microsoft'), 'AADSTS50011: redirect mismatch'), undefined)
  })

  it('rotation: X and Discord rotate; Box any port; X identity under data; Slack ok:false errors', () => {
    assert.equal(get('x').rotatesRefreshTokens, true)
    assert.equal(get('discord').rotatesRefreshTokens, true)
    assert.equal(get('box').loopback.anyPort, true)
    assert.equal(get('x').quirks?.identityPath, 'data')
    assert.equal(get('slack').quirks?.apiErrorsAsOk, true)
  })
})
