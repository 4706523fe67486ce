// KeyringTokenStore against the real OS keyring. On Linux that needs a D-Bus session with a Secret Service
// (gnome-keyring); see the command in the report / CI script. Without one these tests are skipped with a
// reason, except under CI=true, where a missing keyring is a failure rather than a silent pass.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import type {TestContext} from 'node:test'

import {KeyringTokenStore} from '../../src/store/keyring-store.js'
import {openTokenStore} from '../../src/store/select-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'
import {runFixture} from './helpers.js'

const unavailable: string | undefined = await new KeyringTokenStore({timeoutMs: 10_000}).probe().then(
  () => undefined,
  (error: Error) => error.message,
)

/** Skips (locally) or fails (CI=true) when there is no keyring; true when the test should go on. */
function requireKeyring(t: TestContext): boolean {
  if (!unavailable) return true
  const reason = `no usable OS keyring (${unavailable}); run inside dbus-run-session with gnome-keyring unlocked`
  if (process.env.CI === 'true') assert.fail(`CI=true requires a real keyring: ${reason}`)
  t.skip(reason)
  return false
}

// Unique per run, so parallel runs and leftovers from a crashed run never collide.
const prefix = `oauthctl-test-${process.pid}-${randomBytes(4).toString('hex')}`
const store = new KeyringTokenStore({timeoutMs: 10_000})
const used = new Set<string>()
const keyFor = (name: string) => {
  const key = `${prefix}:${name}`
  used.add(key)
  return key
}

after(async () => {
  if (unavailable) return
  for (const key of used) await store.delete(key).catch(() => {})
})

const secrets: TokenSecrets = {
  accessToken: 'at-real-keyring',
  refreshToken: 'rt-real-keyring',
  idToken: `eyJ.${'x'.repeat(1500)}.sig`,
  expiresAt: 1_700_000_000_000,
  tokenType: 'Bearer',
  clientSecret: 'cs',
}

describe('KeyringTokenStore against the real OS keyring', () => {
  test('set, get and delete round-trip a TokenSecrets record', async (t) => {
    if (!requireKeyring(t)) return
    const key = keyFor('default')
    assert.equal(await store.get(key), undefined)
    await store.set(key, secrets)
    assert.deepEqual(await store.get(key), secrets)
    // A second store instance (a later command) reads the same entry.
    assert.deepEqual(await new KeyringTokenStore().get(key), secrets)
    assert.equal(await store.delete(key), true)
    assert.equal(await store.get(key), undefined)
  })

  test('set replaces the whole record', async (t) => {
    if (!requireKeyring(t)) return
    const key = keyFor('replace')
    await store.set(key, secrets)
    await store.set(key, {accessToken: 'only'})
    assert.deepEqual(await store.get(key), {accessToken: 'only'})
    await store.delete(key)
  })

  test('delete of a missing key returns false', async (t) => {
    if (!requireKeyring(t)) return
    assert.equal(await store.delete(keyFor('never-written')), false)
  })

  test('values of different keys are not mixed', async (t) => {
    if (!requireKeyring(t)) return
    const [a, b, c] = [keyFor('a'), keyFor('b'), keyFor('ü/ç "quoted"')]
    await store.set(a, {accessToken: 'token-a'})
    await store.set(b, {accessToken: 'token-b', refreshToken: 'refresh-b'})
    await store.set(c, {accessToken: 'token-c'})
    assert.deepEqual(await store.get(a), {accessToken: 'token-a'})
    assert.deepEqual(await store.get(b), {accessToken: 'token-b', refreshToken: 'refresh-b'})
    assert.deepEqual(await store.get(c), {accessToken: 'token-c'})
    assert.equal(await store.delete(a), true)
    assert.deepEqual(await store.get(b), {accessToken: 'token-b', refreshToken: 'refresh-b'})
    assert.equal(await store.get(`${prefix}:A`), undefined)
    await store.delete(b)
    await store.delete(c)
  })

  test('openTokenStore in auto mode picks the keyring, without a warning', async (t) => {
    if (!requireKeyring(t)) return
    const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-keyring-'))
    try {
      const warnings: string[] = []
      const opened = await openTokenStore({configDir, env: {}, warn: (line) => warnings.push(line)})
      assert.equal(opened.kind, 'keyring')
      assert.deepEqual(warnings, [])
    } finally {
      rmSync(configDir, {recursive: true, force: true})
    }
  })

  test('a separate process (as the CLI runs) picks the keyring in auto mode and round-trips', async (t) => {
    if (!requireKeyring(t)) return
    const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-keyring-'))
    try {
      const env = {...process.env}
      delete env.OAUTHCTL_STORE
      delete env.NODE_TEST_CONTEXT
      const result = await runFixture('./fixtures/open-store.ts', [configDir, '10000', 'roundtrip'], env)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      const output = JSON.parse(result.stdout)
      assert.equal(output.kind, 'keyring')
      assert.deepEqual(output.roundTrip, {accessToken: 'fixture-token'})
    } finally {
      rmSync(configDir, {recursive: true, force: true})
    }
  })
})
