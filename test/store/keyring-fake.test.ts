// KeyringTokenStore against fake backends: time boxing, error mapping, value validation, lazy loading.
// The same store against a real Secret Service is in keyring-store.test.ts.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import type {Server, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {CredentialStoreError, ExitCode} from '../../src/errors.js'
import {DEFAULT_KEYRING_TIMEOUT_MS, KeyringTokenStore, KeyringUnavailableError, PROBE_ACCOUNT} from '../../src/store/keyring-store.js'
import {KEYRING_SERVICE} from '../../src/store/token-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'
import {failingKeyring, fakeKeyring, hangingKeyring, isolatedEnv, runFixture} from './helpers.js'

const secrets: TokenSecrets = {accessToken: 'at', refreshToken: 'rt', expiresAt: 1_700_000_000_000, tokenType: 'Bearer'}

describe('KeyringTokenStore with a fake keyring', () => {
  test('stores one JSON value per key under the oauthctl service', async () => {
    const keyring = fakeKeyring()
    const store = new KeyringTokenStore({keyring})
    assert.equal(store.kind, 'keyring')
    assert.equal(store.location, `OS keyring (service ${KEYRING_SERVICE})`)
    await store.set('sandbox:default', secrets)
    assert.deepEqual(JSON.parse(keyring.entries.get(`${KEYRING_SERVICE}/sandbox:default`)!), secrets)
    assert.deepEqual(await store.get('sandbox:default'), secrets)
    assert.equal(await store.get('sandbox:other'), undefined)
    assert.equal(await store.delete('sandbox:default'), true)
    assert.equal(await store.delete('sandbox:default'), false)
  })

  test('the probe reads a probe account and writes nothing', async () => {
    const keyring = fakeKeyring()
    await new KeyringTokenStore({keyring}).probe()
    assert.deepEqual(keyring.calls, [`get ${KEYRING_SERVICE} ${PROBE_ACCOUNT}`])
    assert.equal(keyring.entries.size, 0)
  })

  test('the default time box is 3 s', () => {
    assert.equal(new KeyringTokenStore({keyring: fakeKeyring()}).timeoutMs, DEFAULT_KEYRING_TIMEOUT_MS)
    assert.equal(DEFAULT_KEYRING_TIMEOUT_MS, 3000)
  })

  for (const operation of ['get', 'set', 'delete', 'probe'] as const) {
    test(`${operation}: a keyring that never answers fails with exit 6 within the time box`, async () => {
      const store = new KeyringTokenStore({keyring: hangingKeyring(), timeoutMs: 200})
      const started = Date.now()
      const call =
        operation === 'set' ? store.set('sandbox:default', secrets) : operation === 'probe' ? store.probe() : store[operation]('sandbox:default')
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof KeyringUnavailableError)
        assert.ok(error instanceof CredentialStoreError)
        assert.equal(error.exitCode, ExitCode.store)
        assert.match(error.message, /^the OS keyring did not answer within 0\.2 s/)
        assert.equal(error.reason, 'it did not answer within 0.2 s')
        assert.match(error.hint ?? '', /OAUTHCTL_STORE=file/)
        return true
      })
      const elapsed = Date.now() - started
      assert.ok(elapsed >= 190 && elapsed < 1000, `took ${elapsed} ms`)
    })
  }

  test('a loader that never finishes is time-boxed too', async () => {
    const store = new KeyringTokenStore({keyring: () => new Promise(() => {}), timeoutMs: 100})
    await assert.rejects(store.get('k'), {name: 'KeyringUnavailableError', exitCode: 6})
  })

  test('a keyring error becomes "locked or unavailable" with the reason on one line', async () => {
    const store = new KeyringTokenStore({keyring: failingKeyring('Secret Service: unlock prompt\nwas dismissed')})
    await assert.rejects(store.get('sandbox:default'), (error: unknown) => {
      assert.ok(error instanceof KeyringUnavailableError)
      assert.equal(error.exitCode, 6)
      assert.equal(error.message, 'the OS keyring is locked or unavailable: Secret Service: unlock prompt was dismissed')
      assert.equal(error.reason, 'Secret Service: unlock prompt was dismissed')
      assert.match(error.hint ?? '', /OAUTHCTL_STORE=file/)
      return true
    })
  })

  test('a loader that fails (native module missing) is reported, and retried on the next call', async () => {
    let attempts = 0
    const store = new KeyringTokenStore({
      keyring: async () => {
        attempts++
        if (attempts === 1) throw new Error('cannot load @napi-rs/keyring (no prebuilt binary)')
        return fakeKeyring()
      },
    })
    await assert.rejects(store.get('k'), {message: /locked or unavailable: cannot load @napi-rs\/keyring/})
    assert.equal(await store.get('k'), undefined)
    assert.equal(attempts, 2)
  })

  test('the keyring is not loaded before the first call, and only once', async () => {
    let loads = 0
    const keyring = fakeKeyring()
    const store = new KeyringTokenStore({
      keyring: async () => {
        loads++
        return keyring
      },
    })
    assert.equal(loads, 0)
    await Promise.all([store.get('a'), store.get('b'), store.set('c', secrets)])
    assert.equal(loads, 1)
  })

  for (const [name, value] of [
    ['not JSON', 'SECRET-not-json{'],
    ['JSON without accessToken', JSON.stringify({refreshToken: 'SECRET-rt'})],
    ['a JSON array', '["SECRET"]'],
  ] as const) {
    test(`a stored value that is ${name} is a credential store error that does not echo it`, async () => {
      const store = new KeyringTokenStore({keyring: fakeKeyring({[`${KEYRING_SERVICE}/sandbox:default`]: value})})
      await assert.rejects(store.get('sandbox:default'), (error: unknown) => {
        assert.ok(error instanceof CredentialStoreError)
        assert.equal(error.exitCode, 6)
        assert.equal(error.code, 'keyring_entry_corrupt')
        assert.match(error.message, /sandbox:default/)
        assert.doesNotMatch(error.message, /SECRET/)
        return true
      })
    })
  }
})

