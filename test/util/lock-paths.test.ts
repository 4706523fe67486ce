import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'
import {fileURLToPath} from 'node:url'

import {ExitCode, OauthctlError} from '../../src/errors.js'
import {withLock} from '../../src/util/lock.js'
import {mountTinyFs} from './tiny-fs.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const worker = fileURLToPath(new URL('./fixtures/lock-worker.ts', import.meta.url))

/** Asserts `promise` rejects promptly with an oauthctl error of `exitCode` whose text matches. */
async function assertRefused(promise: Promise<unknown>, exitCode: number, message: RegExp, hint?: RegExp) {
  const started = Date.now()
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OauthctlError, `not an OauthctlError: ${String(error)}`)
    assert.equal(error.exitCode, exitCode, error.message)
    assert.match(error.message, message)
    if (hint) assert.match(error.hint ?? '', hint)
    return true
  })
  const elapsed = Date.now() - started
  assert.ok(elapsed < 1000, `took ${elapsed} ms`)
}

function spawnWorker(args: string[]) {
  const env = {...process.env}
  delete env.NODE_TEST_CONTEXT
  return spawn(process.execPath, ['--import', 'tsx', worker, ...args], {cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe']})
}

function waitForLine(child: ReturnType<typeof spawnWorker>, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk
      if (seen.includes(line)) resolve()
    })
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before "${line}"`)))
    if (child.exitCode !== null) reject(new Error(`worker exited with ${child.exitCode} before "${line}"`))
  })
}

describe('withLock refuses lock paths it must not use', () => {
  let dir: string
  let locks: string
  let lockPath: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-lockpaths-'))
    locks = join(dir, 'locks')
    mkdirSync(locks, {mode: 0o700})
    lockPath = join(locks, 'config.lock')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  test('a dangling symlink at the lock path no longer spins forever: exit 6 at once, naming the file to remove', async () => {
    symlinkSync(join(dir, 'nowhere'), lockPath)
    const cpu = process.cpuUsage()
    await assertRefused(withLock(lockPath, () => assert.fail('ran')), ExitCode.store, /config\.lock is a symbolic link/, new RegExp(`^Remove ${lockPath} \\(a lock holds no data\\)`))
    const used = process.cpuUsage(cpu)
    assert.ok(used.user + used.system < 500_000, `used ${used.user + used.system} µs of CPU`)
    assert.equal(readlinkSync(lockPath), join(dir, 'nowhere'))
    assert.equal(existsSync(join(dir, 'nowhere')), false, 'nothing was created through the link')
  })

  test('the config lock (area config) reports the same refusal as exit 3', async () => {
    symlinkSync(join(dir, 'nowhere'), lockPath)
    await assertRefused(withLock(lockPath, () => {}, {area: 'config'}), ExitCode.config, /symbolic link/)
  })

  test('a symlink to a stale-looking lock file elsewhere is refused; the target is neither removed nor renamed', async () => {
    const target = join(dir, 'precious')
    writeFileSync(target, JSON.stringify({pid: 999_999_999, hostname: hostname(), createdAt: new Date().toISOString()}))
    symlinkSync(target, lockPath)
    await assertRefused(withLock(lockPath, () => {}), ExitCode.store, /symbolic link/)
    assert.ok(existsSync(target))
    assert.ok(lstatSync(lockPath).isSymbolicLink())
  })

  test('a directory at the lock path is exit 6 / exit 3, not "This is a bug", and is left alone', async () => {
    mkdirSync(lockPath)
    await assertRefused(withLock(lockPath, () => {}), ExitCode.store, /config\.lock is a directory, not a file/, new RegExp(`^Remove ${lockPath}`))
    await assertRefused(withLock(lockPath, () => {}, {area: 'config'}), ExitCode.config, /is a directory/)
    assert.ok(statSync(lockPath).isDirectory())
  })

  test('a FIFO at the lock path is refused without hanging on open', async () => {
    execFileSync('mkfifo', [lockPath])
    await assertRefused(withLock(lockPath, () => {}), ExitCode.store, /is not a regular file/)
  })

  test('a symlinked locks directory is refused and its target is not chmod-ed', async () => {
    const elsewhere = join(dir, 'elsewhere')
    mkdirSync(elsewhere)
    chmodSync(elsewhere, 0o755)
    const linked = join(dir, 'linked-locks')
    symlinkSync(elsewhere, linked)
    await assertRefused(withLock(join(linked, 'x.lock'), () => {}), ExitCode.store, /linked-locks is a symbolic link/)
    assert.equal(statSync(elsewhere).mode & 0o777, 0o755)
    assert.equal(existsSync(join(elsewhere, 'x.lock')), false)
  })

  test('a symlink planted at the takeover mutex of a stale lock is refused too', async () => {
    writeFileSync(lockPath, JSON.stringify({pid: 999_999_999, hostname: hostname(), createdAt: new Date().toISOString()}))
    symlinkSync(join(dir, 'nowhere'), `${lockPath}.takeover`)
    await assertRefused(withLock(lockPath, () => {}), ExitCode.store, /config\.lock\.takeover is a symbolic link/)
    assert.equal(existsSync(join(dir, 'nowhere')), false)
  })

  test('waiting for a held lock sleeps instead of spinning', async () => {
    writeFileSync(lockPath, JSON.stringify({pid: 1, hostname: 'elsewhere.invalid', createdAt: new Date().toISOString()}))
    const cpu = process.cpuUsage()
    await assert.rejects(withLock(lockPath, () => {}, {timeoutMs: 1000}), /timed out after 1 s/)
    const used = process.cpuUsage(cpu)
    assert.ok(used.user + used.system < 300_000, `used ${used.user + used.system} µs of CPU in 1 s of waiting`)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} ends a wait for a held lock at once with exit 130, even when nobody trapped it`, async () => {
      const holder = spawnWorker(['hold', lockPath])
      let waiter: ReturnType<typeof spawnWorker> | undefined
      try {
        await waitForLine(holder, 'locked')
        waiter = spawnWorker(['wait', lockPath])
        await waitForLine(waiter, 'waiting')
        // Give the waiter time to find the lock taken and start sleeping.
        await new Promise((resolve) => setTimeout(resolve, 500))
        const exited = new Promise<number | null>((resolve) => waiter!.once('exit', (code) => resolve(code)))
        const sent = Date.now()
        waiter.kill(signal)
        assert.equal(await exited, ExitCode.interrupted)
        assert.ok(Date.now() - sent < 1000, `took ${Date.now() - sent} ms`)
      } finally {
        holder.kill('SIGKILL')
        waiter?.kill('SIGKILL')
      }
    })
  }
})

