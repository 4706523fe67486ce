import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'

import {CredentialStoreError, ExitCode} from '../../src/errors.js'
import {tokenDir} from '../../src/paths.js'
import {encodeKeyAsFileName, FileTokenStore} from '../../src/store/file-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'

const posix = process.platform !== 'win32'
const modeOf = (path: string) => statSync(path).mode & 0o777

const secrets: TokenSecrets = {
  accessToken: 'at-123',
  refreshToken: 'rt-456',
  idToken: 'id.token.sig',
  expiresAt: 1_700_000_000_000,
  tokenType: 'Bearer',
}

describe('FileTokenStore', () => {
  let configDir: string
  let store: FileTokenStore
  let previousUmask: number
  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), 'oauthctl-filestore-'))
    store = new FileTokenStore({configDir})
    previousUmask = process.umask(0o000)
  })
  afterEach(() => {
    process.umask(previousUmask)
    rmSync(configDir, {recursive: true, force: true})
  })

  test('is a file store located in the token directory', () => {
    assert.equal(store.kind, 'file')
    assert.equal(store.location, tokenDir(configDir))
  })

  test('round-trips a record, then deletes it', async () => {
    // Given nothing stored
    assert.equal(await store.get('sandbox:default'), undefined)
    // When a record is written
    await store.set('sandbox:default', secrets)
    // Then it reads back equal, and deleting reports true once
    assert.deepEqual(await store.get('sandbox:default'), secrets)
    assert.equal(await store.delete('sandbox:default'), true)
    assert.equal(await store.get('sandbox:default'), undefined)
    assert.equal(await store.delete('sandbox:default'), false)
  })

  test('delete of a key that never existed (and of a missing directory) returns false', async () => {
    assert.equal(await store.delete('nobody:home'), false)
  })

  test('overwrites a record completely and leaves no temp files', async () => {
    await store.set('sandbox:default', secrets)
    await store.set('sandbox:default', {accessToken: 'only-this'})
    assert.deepEqual(await store.get('sandbox:default'), {accessToken: 'only-this'})
    assert.deepEqual(readdirSync(store.location), [encodeKeyAsFileName('sandbox:default')])
  })

  test('keeps different keys apart', async () => {
    await store.set('sandbox:default', secrets)
    await store.set('sandbox:work', {accessToken: 'other'})
    assert.deepEqual(await store.get('sandbox:default'), secrets)
    assert.deepEqual(await store.get('sandbox:work'), {accessToken: 'other'})
  })

  test('creates the directory 0700 and the files 0600, even with umask 000', {skip: !posix && 'POSIX modes only'}, async () => {
    await store.set('sandbox:default', secrets)
    assert.equal(modeOf(store.location), 0o700)
    assert.equal(modeOf(store.pathFor('sandbox:default')), 0o600)
  })

  test('tightens a token directory that was left group/world readable', {skip: !posix && 'POSIX modes only'}, async () => {
    mkdirSync(store.location, {recursive: true})
    chmodSync(store.location, 0o755)
    await store.set('sandbox:default', secrets)
    assert.equal(modeOf(store.location), 0o700)
  })

  test('reports a corrupt file as a credential store error (exit 6) naming the file, and keeps it', async () => {
    // Given a token file whose JSON was cut short
    await store.set('sandbox:default', secrets)
    const path = store.pathFor('sandbox:default')
    const damaged = '{"version":1,"key":"sandbox:default","secrets":{"accessToken":"SECRET-leak-check'
    writeFileSync(path, damaged)
    // When it is read, then
    await assert.rejects(store.get('sandbox:default'), (error: unknown) => {
      assert.ok(error instanceof CredentialStoreError)
      assert.equal(error.exitCode, ExitCode.store)
      assert.equal(error.exitCode, 6)
      assert.ok(error.message.includes(path), error.message)
      assert.ok(!error.message.includes('SECRET-leak-check'), 'the message must not quote the secrets')
      assert.ok(error.hint)
      return true
    })
    // And the file is still there, untouched
    assert.equal(readFileSync(path, 'utf8'), damaged)
  })

  for (const [name, contents] of [
    ['empty', ''],
    ['not an object', '"just a string"'],
    ['unknown version', JSON.stringify({version: 99, key: 'sandbox:default', secrets})],
    ['another key', JSON.stringify({version: 1, key: 'sandbox:other', secrets})],
    ['missing accessToken', JSON.stringify({version: 1, key: 'sandbox:default', secrets: {refreshToken: 'x'}})],
    ['expiresAt of the wrong type', JSON.stringify({version: 1, key: 'sandbox:default', secrets: {accessToken: 'x', expiresAt: 'soon'}})],
  ] as const) {
    test(`treats a file that is ${name} as corrupt`, async () => {
      mkdirSync(store.location, {recursive: true})
      const path = store.pathFor('sandbox:default')
      writeFileSync(path, contents)
      await assert.rejects(store.get('sandbox:default'), {name: 'CredentialStoreError', exitCode: 6, code: 'token_file_corrupt'})
      assert.equal(readFileSync(path, 'utf8'), contents)
    })
  }

  test('any printable key maps to a distinct file inside the token directory', async () => {
    const keys = [
      'sandbox:default',
      'Sandbox:default',
      'SANDBOX:DEFAULT',
      '../../etc/passwd',
      'a/b\\c',
      'con',
      'NUL',
      '.',
      '..',
      '%41',
      'A',
      'a',
      'ünïcødé:😀',
      'spaces and "quotes" and *?<>|',
      'x'.repeat(500),
      'x'.repeat(499) + 'y',
    ]
    for (const [i, key] of keys.entries()) await store.set(key, {accessToken: `token-${i}`})
    for (const [i, key] of keys.entries()) assert.deepEqual(await store.get(key), {accessToken: `token-${i}`}, key)
    const names = readdirSync(store.location)
    assert.equal(names.length, keys.length)
    // Distinct even when compared case-insensitively (macOS and Windows file systems).
    assert.equal(new Set(names.map((name) => name.toLowerCase())).size, keys.length)
    for (const name of names) {
      assert.match(name, /^[a-z0-9_%~-]+\.json$/i)
      assert.ok(Buffer.byteLength(name) <= 255)
      assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)\./i)
    }
  })

  test('encodes the usual key readably', () => {
    assert.equal(encodeKeyAsFileName('sandbox:default'), 'sandbox%3Adefault.json')
    assert.equal(encodeKeyAsFileName('github:Work'), 'github%3A%57ork.json')
  })
})
