import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {createContext, type Context} from '../../src/context.js'
import {CredentialStoreError} from '../../src/errors.js'
import {getAccessToken} from '../../src/session/access-token.js'
import type {LoadedLogin} from '../../src/session/session.js'
import {ioError} from '../../src/store/file-store.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'
import type {TokenSecrets} from '../../src/store/token-store.js'
import {captureIO, json, type CapturedIO} from '../http/helpers.js'
import {fakePreset} from '../login/helpers.js'

/**
 * A refresh whose result cannot be saved must not lose the login: the store is checked before a rotating
 * refresh token is spent, and tokens that could not be saved after all still serve the current command.
 */

const ORIGIN = 'http://127.0.0.1:9'
const KEY = 'fake:default'
const OLD: TokenSecrets = {accessToken: 'at-old', refreshToken: 'rt-old', expiresAt: 1, obtainedAt: 0, tokenType: 'bearer'}

function fsError(code: string): CredentialStoreError {
  return ioError('write', '/state/tokens/fake%3Adefault.json', Object.assign(new Error(`${code}: failed`), {code}))
}

/** A memory store whose probe and writes fail as a full or read-only file system would. */
class FailingStore extends MemoryTokenStore {
  probeFails?: string
  writeFails?: string
  async checkWritable(): Promise<void> {
    if (this.probeFails) throw fsError(this.probeFails)
  }
  override async set(key: string, secrets: TokenSecrets): Promise<void> {
    if (this.writeFails) throw fsError(this.writeFails)
    return super.set(key, secrets)
  }
}

describe('a refresh that cannot be saved', () => {
  let dir: string
  let store: FailingStore
  let grants: string[]
  let captured: CapturedIO
  let ctx: Context
  let login: LoadedLogin

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-refresh-store-'))
    store = new FailingStore({[KEY]: OLD})
    grants = []
    captured = captureIO()
    const fetch = (async (_input: string | URL, init: RequestInit = {}) => {
      grants.push(new URLSearchParams(String(init.body)).get('refresh_token') ?? '')
      const n = grants.length
      return json({access_token: `at-${n}`, refresh_token: `rt-${n}`, token_type: 'Bearer', expires_in: 3600})
    }) as typeof globalThis.fetch
    ctx = createContext({io: captured.io, fetch, env: {}, configDir: dir, debugEnabled: false})
    login = {
      target: {provider: 'fake', profile: 'default', key: KEY},
      preset: fakePreset(ORIGIN),
      record: {provider: 'fake', profile: 'default', store: 'file', scopes: [], obtainedAt: 0, hasRefreshToken: true, grant: 'authorization_code', clientId: 'cli'},
      store,
    }
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  for (const [code, reason] of [
    ['ENOSPC', 'the disk is full (ENOSPC)'],
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['EACCES', 'permission denied (EACCES)'],
    ['EDQUOT', 'the disk quota is exhausted (EDQUOT)'],
  ] as const) {
    it(`a store that cannot be written (${code}) is exit 6 "${reason}" before the refresh token is spent`, async () => {
      store.probeFails = code
      await assert.rejects(getAccessToken(ctx, login), (error: CredentialStoreError) => {
        assert.equal(error.exitCode, 6)
        assert.equal(
          error.message,
          `cannot refresh the fake token: cannot write the token file /state/tokens/fake%3Adefault.json: ${reason}; the refresh token was not used, so the login works again once the store is writable`,
        )
        return true
      })
      assert.deepEqual(grants, [], 'no refresh request was sent')
      assert.deepEqual(await store.get(KEY), OLD)
    })
  }

  it('tokens the store refuses after the grant serve the rest of the command, which then exits 6 with the reason', async () => {
    store.writeFails = 'ENOSPC'
    const first = await getAccessToken(ctx, login)
    assert.equal(first.accessToken, 'at-1')
    assert.deepEqual(grants, ['rt-old'])
    assert.equal(ctx.pendingError?.exitCode, 6)
    assert.match(ctx.pendingError?.message ?? '', /^the refreshed fake tokens could not be saved: cannot write the token file \S+: the disk is full \(ENOSPC\); this command used them/)
    // A second use within the same command (the API retrying after a 401, say) does not refresh again.
    const second = await getAccessToken(ctx, login)
    assert.equal(second.accessToken, 'at-1')
    assert.deepEqual(grants, ['rt-old'])
  })

  it('a working store: one refresh, saved, nothing pending', async () => {
    const next = await getAccessToken(ctx, login)
    assert.equal(next.accessToken, 'at-1')
    assert.equal((await store.get(KEY))?.refreshToken, 'rt-1')
    assert.equal(ctx.pendingError, undefined)
    assert.equal(captured.stderr(), '')
  })
})
