import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {assertWritableConfigDir, readConfig} from '../../src/config.js'

describe('the config dir is checked before a login starts', () => {
  const root = mkdtempSync(join(tmpdir(), 'oauthctl-configdir-'))
  after(() => rmSync(root, {recursive: true, force: true}))

  it('creates a missing dir with mode 0700', async () => {
    const dir = join(root, 'new', 'oauthctl')
    await assertWritableConfigDir(dir)
    assert.equal(statSync(dir).mode & 0o777, 0o700)
  })

  it('a dir that cannot exist is a configuration error (exit 3) naming it', async () => {
    writeFileSync(join(root, 'file'), 'x')
    const dir = join(root, 'file', 'oauthctl')
    await assert.rejects(assertWritableConfigDir(dir), (error: {exitCode?: number; message: string; hint?: string}) => {
      assert.equal(error.exitCode, 3)
      assert.match(error.message, /cannot write oauthctl's state to .*file\/oauthctl \(ENOTDIR\)/)
      assert.match(error.hint ?? '', /OAUTHCTL_CONFIG_DIR/)
      return true
    })
    assert.throws(() => readConfig(dir), (error: {exitCode?: number}) => error.exitCode === 3)
  })
})
