import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {startSandbox, type Sandbox} from '../../src/sandbox/server.js'
import {makeUserEnv, runCli, type UserEnv} from './harness.js'

/**
 * The token folder on a real, small tmpfs that fills up or turns read-only. Mounting needs root (as in the
 * CI container); elsewhere the same checks run against a fake store in test/session/refresh-store-failure.
 */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-mount-probe-'))
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) return false
    spawnSync('umount', [dir])
    return true
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

// Under CI (root) the test must run: a machine that cannot mount is a failure there, not a skip.
const skip = canMount() || process.env.CI === 'true' ? false : 'needs root to mount a small tmpfs'

function mount(dir: string, options: string): void {
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {encoding: 'utf8'})
  assert.equal(result.status, 0, result.stderr)
}

function remount(dir: string, options: string): void {
  const result = spawnSync('mount', ['-o', `remount,${options}`, dir], {encoding: 'utf8'})
  assert.equal(result.status, 0, result.stderr)
}

/** Fills the file system holding `dir` until not even one more byte fits. */
function fill(dir: string): void {
  let size = 1024 * 1024
  for (let index = 0; size >= 1; index++) {
    try {
      writeFileSync(join(dir, `.filler-${index}`), Buffer.alloc(size))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      size = Math.floor(size / 4)
    }
  }
}

function tokenFile(tokens: string): string {
  return join(tokens, readdirSync(tokens).find((name) => name.endsWith('.json') && !name.startsWith('.')) as string)
}

function expireLocally(tokens: string): {accessToken: string; refreshToken: string} {
  const file = tokenFile(tokens)
  const stored = JSON.parse(readFileSync(file, 'utf8'))
  stored.secrets.expiresAt = Date.now() - 1000
  writeFileSync(file, JSON.stringify(stored), {mode: 0o600})
  return stored.secrets
}

describe('a token folder that cannot take the refreshed tokens (real tmpfs)', {skip}, () => {
  let sandbox: Sandbox
  let user: UserEnv
  let tokens: string

  before(async () => {
    sandbox = await startSandbox({port: 0, autoApprove: true, accessTokenTtl: 3600})
    user = makeUserEnv(sandbox.issuer)
    tokens = join(user.configDir, 'tokens')
    mkdirSync(tokens, {mode: 0o700})
    mount(tokens, 'size=256k,mode=0700')
    assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
  })
  after(async () => {
    if (tokens) spawnSync('umount', [tokens])
    user?.cleanup()
    await sandbox?.close()
  })

  it('disk full: exit 6 "the disk is full", no refresh request, and the login works once there is space', async () => {
    const old = expireLocally(tokens)
    fill(tokens)
    const before = sandbox.stats().refreshGrants

    const full = await runCli(['token'], user.env)
    assert.equal(full.code, 6)
    assert.equal(full.stdout, '')
    assert.equal(
      full.stderr,
      `error: cannot refresh the sandbox token: cannot write the token file ${tokenFile(tokens)}: the disk is full (ENOSPC); ` +
        'the refresh token was not used, so the login works again once the store is writable\n' +
        `Free some space on the disk that holds ${tokens}, then try again.\n`,
    )
    assert.equal(sandbox.stats().refreshGrants, before, 'the refresh token was not spent')
    assert.equal(JSON.parse(readFileSync(tokenFile(tokens), 'utf8')).secrets.refreshToken, old.refreshToken)

    for (const name of readdirSync(tokens).filter((entry) => entry.startsWith('.filler'))) rmSync(join(tokens, name))
    const freed = await runCli(['token'], user.env)
    assert.equal(freed.code, 0, freed.stderr)
    assert.equal(sandbox.stats().refreshGrants, before + 1)
  })

  it('read-only file system: exit 6 "the file system is read-only", no refresh request, works again read-write', async () => {
    expireLocally(tokens)
    remount(tokens, 'ro')
    const before = sandbox.stats().refreshGrants
    try {
      const readOnly = await runCli(['get', '/v2/me'], user.env)
      assert.equal(readOnly.code, 6)
      assert.equal(readOnly.stdout, '')
      assert.match(readOnly.stderr, /: the file system is read-only \(EROFS\); the refresh token was not used/)
      assert.match(readOnly.stderr, /\nSet OAUTHCTL_CONFIG_DIR to a directory on a writable file system\.\n$/)
      assert.equal(sandbox.stats().refreshGrants, before)
    } finally {
      remount(tokens, 'rw')
    }
    const writable = await runCli(['get', '/v2/me'], user.env)
    assert.equal(writable.code, 0, writable.stderr)
    assert.equal(sandbox.stats().refreshGrants, before + 1)
  })
})
