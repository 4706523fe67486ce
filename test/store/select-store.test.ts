import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'

import {ConfigError, CredentialStoreError, ExitCode} from '../../src/errors.js'
import {tokenDir} from '../../src/paths.js'
import {FileTokenStore} from '../../src/store/file-store.js'
import {KeyringTokenStore} from '../../src/store/keyring-store.js'
import type {KeyringBackend} from '../../src/store/keyring-store.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'
import {openStoreOfKind, openTokenStore, storeModeFromEnv} from '../../src/store/select-store.js'
import type {OpenTokenStoreOptions} from '../../src/store/select-store.js'
import {failingKeyring, fakeKeyring, hangingKeyring} from './helpers.js'

describe('openTokenStore', () => {
  let configDir: string
  let warnings: string[]
  let loads: number
  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), 'oauthctl-select-'))
    warnings = []
    loads = 0
  })
  afterEach(() => rmSync(configDir, {recursive: true, force: true}))

  const open = (env: NodeJS.ProcessEnv, keyring: KeyringBackend, extra: Partial<OpenTokenStoreOptions> = {}) =>
    openTokenStore({
      configDir,
      env,
      warn: (line) => warnings.push(line),
      keyring: async () => {
        loads++
        return keyring
      },
      ...extra,
    })

  const expectedWarning = (reason: string) =>
    `warning: OS keyring unavailable (${reason}); storing tokens in ${tokenDir(configDir)} (mode 0600). Set OAUTHCTL_STORE=file to silence this.`

  test('OAUTHCTL_STORE=file opens the file store without touching the keyring', async () => {
    const store = await open({OAUTHCTL_STORE: 'file'}, fakeKeyring())
    assert.ok(store instanceof FileTokenStore)
    assert.equal(store.kind, 'file')
    assert.equal(store.location, tokenDir(configDir))
    assert.equal(loads, 0)
    assert.deepEqual(warnings, [])
  })

  for (const env of [{}, {OAUTHCTL_STORE: ''}, {OAUTHCTL_STORE: 'auto'}]) {
    test(`auto (${JSON.stringify(env)}) uses a working keyring, silently`, async () => {
      const keyring = fakeKeyring()
      const store = await open(env, keyring)
      assert.ok(store instanceof KeyringTokenStore)
      assert.equal(store.kind, 'keyring')
      assert.deepEqual(warnings, [])
      assert.equal(keyring.calls.length, 1, 'one cheap probe')
    })
  }

  test('auto falls back to the file store with exactly one warning line when the keyring fails', async () => {
    // Given a keyring that fails like a missing Secret Service
    const store = await open({}, failingKeyring('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set'))
    // Then the file store is used, and the user is told once, on one line
    assert.equal(store.kind, 'file')
    assert.equal(store.location, tokenDir(configDir))
    assert.deepEqual(warnings, [expectedWarning('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set')])
    assert.doesNotMatch(warnings[0]!, /\n/)
    // And the fallback store works
    await store.set('sandbox:default', {accessToken: 'x'})
    assert.deepEqual(await store.get('sandbox:default'), {accessToken: 'x'})
    assert.deepEqual(warnings.length, 1)
  })

  test('auto falls back when the keyring does not answer in time', async () => {
    const started = Date.now()
    const store = await open({}, hangingKeyring(), {keyringTimeoutMs: 150})
    assert.equal(store.kind, 'file')
    assert.ok(Date.now() - started < 1000)
    assert.deepEqual(warnings, [expectedWarning('it did not answer within 0.15 s')])
  })

  test('OAUTHCTL_STORE=keyring with a failing keyring is exit 6, with no fallback and no warning', async () => {
    await assert.rejects(open({OAUTHCTL_STORE: 'keyring'}, failingKeyring('Secret Service: unlock prompt was dismissed')), (error: unknown) => {
      assert.ok(error instanceof CredentialStoreError)
      assert.equal(error.exitCode, ExitCode.store)
      assert.equal(error.message, 'the OS keyring is locked or unavailable: Secret Service: unlock prompt was dismissed')
      assert.match(error.hint ?? '', /OAUTHCTL_STORE=keyring is set/)
      assert.match(error.hint ?? '', /OAUTHCTL_STORE=file/)
      return true
    })
    assert.deepEqual(warnings, [])
    assert.equal(existsSync(tokenDir(configDir)), false)
  })

  test('OAUTHCTL_STORE=keyring with a hanging keyring is exit 6 after the time box', async () => {
    await assert.rejects(open({OAUTHCTL_STORE: 'keyring'}, hangingKeyring(), {keyringTimeoutMs: 100}), {
      exitCode: 6,
      message: /^the OS keyring did not answer within 0\.1 s/,
    })
    assert.deepEqual(warnings, [])
  })

  test('OAUTHCTL_STORE=keyring with a working keyring returns the keyring store', async () => {
    const store = await open({OAUTHCTL_STORE: 'keyring'}, fakeKeyring())
    assert.equal(store.kind, 'keyring')
  })

  for (const value of ['bogus', 'KEYRING', 'files', ' file']) {
    test(`OAUTHCTL_STORE=${JSON.stringify(value)} is a configuration error (exit 3)`, async () => {
      await assert.rejects(open({OAUTHCTL_STORE: value}, fakeKeyring()), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.exitCode, ExitCode.config)
        assert.equal(error.exitCode, 3)
        assert.match(error.message, /OAUTHCTL_STORE/)
        assert.match(error.message, /"keyring", "file" or unset/)
        assert.ok(error.message.includes(JSON.stringify(value)))
        return true
      })
      assert.equal(loads, 0)
    })
  }

  test('preferred wins over OAUTHCTL_STORE', async () => {
    assert.equal((await open({OAUTHCTL_STORE: 'keyring'}, failingKeyring(), {preferred: 'file'})).kind, 'file')
    assert.equal((await open({OAUTHCTL_STORE: 'file'}, fakeKeyring(), {preferred: 'keyring'})).kind, 'keyring')
    assert.ok((await open({}, failingKeyring(), {preferred: 'memory'})) instanceof MemoryTokenStore)
    assert.deepEqual(warnings, [])
  })

  test('preferred keyring does not fall back either', async () => {
    await assert.rejects(open({}, failingKeyring(), {preferred: 'keyring'}), {exitCode: 6, hint: /requested explicitly/})
    assert.deepEqual(warnings, [])
  })
})

