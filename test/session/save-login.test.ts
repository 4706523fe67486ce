import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {afterEach, beforeEach, describe, it} from 'node:test'

import {readConfig} from '../../src/config.js'
import {createContext, type Context} from '../../src/context.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {login} from '../../src/login/login.js'
import {saveLogin} from '../../src/session/session.js'
import {createIO} from '../../src/io.js'
import {KeyringTokenStore} from '../../src/store/keyring-store.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'
import type {TokenSecrets, TokenStore} from '../../src/store/token-store.js'
import {fakeKeyring} from '../store/helpers.js'

const target = {provider: 'sandbox', profile: 'default', key: 'sandbox:default'}
const record = {scopes: ['openid'], obtainedAt: 0, grant: 'import'}

function makeContext(configDir: string, overrides: Partial<Context> = {}, stdin = '') {
  let stderr = ''
  const err = new PassThrough()
  err.on('data', (chunk) => (stderr += chunk))
  const input = new PassThrough()
  input.end(stdin)
  const io = createIO(new PassThrough(), err, input, {stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false})
  const ctx = createContext({env: {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9'}, configDir, io, ...overrides})
  return {ctx, stderr: () => stderr}
}

/** A store that, while writing, lets `during` do something (plant a link where config.json goes). */
function storeWith(inner: TokenStore, during: () => void): TokenStore {
  return {
    kind: 'file',
    location: 'test store',
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    async set(key: string, secrets: TokenSecrets) {
      await inner.set(key, secrets)
      during()
    },
  }
}

describe('saveLogin', () => {
  let configDir: string
  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), 'oauthctl-savelogin-'))
  })
  afterEach(() => rmSync(configDir, {recursive: true, force: true}))

  it('"Tokens stored in" names the file store when the keyring refused the write and the login fell back to it', async () => {
    const keyring = fakeKeyring()
    keyring.setPassword = async () => {
      throw new Error('the collection is locked')
    }
    const {ctx, stderr} = makeContext(
      configDir,
      {
        openStore: async () => new KeyringTokenStore({keyring}),
        fetch: (async () => new Response(JSON.stringify({id: 'demo', name: 'Demo User'}), {status: 200, headers: {'content-type': 'application/json'}})) as typeof fetch,
      },
      'imported-token\n',
    )
    const result = await login(ctx, {target, mode: 'token', timeoutMs: 1000, openBrowser: false})
    assert.equal(result.storeKind, 'file')
    assert.equal(result.storeLocation, join(configDir, 'tokens'))
    assert.equal(result.record.store, 'file')
    assert.equal(readConfig(configDir).logins?.['sandbox:default']?.store, 'file')
    assert.deepEqual(readdirSync(join(configDir, 'tokens')), ['sandbox%3Adefault.json'])
    assert.match(stderr(), /^warning: OS keyring unavailable \(the collection is locked\); storing tokens in .*tokens \(mode 0600\)/m)
  })

  it('a token whose record cannot be written is removed again: no token without its login record', async () => {
    const memory = new MemoryTokenStore()
    const store = storeWith(memory, () => symlinkSync(join(configDir, 'planted'), join(configDir, 'config.json')))
    const {ctx} = makeContext(configDir)
    await assert.rejects(saveLogin(ctx, store, target, {accessToken: 'new'}, record), (error: unknown) => {
      assert.ok(error instanceof OauthctlError)
      assert.equal(error.exitCode, ExitCode.config)
      assert.match(error.message, /config\.json is a symbolic link/)
      return true
    })
    assert.equal(await memory.get(target.key), undefined)
    assert.equal(existsSync(join(configDir, 'planted')), false)
  })

  it('a re-login whose record cannot be written puts the previous tokens back', async () => {
    const memory = new MemoryTokenStore()
    const {ctx} = makeContext(configDir)
    await saveLogin(ctx, memory, target, {accessToken: 'old', refreshToken: 'old-rt'}, record)
    // Replace config.json by a link while the new tokens are being written.
    const racing = storeWith(memory, () => {
      rmSync(join(configDir, 'config.json'))
      symlinkSync(join(configDir, 'planted'), join(configDir, 'config.json'))
    })
    await assert.rejects(saveLogin(ctx, racing, target, {accessToken: 'new'}, record), /symbolic link/)
    assert.deepEqual(await memory.get(target.key), {accessToken: 'old', refreshToken: 'old-rt'})
  })
})
