// The pure-JS Secret Service reader against the real gnome-keyring that scripts/test.mjs starts: whatever
// @napi-rs/keyring writes reads back byte-identical, without loading the addon for the read.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, describe, it} from 'node:test'
import type {TestContext} from 'node:test'

import {KEYRING_SERVICE} from '../../src/store/token-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'
import {KeyringTokenStore, loadNativeKeyring, MAX_ENTRY_CHARS} from '../../src/store/keyring-store.js'
import type {KeyringBackend} from '../../src/store/keyring-store.js'
import {readingSecretServiceFirst, readSecretServicePassword} from '../../src/store/secret-service-read.js'

const haveSecretService = process.env.OAUTHCTL_TEST_KEYRING_SESSION === '1' && Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)

/** Skips (locally) or fails (CI=true) without the private gnome-keyring session of scripts/test.mjs. */
function requireKeyring(t: TestContext): boolean {
  if (haveSecretService) return true
  if (process.env.CI === 'true') assert.fail('CI=true requires a real keyring (run through scripts/test.mjs)')
  t.skip('no Secret Service session (run through scripts/test.mjs with gnome-keyring installed)')
  return false
}

const prefix = `oauthctl-ssr-${process.pid}-${randomBytes(4).toString('hex')}`
const written = new Set<string>()
let native: KeyringBackend | undefined
const nativeKeyring = async () => (native ??= await loadNativeKeyring({timeoutMs: 10_000}))

after(async () => {
  if (!native) return
  for (const account of written) await native.deletePassword(KEYRING_SERVICE, account).catch(() => {})
})

/** A backend whose native side fails the test if it is ever loaded. */
const readerOnly = () =>
  readingSecretServiceFirst(async () => assert.fail('the native keyring was loaded for a read the reader should answer'), {timeoutMs: 10_000})

describe('the pure-JS reader reads what @napi-rs/keyring wrote (real gnome-keyring)', () => {
  const values: [string, string][] = [
    ['ASCII', 'at-0123456789'],
    ['non-ASCII (Latin, CJK, emoji, combining marks)', 'héllo wörld ✓ 日本語 🔑 e\u0301'],
    ['JSON with quotes, backslashes and newlines', JSON.stringify({a: 'x"y\\z', b: 'line1\nline2\ttab'})],
    ['a long value', 'x'.repeat(4000) + '✓'.repeat(1000)],
    ['control characters', '\u0001\u001f\u007f end'],
  ]
  for (const [name, value] of values) {
    it(`${name}: byte-identical`, async (t) => {
      if (!requireKeyring(t)) return
      const account = `${prefix}:${name}`
      written.add(account)
      await (await nativeKeyring()).setPassword(KEYRING_SERVICE, account, value)
      const read = await readSecretServicePassword(KEYRING_SERVICE, account, {timeoutMs: 10_000})
      assert.equal(Buffer.from(read ?? '', 'utf8').toString('hex'), Buffer.from(value, 'utf8').toString('hex'))
      assert.equal(read, await (await nativeKeyring()).getPassword(KEYRING_SERVICE, account))
    })
  }

  it('a chunked record (longer than MAX_ENTRY_CHARS) written by the native store reads back whole, without the addon', async (t) => {
    if (!requireKeyring(t)) return
    const key = `${prefix}:chunked`
    const secrets: TokenSecrets = {accessToken: 'at-ü', refreshToken: 'rt', idToken: `eyJ.${'ä'.repeat(3 * MAX_ENTRY_CHARS)}.sig`, expiresAt: 1_700_000_000_000}
    const nativeStore = new KeyringTokenStore({timeoutMs: 10_000, keyring: nativeKeyring})
    await nativeStore.set(key, secrets)
    written.add(key)
    assert.deepEqual(await new KeyringTokenStore({timeoutMs: 10_000, keyring: readerOnly()}).get(key), secrets)
    await nativeStore.delete(key)
    written.delete(key)
  })

  it('an account that was never written is left to the native keyring, which answers "none"', async (t) => {
    if (!requireKeyring(t)) return
    const account = `${prefix}:never-written`
    assert.equal(await readSecretServicePassword(KEYRING_SERVICE, account, {timeoutMs: 10_000}), undefined)
    const loads: string[] = []
    const backend = readingSecretServiceFirst(async () => (loads.push('native'), nativeKeyring()), {timeoutMs: 10_000})
    assert.equal(await backend.getPassword(KEYRING_SERVICE, account), null)
    assert.deepEqual(loads, ['native'])
  })

  it('another service or account of the same name prefix does not match', async (t) => {
    if (!requireKeyring(t)) return
    const account = `${prefix}:exact`
    written.add(account)
    await (await nativeKeyring()).setPassword(KEYRING_SERVICE, account, 'exact')
    assert.equal(await readSecretServicePassword(KEYRING_SERVICE, `${account}x`, {timeoutMs: 10_000}), undefined)
    assert.equal(await readSecretServicePassword(`${KEYRING_SERVICE}x`, account, {timeoutMs: 10_000}), undefined)
    assert.equal(await readSecretServicePassword(KEYRING_SERVICE, account, {timeoutMs: 10_000}), 'exact')
  })
})
