import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {portOfRedirect} from '../../src/login/login-types.js'
import {loginCommand} from '../../src/session/session.js'

describe('the --port of a login is kept with it (LoginRecord.port) and named by the login command in hints', () => {
  it('a fixed port of a browser or paste login is kept; 0 (ephemeral), none, or a device login keeps nothing', () => {
    assert.deepEqual(portOfRedirect({port: 8085}), {port: 8085})
    assert.deepEqual(portOfRedirect({port: 8085, mode: 'browser'}), {port: 8085})
    assert.deepEqual(portOfRedirect({port: 8085, mode: 'paste'}), {port: 8085})
    for (const input of [{port: 0}, {}, {port: 8085, mode: 'device' as const}, {port: 8085, mode: 'client-credentials' as const}]) {
      assert.deepEqual(portOfRedirect(input), {}, JSON.stringify(input))
    }
  })

  it('loginCommand adds --port when the login had one', () => {
    assert.equal(loginCommand({provider: 'linkedin', profile: 'default'}, {port: 18094}), 'oauthctl login linkedin --port 18094')
    assert.equal(loginCommand({provider: 'linkedin', profile: 'work'}, {port: 18094}), 'oauthctl login linkedin --profile work --port 18094')
    assert.equal(loginCommand({provider: 'linkedin', profile: 'default'}, {}), 'oauthctl login linkedin')
  })
})
