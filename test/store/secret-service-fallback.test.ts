// The pure-JS Secret Service reader against fake buses: it answers only plain cases and leaves everything
// else to the native keyring, so behaviour (values, errors, exit codes) never changes.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, afterEach, describe, it} from 'node:test'

import {CredentialStoreError} from '../../src/errors.js'
import {KeyringTokenStore, KeyringUnavailableError, loadNativeKeyring} from '../../src/store/keyring-store.js'
import {readingSecretServiceFirst, readSecretServicePassword} from '../../src/store/secret-service-read.js'
import {fakeKeyring} from './helpers.js'
import {startFakeBus, type FakeBus, type FakeSecretService} from './fake-secret-service.js'

const ITEM = '/org/freedesktop/secrets/collection/login/7'
const OTHER = '/org/freedesktop/secrets/collection/session/1'
const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS
let bus: FakeBus | undefined

afterEach(async () => {
  await bus?.close()
  bus = undefined
  process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress
})

async function readFrom(behaviour: FakeSecretService, timeoutMs = 2000): Promise<string | undefined> {
  bus = await startFakeBus(behaviour)
  return readSecretServicePassword('oauthctl', 'acct', {timeoutMs, env: {DBUS_SESSION_BUS_ADDRESS: bus.address}})
}

describe('the pure-JS Secret Service reader', () => {
  it('reads the one unlocked item that has service and username, over a plain session it closes', async () => {
    assert.equal(await readFrom({unlocked: [ITEM], secrets: {[ITEM]: 'värde ✓ 🔑'}}), 'värde ✓ 🔑')
    assert.deepEqual(bus!.searches, [[['service', 'oauthctl'], ['username', 'acct']]])
    // Close is sent without waiting for a reply; give the fake a moment to read it.
    for (let waited = 0; bus!.calls.length < 5 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(bus!.calls, ['Hello', 'OpenSession', 'SearchItems', 'GetSecrets', 'Close'])
  })

  const fallbacks: [string, FakeSecretService][] = [
    ['no item', {}],
    ['a locked item', {locked: [ITEM]}],
    ['an unlocked and a locked item', {unlocked: [ITEM], locked: [OTHER], secrets: {[ITEM]: 'x'}}],
    ['two unlocked items (ambiguous)', {unlocked: [ITEM, OTHER], secrets: {[ITEM]: 'x', [OTHER]: 'y'}}],
    ['a secret that is not UTF-8', {unlocked: [ITEM], secrets: {[ITEM]: Buffer.from([0xff, 0xfe, 0x41])}}],
    ['OpenSession refused (algorithm not supported)', {unlocked: [ITEM], secrets: {[ITEM]: 'x'}, errorOn: 'OpenSession'}],
    ['a Secret Service that refuses plain sessions', {unlocked: [ITEM], secrets: {[ITEM]: 'x'}, refusePlain: true}],
    ['a Secret with parameters (an encrypted value where a plain one was asked for)', {unlocked: [ITEM], secrets: {[ITEM]: 'x'}, parameters: Buffer.alloc(16, 7)}],
    ['no Secret Service on the bus (SearchItems fails)', {unlocked: [ITEM], secrets: {[ITEM]: 'x'}, errorOn: 'SearchItems'}],
    ['GetSecrets fails (item locked meanwhile)', {unlocked: [ITEM], secrets: {[ITEM]: 'x'}, errorOn: 'GetSecrets'}],
    ['authentication rejected', {auth: 'reject', unlocked: [ITEM], secrets: {[ITEM]: 'x'}}],
  ]
  for (const [name, behaviour] of fallbacks) {
    it(`leaves ${name} to the native keyring (undefined, at once)`, async () => {
      const started = Date.now()
      assert.equal(await readFrom(behaviour), undefined)
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`)
    })
  }

  it('leaves bus addresses it does not speak to the native keyring, without connecting anywhere', async () => {
    for (const address of [undefined, '', 'tcp:host=127.0.0.1,port=1', 'unix:tmpdir=/tmp', 'launchd:env=X', 'unix:path=/a;unix:path=/b', 'unix:path=%zz']) {
      assert.equal(await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 500, env: {DBUS_SESSION_BUS_ADDRESS: address}}), undefined, String(address))
    }
  })

  it('leaves a refused connection to the native keyring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauthctl-no-bus-'))
    after(() => rmSync(dir, {recursive: true, force: true}))
    const started = Date.now()
    assert.equal(await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 2000, env: {DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'none')}`}}), undefined)
    assert.ok(Date.now() - started < 1000)
  })

  it('a Secret Service that never answers is a time-box error, not a hang', async () => {
    bus = await startFakeBus({silentOn: 'GetSecrets', unlocked: [ITEM]})
    const started = Date.now()
    await assert.rejects(readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 300, env: {DBUS_SESSION_BUS_ADDRESS: bus.address}}), /did not answer within 300 ms/)
    assert.ok(Date.now() - started < 1000)
  })
})

