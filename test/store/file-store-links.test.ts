import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'

import {CredentialStoreError, ExitCode} from '../../src/errors.js'
import {FileTokenStore} from '../../src/store/file-store.js'
import {mountTinyFs} from '../util/tiny-fs.js'

const modeOf = (path: string) => statSync(path).mode & 0o777

function assertStoreError(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CredentialStoreError, `not a CredentialStoreError: ${(error as Error)?.stack}`)
    assert.equal(error.exitCode, ExitCode.store)
    assert.match(error.message, message)
    return true
  }
}

describe('FileTokenStore never reads or writes through a symbolic link', () => {
  let configDir: string
  let store: FileTokenStore
  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), 'oauthctl-filestore-links-'))
    store = new FileTokenStore({configDir})
  })
  afterEach(() => rmSync(configDir, {recursive: true, force: true}))

  test('a symlinked tokens/ is refused (exit 6) for set, get and delete; its target keeps its mode and gets no file', async () => {
    const target = join(configDir, 'shared')
    mkdirSync(target)
    chmodSync(target, 0o755)
    writeFileSync(join(target, 'sandbox%3Adefault.json'), 'theirs')
    symlinkSync(target, join(configDir, 'tokens'))
    const expected = assertStoreError(/tokens is a symbolic link, and oauthctl does not follow links/)
    await assert.rejects(store.set('sandbox:other', {accessToken: 'secret'}), expected)
    await assert.rejects(store.get('sandbox:default'), expected)
    await assert.rejects(store.delete('sandbox:default'), expected)
    assert.equal(modeOf(target), 0o755)
    assert.deepEqual(readdirSync(target), ['sandbox%3Adefault.json'])
  })

  test('a symlinked token file is refused on read and on write; the file it points to is untouched', async () => {
    await store.set('sandbox:seed', {accessToken: 'seed'})
    const outside = join(configDir, 'outside.json')
    writeFileSync(outside, 'not yours')
    chmodSync(outside, 0o644)
    symlinkSync(outside, store.pathFor('sandbox:default'))
    const expected = assertStoreError(/sandbox%3Adefault\.json is a symbolic link/)
    await assert.rejects(store.get('sandbox:default'), expected)
    await assert.rejects(store.set('sandbox:default', {accessToken: 'secret'}), expected)
    assert.equal(readFileSync(outside, 'utf8'), 'not yours')
    assert.equal(modeOf(outside), 0o644)
  })

  test('a full disk is "the disk is full (ENOSPC)" with exit 6, and the old token stays readable', async () => {
    const fs = mountTinyFs()
    try {
      const onTiny = new FileTokenStore({configDir: fs.root})
      await onTiny.set('sandbox:default', {accessToken: 'old'})
      fs.fill()
      await assert.rejects(
        onTiny.set('sandbox:default', {accessToken: 'new'.repeat(10_000)}),
        assertStoreError(/^cannot write the token file .*sandbox%3Adefault\.json: the disk is full \(ENOSPC\)$/),
      )
      assert.deepEqual(await onTiny.get('sandbox:default'), {accessToken: 'old'})
      assert.equal(existsSync(join(fs.root, 'tokens')), true)
      assert.deepEqual(readdirSync(join(fs.root, 'tokens')), ['sandbox%3Adefault.json'])
    } finally {
      fs.unmount()
    }
  })
})