describe('withLock on a full or read-only disk', () => {
  test('a full disk is exit 6 "the disk is full (ENOSPC)", naming the lock, and leaves no empty lock behind', async () => {
    const fs = mountTinyFs()
    try {
      const lockPath = join(fs.root, 'locks', 'refresh.lock')
      mkdirSync(join(fs.root, 'locks'), {mode: 0o700})
      fs.fill()
      await assertRefused(
        withLock(lockPath, () => assert.fail('ran')),
        ExitCode.store,
        new RegExp(`^cannot use the lock file ${lockPath}: the disk is full \\(ENOSPC\\)$`),
        /^Free some space on the disk that holds /,
      )
      assert.equal(existsSync(lockPath), false)
      // The config lock says the same with exit 3.
      await assertRefused(withLock(lockPath, () => {}, {area: 'config'}), ExitCode.config, /the disk is full \(ENOSPC\)/)
    } finally {
      fs.unmount()
    }
  })

  test('a read-only file system is exit 6 "the file system is read-only (EROFS)"', async () => {
    const fs = mountTinyFs()
    try {
      mkdirSync(join(fs.root, 'locks'), {mode: 0o700})
      fs.makeReadOnly()
      const lockPath = join(fs.root, 'locks', 'refresh.lock')
      await assertRefused(withLock(lockPath, () => {}), ExitCode.store, /: the file system is read-only \(EROFS\)$/, /OAUTHCTL_CONFIG_DIR/)
    } finally {
      fs.unmount()
    }
  })
})