describe('the native keyring without a usable D-Bus session (child processes)', {skip: process.platform !== 'linux' && 'Linux only'}, () => {
  let dir: string
  let blackhole: Server
  let blackholePath: string
  const sockets = new Set<Socket>()
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-nobus-'))
    // A socket that accepts connections and never says a word: a wedged dbus-daemon. The native binding
    // connects synchronously, so without the JavaScript pre-flight this would hang the process for good.
    blackholePath = join(dir, 'wedged-bus')
    blackhole = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => blackhole.listen(blackholePath, resolve))
  })
  after(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => blackhole.close(resolve))
    rmSync(dir, {recursive: true, force: true})
  })

  test('no DBUS_SESSION_BUS_ADDRESS: auto falls back to the file store with one warning', async () => {
    const result = await runFixture('./fixtures/open-store.ts', [join(dir, 'a')], isolatedEnv({XDG_RUNTIME_DIR: join(dir, 'no-runtime')}))
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).kind, 'file')
    assert.equal(
      result.stderr,
      `warning: OS keyring unavailable (no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set); storing tokens in ${join(dir, 'a', 'tokens')} (mode 0600). Set OAUTHCTL_STORE=file to silence this.\n`,
    )
  })

  test('a bus address that does not exist: auto falls back with one warning', async () => {
    const result = await runFixture('./fixtures/open-store.ts', [join(dir, 'b')], isolatedEnv({DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'nothing-here')}`}))
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).kind, 'file')
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 1)
    assert.match(result.stderr, /^warning: OS keyring unavailable \(cannot connect to the D-Bus session bus at unix:path=.*: ENOENT\); storing tokens in /)
  })

  test('a bus that never answers: OAUTHCTL_STORE=keyring fails with exit 6 within the time box, and the process exits', async () => {
    const env = isolatedEnv({DBUS_SESSION_BUS_ADDRESS: `unix:path=${blackholePath}`, OAUTHCTL_STORE: 'keyring'})
    const result = await runFixture('./fixtures/open-store.ts', [join(dir, 'c'), '500'], env, 15_000)
    assert.equal(result.signal, null, 'the child hung and had to be killed')
    assert.equal(result.code, 6, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^error: the OS keyring did not answer within 0\.5 s \(probing "oauthctl-probe"\)\n/)
    assert.ok(result.elapsedMs < 5000, `took ${result.elapsedMs} ms`)
    assert.match(result.stderr, /OAUTHCTL_STORE=file/)
  })

  test('a bus that never answers: auto falls back after the time box', async () => {
    const env = isolatedEnv({DBUS_SESSION_BUS_ADDRESS: `unix:path=${blackholePath}`})
    const result = await runFixture('./fixtures/open-store.ts', [join(dir, 'd'), '500'], env, 15_000)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).kind, 'file')
    assert.equal(
      result.stderr,
      `warning: OS keyring unavailable (it did not answer within 0.5 s); storing tokens in ${join(dir, 'd', 'tokens')} (mode 0600). Set OAUTHCTL_STORE=file to silence this.\n`,
    )
  })

  test('OAUTHCTL_STORE=file never loads the native keyring', async () => {
    const result = await runFixture('./fixtures/open-store.ts', [join(dir, 'e')], isolatedEnv({OAUTHCTL_STORE: 'file'}))
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {kind: 'file', location: join(dir, 'e', 'tokens'), nativeLoaded: false})
    assert.equal(result.stderr, '')
  })
})
