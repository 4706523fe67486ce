import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {KeyringTokenStore, MAX_ENTRY_CHARS} from '../../src/store/keyring-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'
import {fakeKeyring} from './helpers.js'

/** A keyring that refuses values longer than Windows Credential Manager takes (2,560 bytes of UTF-16). */
function windowsLikeKeyring() {
  const keyring = fakeKeyring()
  const set = keyring.setPassword
  keyring.setPassword = async (service, account, password) => {
    if (password.length > 1280) throw new Error('Attribute password is longer than platform limit of 2560 chars')
    return set(service, account, password)
  }
  return keyring
}

const big = (tag: string): TokenSecrets => ({
  accessToken: `${tag}-access-${'a'.repeat(2500)}`,
  refreshToken: `${tag}-refresh-${'r'.repeat(600)}`,
  idToken: `${tag}-id-${'i'.repeat(1800)}`,
  expiresAt: 1_900_000_000_000,
})

describe('large token records are split across keyring entries (Windows caps a credential at 2,560 bytes)', () => {
  it('round-trips a 5 KB record through a keyring that refuses long values', async () => {
    const keyring = windowsLikeKeyring()
    const store = new KeyringTokenStore({keyring})
    await store.set('microsoft:default', big('one'))
    assert.deepEqual(await store.get('microsoft:default'), big('one'))
    for (const value of keyring.entries.values()) assert.ok(value.length <= MAX_ENTRY_CHARS)
    assert.ok(keyring.entries.size > 2)
  })

  it('replacing a record removes the chunks of the old one; a small record is one entry again', async () => {
    const keyring = windowsLikeKeyring()
    const store = new KeyringTokenStore({keyring})
    await store.set('k', big('one'))
    await store.set('k', big('two'))
    const chunksOf = () => [...keyring.entries.keys()].filter((account) => account.includes('k#'))
    assert.equal(chunksOf().length, Math.ceil(JSON.stringify(big('two')).length / MAX_ENTRY_CHARS))
    assert.deepEqual(await store.get('k'), big('two'))
    await store.set('k', {accessToken: 'small'})
    assert.deepEqual(chunksOf(), [])
    assert.deepEqual(await store.get('k'), {accessToken: 'small'})
  })

  it('a write that dies half way leaves the previous record readable and whole', async () => {
    const keyring = windowsLikeKeyring()
    const store = new KeyringTokenStore({keyring})
    await store.set('k', big('old'))
    let writes = 0
    const set = keyring.setPassword
    keyring.setPassword = async (service, account, password) => {
      if (++writes === 3) throw new Error('the process died here')
      return set(service, account, password)
    }
    await assert.rejects(store.set('k', big('new')))
    keyring.setPassword = set
    assert.deepEqual(await store.get('k'), big('old'))
  })

  it('delete removes the main entry and every chunk', async () => {
    const keyring = windowsLikeKeyring()
    const store = new KeyringTokenStore({keyring})
    await store.set('k', big('one'))
    assert.equal(await store.delete('k'), true)
    assert.equal(keyring.entries.size, 0)
    assert.equal(await store.get('k'), undefined)
  })

  it('a missing chunk is a clear store error (exit 6), not a crash or a half token', async () => {
    const keyring = windowsLikeKeyring()
    const store = new KeyringTokenStore({keyring})
    await store.set('k', big('one'))
    const chunk = [...keyring.entries.keys()].find((account) => account.endsWith('.2'))!
    keyring.entries.delete(chunk)
    await assert.rejects(store.get('k'), (error: {exitCode?: number; message: string}) => error.exitCode === 6 && /missing part 2/.test(error.message))
  })
})