describe('keyring reads through the pure-JS reader first', () => {
  it('never loads the native keyring for a read it answers', async () => {
    bus = await startFakeBus({unlocked: [ITEM], secrets: {[ITEM]: JSON.stringify({accessToken: 'at-fake'})}})
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address
    const loads: string[] = []
    const store = new KeyringTokenStore({keyring: readingSecretServiceFirst(async () => (loads.push('native'), fakeKeyring()), {timeoutMs: 2000})})
    assert.deepEqual(await store.get('acct'), {accessToken: 'at-fake'})
    assert.deepEqual(loads, [])
  })

  it('a locked item goes to the native keyring, which reports what it reports today (exit 6)', async () => {
    bus = await startFakeBus({locked: [ITEM]})
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address
    const native = fakeKeyring()
    native.getPassword = async () => {
      throw new Error('Platform failure: the collection is locked')
    }
    const store = new KeyringTokenStore({keyring: readingSecretServiceFirst(async () => native, {timeoutMs: 2000})})
    const error = await store.get('acct').catch((caught: unknown) => caught)
    assert.ok(error instanceof KeyringUnavailableError)
    assert.equal(error.message, 'the OS keyring is locked or unavailable: Platform failure: the collection is locked')
    assert.equal(error.exitCode, new CredentialStoreError('x').exitCode)
  })

  it('a missing item answers null through the native keyring; writes and deletes always go there', async () => {
    bus = await startFakeBus({})
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address
    const native = fakeKeyring()
    const store = new KeyringTokenStore({keyring: readingSecretServiceFirst(async () => native, {timeoutMs: 2000})})
    assert.equal(await store.get('acct'), undefined)
    await store.set('acct', {accessToken: 'at'})
    assert.equal(await store.delete('acct'), true)
    assert.deepEqual(native.calls, ['get oauthctl acct', 'get oauthctl acct', 'set oauthctl acct', 'get oauthctl acct', 'delete oauthctl acct'])
  })

  for (const [name, start] of [
    ['a bus that accepts connections and never answers', startSilentSocket],
    ['a bus address that refuses connections', missingSocket],
  ] as const) {
    it(`${name}: the same error as the native keyring alone, within the time box`, async () => {
      const socket = await start()
      after(socket.close)
      process.env.DBUS_SESSION_BUS_ADDRESS = socket.address
      const timeoutMs = 700
      const nativeOnly = await timed(new KeyringTokenStore({timeoutMs, keyring: () => loadNativeKeyring({timeoutMs})}).get('acct'))
      const readerFirst = await timed(new KeyringTokenStore({timeoutMs, keyring: readingSecretServiceFirst(() => loadNativeKeyring({timeoutMs}), {timeoutMs})}).get('acct'))
      assert.ok(nativeOnly.error instanceof KeyringUnavailableError, String(nativeOnly.error))
      assert.ok(readerFirst.error instanceof KeyringUnavailableError, String(readerFirst.error))
      assert.equal(readerFirst.error.message, nativeOnly.error.message)
      assert.ok(readerFirst.ms < timeoutMs + 500, `took ${readerFirst.ms} ms`)
    })
  }
})

async function timed(promise: Promise<unknown>): Promise<{error: unknown; ms: number}> {
  const started = Date.now()
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  return {error, ms: Date.now() - started}
}

async function startSilentSocket(): Promise<{address: string; close(): Promise<void>}> {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-silent-bus-'))
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(join(dir, 'bus'), resolve))
  return {
    address: `unix:path=${join(dir, 'bus')}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

async function missingSocket(): Promise<{address: string; close(): Promise<void>}> {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-no-bus-'))
  return {address: `unix:path=${join(dir, 'bus')}`, close: async () => rmSync(dir, {recursive: true, force: true})}
}