describe('openStoreOfKind', () => {
  test('opens the recorded kind without probing', async () => {
    let loads = 0
    const keyring = fakeKeyring()
    const options = {
      configDir: '/nonexistent/oauthctl',
      keyring: async () => {
        loads++
        return keyring
      },
    }
    const store = openStoreOfKind('keyring', options)
    assert.equal(store.kind, 'keyring')
    assert.equal(loads, 0)
    await store.set('sandbox:default', {accessToken: 'x'})
    // The write first reads the entry (to clear chunks of an earlier large record); nothing probes.
    assert.deepEqual(keyring.calls, ['get oauthctl sandbox:default', 'set oauthctl sandbox:default'])

    const file = openStoreOfKind('file', options)
    assert.equal(file.kind, 'file')
    assert.equal(file.location, tokenDir('/nonexistent/oauthctl'))
    assert.equal(openStoreOfKind('memory', options).kind, 'memory')
  })

  test('a keyring store opened by kind reports failures on use (exit 6)', async () => {
    const store = openStoreOfKind('keyring', {configDir: '/x', keyring: failingKeyring(), keyringTimeoutMs: 100})
    await assert.rejects(store.get('sandbox:default'), {exitCode: 6})
  })
})

test('storeModeFromEnv', () => {
  assert.equal(storeModeFromEnv({}), 'auto')
  assert.equal(storeModeFromEnv({OAUTHCTL_STORE: ''}), 'auto')
  assert.equal(storeModeFromEnv({OAUTHCTL_STORE: 'auto'}), 'auto')
  assert.equal(storeModeFromEnv({OAUTHCTL_STORE: 'keyring'}), 'keyring')
  assert.equal(storeModeFromEnv({OAUTHCTL_STORE: 'file'}), 'file')
  assert.throws(() => storeModeFromEnv({OAUTHCTL_STORE: 'memory'}), {exitCode: 3})
})
