import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ConfigData, LoginRecord} from '../../src/config.js'
import {checkTokenText, formatToken} from '../../src/credential-helpers/token-formats.js'
import {OauthctlError} from '../../src/errors.js'
import {portOfRedirect} from '../../src/login/login-types.js'
import {narrowResources} from '../../src/session/resource-refresh.js'
import {hintRecordFor, loginCommand} from '../../src/session/session.js'
import {failedCheckError} from '../../src/session/status-check.js'

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

  // Regression: these hints called loginCommand(target) without the record, so they told the user to log in
  // again WITHOUT --port, which a provider matching one registered redirect URI exactly refuses.
  const record = (provider: string, profile: string, port?: number): LoginRecord => ({
    provider, profile, store: 'file', scopes: ['api'], obtainedAt: 0, hasRefreshToken: true, grant: 'authorization_code', ...(port === undefined ? {} : {port}),
  })
  const hintOf = (run: () => unknown): string => {
    try {
      run()
    } catch (error) {
      assert.ok(error instanceof OauthctlError, String(error))
      return error.hint ?? ''
    }
    assert.fail('no error thrown')
  }

  it('refresh --resource beyond the login names --port in its login hint', () => {
    const target = {provider: 'linkedin', profile: 'work', key: 'linkedin:work'}
    const login = {target, record: {...record('linkedin', 'work', 18094), resources: ['https://a.example/']}}
    assert.equal(
      hintOf(() => narrowResources(login, ['https://b.example/'])),
      'Log in again with the resources you need: oauthctl login linkedin --profile work --port 18094 --resource <uri>',
    )
    const noPort = {target, record: {...record('linkedin', 'work'), resources: ['https://a.example/']}}
    assert.equal(hintOf(() => narrowResources(noPort, ['https://b.example/'])), 'Log in again with the resources you need: oauthctl login linkedin --profile work --resource <uri>')
  })

  it('status --check names --port in the login command of the failed login', () => {
    const config: ConfigData = {logins: {'linkedin:default': record('linkedin', 'default', 18094)}}
    const error = failedCheckError([{provider: 'linkedin', profile: 'default', check: {ok: false, method: 'api', detail: 'HTTP 401'}}], config)
    assert.equal(error?.hint, 'Log in again, e.g.: oauthctl login linkedin --port 18094')
  })

  it('a token that cannot go in a header names the login command with --port', () => {
    assert.equal(hintOf(() => checkTokenText('a b', 'linkedin', loginCommand({provider: 'linkedin', profile: 'default'}, {port: 18094}))), 'Log in again: oauthctl login linkedin --port 18094')
    const relogin = loginCommand({provider: 'linkedin', profile: 'work'}, {port: 18094})
    assert.equal(hintOf(() => formatToken('a\nb', 'header', {provider: 'linkedin', relogin})), 'Log in again: oauthctl login linkedin --profile work --port 18094')
    // A given token (no login) keeps the provider-only hint.
    assert.equal(hintOf(() => formatToken('a\nb', 'header', {provider: 'given'})), 'Log in again: oauthctl login given')
  })

  it('hintRecordFor: the login\'s own record, else the one port all logins of that provider used, else none', () => {
    const logins = (...records: LoginRecord[]): ConfigData => ({logins: Object.fromEntries(records.map((entry) => [`${entry.provider}:${entry.profile}`, entry]))})
    const work = {provider: 'linkedin', profile: 'work'}
    assert.deepEqual(hintRecordFor(logins(record('linkedin', 'work', 18094)), work)?.port, 18094)
    // Its own record wins, even without a port, over the other profiles' port.
    assert.equal(hintRecordFor(logins(record('linkedin', 'work'), record('linkedin', 'default', 18094)), work)?.port, undefined)
    assert.deepEqual(hintRecordFor(logins(record('linkedin', 'default', 18094), record('linkedin', 'team', 18094)), work), {port: 18094})
    for (const config of [
      logins(record('linkedin', 'default', 18094), record('linkedin', 'team', 18095)), // they disagree
      logins(record('linkedin', 'default', 18094), record('linkedin', 'team')), // one had no --port
      logins(record('github', 'default', 18094)), // another provider's port
      {},
    ]) {
      assert.equal(hintRecordFor(config, work), undefined, JSON.stringify(config))
    }
  })
})
