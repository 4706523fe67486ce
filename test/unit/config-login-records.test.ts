import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {readConfig, updateConfig} from '../../src/config.js'

const good = {provider: 'github', profile: 'default', store: 'file', scopes: [], obtainedAt: 1, hasRefreshToken: false, grant: 'import'}

describe('a broken login record in config.json', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-config-records-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const cases: [string, unknown, string][] = [
    ['expiresAt null', {...good, provider: 'sandbox', expiresAt: null}, 'expiresAt" must be a time in milliseconds since 1970'],
    ['expiresAt beyond a Date', {...good, provider: 'sandbox', expiresAt: 1e16}, 'expiresAt" must be a time in milliseconds since 1970'],
    ['obtainedAt a string', {...good, provider: 'sandbox', obtainedAt: 'x'}, 'obtainedAt" must be a time in milliseconds since 1970'],
    ['scopes missing', {...good, provider: 'sandbox', scopes: undefined}, 'scopes" must be an array'],
    ['store unknown', {...good, provider: 'sandbox', store: 'cloud'}, 'store" must be "keyring" or "file"'],
    ['not an object', 'x', '"logins.sandbox:default" must be an object'],
    ['optionValues with a number', {...good, provider: 'sandbox', optionValues: {tenant: 42}}, 'optionValues" must be an object of strings'],
    ['optionValues an array', {...good, provider: 'sandbox', optionValues: ['contoso']}, 'optionValues" must be an object of strings'],
    ['port a string', {...good, provider: 'sandbox', port: '8085; rm -rf ~'}, 'port" must be a TCP port from 1 to 65535'],
    ['port out of range', {...good, provider: 'sandbox', port: 70000}, 'port" must be a TCP port from 1 to 65535'],
    ['port 0', {...good, provider: 'sandbox', port: 0}, 'port" must be a TCP port from 1 to 65535'],
  ]
  for (const [label, record, expected] of cases) {
    it(`${label}: skipped with one warning naming file and key; the other logins are read`, () => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({defaultProvider: 'sandbox', logins: {'sandbox:default': record, 'github:default': good}}))
      const warnings: string[] = []
      const config = readConfig(dir, (line) => warnings.push(line))
      assert.deepEqual(Object.keys(config.logins ?? {}), ['github:default'])
      assert.equal(warnings.length, 1)
      assert.ok(warnings[0].startsWith(`${join(dir, 'config.json')}: login "sandbox:default" is skipped: `), warnings[0])
      assert.ok(warnings[0].includes(expected), warnings[0])
      assert.ok(warnings[0].endsWith('Run `oauthctl login sandbox` to replace it, or remove that key.'), warnings[0])
    })
  }

  it('an update keeps the broken record byte for byte; an update that replaces it fixes it', async () => {
    const broken = {...good, provider: 'sandbox', expiresAt: null}
    writeFileSync(join(dir, 'config.json'), JSON.stringify({logins: {'sandbox:default': broken}}))
    await updateConfig(dir, (config) => {
      config.defaultProvider = 'github'
      config.logins = {...config.logins, 'github:default': good as never}
    })
    const kept = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
    assert.deepEqual(kept.logins['sandbox:default'], broken)
    assert.deepEqual(kept.logins['github:default'], good)

    await updateConfig(dir, (config) => {
      config.logins = {...config.logins, 'sandbox:default': {...good, provider: 'sandbox', expiresAt: 5} as never}
    })
    const warnings: string[] = []
    assert.equal(readConfig(dir, (line) => warnings.push(line)).logins?.['sandbox:default'].expiresAt, 5)
    assert.deepEqual(warnings, [])
  })

  it('anything else that is wrong is still exit 3 (defaultProvider not a string)', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({defaultProvider: 3, logins: {'github:default': good}}))
    assert.throws(() => readConfig(dir), (error: {exitCode?: number}) => error.exitCode === 3)
  })
})
