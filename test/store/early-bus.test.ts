// The session bus opened before the fast path loads (src/store/early-bus.ts) and taken over by the reader
// (src/store/secret-service-bus.ts): the bytes it writes, when it is opened at all, and reads through it
// against the fake bus, including a Secret Service that is not running yet.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {afterEach, describe, it} from 'node:test'

import {authenticationText} from '../../src/store/dbus-auth.js'
import {encodeMethodCall, NO_AUTO_START} from '../../src/store/dbus-message.js'
import {EARLY_CALLS, EARLY_MESSAGES, openEarlySessionBus, wantsEarlyBus} from '../../src/store/early-bus.js'
import {adoptEarlyBus, SECRETS, SESSION_ALGORITHM} from '../../src/store/secret-service-bus.js'
import {readSecretServicePassword} from '../../src/store/secret-service-read.js'
import {startFakeBus, type FakeBus} from './fake-secret-service.js'

const ITEM = '/org/freedesktop/secrets/collection/login/7'
let bus: FakeBus | undefined

afterEach(async () => {
  await bus?.close()
  bus = undefined
})

const waitForCalls = async (count: number) => {
  for (let waited = 0; bus!.calls.length < count && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('the session bus opened early', () => {
  it('writes exactly what the D-Bus encoder makes of Hello and a NO_AUTO_START OpenSession, after EXTERNAL authentication', () => {
    const hello = encodeMethodCall({destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello'}, 1)
    const openSession = encodeMethodCall({...SECRETS, member: 'OpenSession', signature: 'sv', body: [SESSION_ALGORITHM, {signature: 's', value: ''}], flags: NO_AUTO_START}, 2)
    assert.equal(Buffer.from(EARLY_MESSAGES, 'latin1').toString('hex'), Buffer.concat([hello, openSession]).toString('hex'))
    assert.deepEqual(EARLY_CALLS, ['Hello', 'OpenSession'])
    // EXTERNAL's initial response is the uid's ASCII digits in hex (dbus-specification, "AUTH command").
    assert.equal(authenticationText(1000), `\0AUTH EXTERNAL ${Buffer.from('1000').toString('hex')}\r\nBEGIN\r\n`)
    assert.equal(authenticationText(0), '\0AUTH EXTERNAL 30\r\nBEGIN\r\n')
  })

  it('is opened only on Linux, with a session bus, when neither OAUTHCTL_STORE=file nor OAUTHCTL_TOKEN rules the keyring out', () => {
    const address = 'unix:path=/run/user/1000/bus'
    assert.equal(wantsEarlyBus({DBUS_SESSION_BUS_ADDRESS: address}, 'linux'), true)
    assert.equal(wantsEarlyBus({DBUS_SESSION_BUS_ADDRESS: address, OAUTHCTL_STORE: 'keyring'}, 'linux'), true)
    assert.equal(wantsEarlyBus({DBUS_SESSION_BUS_ADDRESS: address, OAUTHCTL_STORE: 'file'}, 'linux'), false)
    assert.equal(wantsEarlyBus({DBUS_SESSION_BUS_ADDRESS: address, OAUTHCTL_TOKEN: 'at'}, 'linux'), false)
    assert.equal(wantsEarlyBus({}, 'linux'), false)
    assert.equal(wantsEarlyBus({DBUS_SESSION_BUS_ADDRESS: address}, 'darwin'), false)
    assert.equal(openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: address, OAUTHCTL_STORE: 'file'}, 1000), undefined)
  })

  it('gives up quietly on an address it does not speak or a socket nobody listens on', () => {
    assert.equal(openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: 'tcp:host=localhost,port=1'}, 1000), undefined)
    assert.equal(openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/oauthctl-test-bus'}, 1000), undefined)
  })

  it('is left alone when the user asked Node for pending deprecations (process.binding would warn)', () => {
    assert.equal(openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus', NODE_PENDING_DEPRECATION: '1'}, 1000), undefined)
    assert.equal(openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus', NODE_OPTIONS: '--max-old-space-size=100 --pending-deprecation'}, 1000), undefined)
  })

  it('carries a read: the reader takes the socket over and sends only SearchItems, GetSecrets and Close', async () => {
    bus = await startFakeBus({unlocked: [ITEM], secrets: {[ITEM]: 'värde ✓'}})
    const early = openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: bus.address}, process.getuid!())
    assert.ok(early, 'opened')
    assert.equal(early.socket.kind, 'descriptor')
    const value = await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 2000, env: {DBUS_SESSION_BUS_ADDRESS: bus.address}, bus: adoptEarlyBus(early)})
    assert.equal(value, 'värde ✓')
    await waitForCalls(5)
    assert.deepEqual(bus.calls, ['Hello', 'OpenSession', 'SearchItems', 'GetSecrets', 'Close'])
    assert.equal(bus.flags[1]! & NO_AUTO_START, NO_AUTO_START, 'the early OpenSession does not start a Secret Service')
  })

  it('asks again, letting the bus start the Secret Service, when none was running (ServiceUnknown)', async () => {
    bus = await startFakeBus({notRunning: true, unlocked: [ITEM], secrets: {[ITEM]: 'started'}})
    const early = openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: bus.address}, process.getuid!())
    assert.ok(early)
    assert.equal(await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 2000, env: {DBUS_SESSION_BUS_ADDRESS: bus.address}, bus: adoptEarlyBus(early)}), 'started')
    await waitForCalls(6)
    assert.deepEqual(bus.calls, ['Hello', 'OpenSession', 'SearchItems', 'OpenSession', 'GetSecrets', 'Close'])
    assert.deepEqual([bus.flags[1]! & NO_AUTO_START, bus.flags[3]! & NO_AUTO_START], [NO_AUTO_START, 0])
  })

  it('a bus that never answers the early OpenSession is the reader\'s time-box error, not a hang', async () => {
    bus = await startFakeBus({silentOn: 'OpenSession', unlocked: [ITEM], secrets: {[ITEM]: 'x'}})
    const early = openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: bus.address}, process.getuid!())
    assert.ok(early)
    const started = Date.now()
    await assert.rejects(
      readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 300, env: {DBUS_SESSION_BUS_ADDRESS: bus.address}, bus: adoptEarlyBus(early)}),
      {name: 'SecretServiceTimeoutError'},
    )
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`)
  })

  it('is closed unused when the reader is given another bus address, which it then opens itself', async () => {
    bus = await startFakeBus({unlocked: [ITEM], secrets: {[ITEM]: 'x'}})
    const other = await startFakeBus({unlocked: [ITEM], secrets: {[ITEM]: 'from the other bus'}})
    try {
      const early = openEarlySessionBus({DBUS_SESSION_BUS_ADDRESS: bus.address}, process.getuid!())
      assert.ok(early)
      const value = await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 2000, env: {DBUS_SESSION_BUS_ADDRESS: other.address}, bus: adoptEarlyBus(early)})
      assert.equal(value, 'from the other bus')
      await waitForCalls(2)
      assert.deepEqual(bus.calls, ['Hello', 'OpenSession'])
    } finally {
      await other.close()
    }
  })

  it('prints no deprecation warning under --pending-deprecation, and still reads (through node:net)', async () => {
    bus = await startFakeBus({unlocked: [ITEM], secrets: {[ITEM]: 'via net'}})
    const script = `
      const {openEarlySessionBus} = await import(${JSON.stringify(new URL('../../src/store/early-bus.ts', import.meta.url).href)})
      const {readSecretServicePassword} = await import(${JSON.stringify(new URL('../../src/store/secret-service-read.ts', import.meta.url).href)})
      const {connectUnixSocket} = await import(${JSON.stringify(new URL('../../src/store/unix-socket.ts', import.meta.url).href)})
      if (openEarlySessionBus() !== undefined) throw new Error('opened early under --pending-deprecation')
      const socket = connectUnixSocket(process.env.DBUS_SESSION_BUS_ADDRESS.slice('unix:path='.length).split(',')[0])
      console.log(socket.kind)
      socket.destroy()
      console.log(await readSecretServicePassword('oauthctl', 'acct', {timeoutMs: 2000}))
    `
    // Asynchronously: the fake bus lives in this process and must answer.
    const child = await new Promise<{status: number | null; stdout: string; stderr: string}>((resolve) => {
      const process_ = spawn(process.execPath, ['--pending-deprecation', '--import', 'tsx', '--input-type=module', '-e', script], {
        env: {...process.env, DBUS_SESSION_BUS_ADDRESS: bus!.address},
        timeout: 20_000,
      })
      let stdout = ''
      let stderr = ''
      process_.stdout.on('data', (chunk) => (stdout += chunk))
      process_.stderr.on('data', (chunk) => (stderr += chunk))
      process_.on('close', (status) => resolve({status, stdout, stderr}))
    })
    assert.equal(child.status, 0, child.stderr)
    assert.equal(child.stdout, 'net\nvia net\n')
    assert.doesNotMatch(child.stderr, /DeprecationWarning|DEP0111/)
  })
})
