import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import {ExitCode, InterruptedError, OauthctlError} from '../../src/errors.js'
import {LockTimeoutError, withLock} from '../../src/util/lock.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const worker = fileURLToPath(new URL('./fixtures/lock-worker.ts', import.meta.url))
const posix = process.platform !== 'win32'

function spawnWorker(args: string[]) {
  const env = {...process.env}
  delete env.NODE_TEST_CONTEXT
  return spawn(process.execPath, ['--import', 'tsx', worker, ...args], {cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe']})
}

function runWorker(args: string[]): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawnWorker(args)
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

/** The pid of a process that has already exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], {stdio: 'ignore'})
    child.on('error', reject)
    child.on('exit', () => resolve(child.pid!))
  })
}

function writeLockFile(path: string, owner: {pid: number; hostname: string; createdAt?: string}) {
  writeFileSync(path, JSON.stringify({createdAt: new Date().toISOString(), ...owner}), {mode: 0o600})
}

/** Asserts the log is a sequence of enter/exit pairs by the same pid: no two holders ever overlapped. */
function assertNoOverlap(log: string, expectedPairs: number) {
  const lines = log.trim().split('\n')
  assert.equal(lines.length, expectedPairs * 2)
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, exit] = [lines[i]!.split(' '), lines[i + 1]!.split(' ')]
    assert.equal(enter[0], 'enter', `line ${i}: ${lines[i]}`)
    assert.equal(exit[0], 'exit', `line ${i + 1}: ${lines[i + 1]}`)
    assert.equal(exit[1], enter[1], `line ${i + 1}: holder changed inside the critical section`)
  }
}

describe('withLock', () => {
  let dir: string
  let lockPath: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-lock-'))
    lockPath = join(dir, 'locks', 'sandbox.lock')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  test('runs fn, returns its value, creates the lock dir 0700 and removes the lock file', async () => {
    const value = await withLock(lockPath, async () => {
      const owner = JSON.parse(readFileSync(lockPath, 'utf8'))
      assert.equal(owner.pid, process.pid)
      assert.equal(owner.hostname, hostname())
      assert.ok(Date.parse(owner.createdAt) <= Date.now())
      if (posix) {
        assert.equal(statSync(join(dir, 'locks')).mode & 0o777, 0o700)
        assert.equal(statSync(lockPath).mode & 0o777, 0o600)
      }
      return 42
    })
    assert.equal(value, 42)
    assert.deepEqual(readdirSync(join(dir, 'locks')), [])
  })

  test('is released when fn throws, and the error is passed through', async () => {
    const boom = new Error('boom')
    await assert.rejects(
      withLock(lockPath, async () => {
        throw boom
      }),
      (error) => error === boom,
    )
    assert.equal(existsSync(lockPath), false)
    // The next taker gets it at once.
    const started = Date.now()
    await withLock(lockPath, () => undefined, {timeoutMs: 1000})
    assert.ok(Date.now() - started < 500)
  })

  test('serialises holders in one process', async () => {
    const events: string[] = []
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        withLock(lockPath, async () => {
          events.push(`enter ${n}`)
          await sleep(15)
          events.push(`exit ${n}`)
        }),
      ),
    )
    assertNoOverlap(events.join('\n'), 4)
  })

  test('keeps a lock that is held longer than staleMs (heartbeat), so waiters do not steal it', async () => {
    const events: string[] = []
    const first = withLock(
      lockPath,
      async () => {
        events.push('enter first')
        await sleep(700)
        events.push('exit first')
      },
      {staleMs: 200},
    )
    await sleep(20)
    const second = withLock(lockPath, async () => void events.push('enter second', 'exit second'), {staleMs: 200})
    await Promise.all([first, second])
    assert.deepEqual(events, ['enter first', 'exit first', 'enter second', 'exit second'])
  })

  test('mutual exclusion across 8 processes: counter is exact and holders never overlap', async () => {
    const counter = join(dir, 'counter')
    const log = join(dir, 'log')
    writeFileSync(counter, '0')
    writeFileSync(log, '')
    const startAt = String(Date.now() + 1500)
    const results = await Promise.all(Array.from({length: 8}, () => runWorker(['count', lockPath, counter, log, '5', startAt])))
    for (const result of results) assert.equal(result.code, 0, result.stderr)
    assert.equal(readFileSync(counter, 'utf8'), '40')
    assertNoOverlap(readFileSync(log, 'utf8'), 40)
    assert.deepEqual(readdirSync(join(dir, 'locks')), [])
  })

  test('8 processes racing to take over one stale lock still exclude each other', async () => {
    const counter = join(dir, 'counter')
    const log = join(dir, 'log')
    writeFileSync(counter, '0')
    writeFileSync(log, '')
    await withLock(lockPath, () => {}) // creates the lock directory
    writeLockFile(lockPath, {pid: await deadPid(), hostname: hostname()})
    const startAt = String(Date.now() + 1500)
    const results = await Promise.all(Array.from({length: 8}, () => runWorker(['count', lockPath, counter, log, '3', startAt])))
    for (const result of results) assert.equal(result.code, 0, result.stderr)
    assert.equal(readFileSync(counter, 'utf8'), '24')
    assertNoOverlap(readFileSync(log, 'utf8'), 24)
    assert.deepEqual(readdirSync(join(dir, 'locks')), [])
  })

  test('a lock left by a dead pid on this host is taken over at once', async () => {
    await withLock(lockPath, () => {})
    writeLockFile(lockPath, {pid: await deadPid(), hostname: hostname()})
    const started = Date.now()
    await withLock(lockPath, () => {
      assert.equal(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid)
    })
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`)
    assert.deepEqual(readdirSync(join(dir, 'locks')), [])
  })

  test('a holder killed with SIGKILL does not block the next taker', {skip: !posix && 'needs SIGKILL'}, async () => {
    // Given a process that holds the lock
    const holder = spawnWorker(['hold', lockPath])
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve())
      holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)))
    })
    assert.equal(JSON.parse(readFileSync(lockPath, 'utf8')).pid, holder.pid)
    // When it is killed -9 (no finally, no cleanup)
    const exited = new Promise((resolve) => holder.once('exit', resolve))
    holder.kill('SIGKILL')
    await exited
    assert.ok(existsSync(lockPath), 'the lock file is left behind')
    // Then the lock is taken over well before staleMs
    const started = Date.now()
    await withLock(lockPath, () => {}, {timeoutMs: 5000, staleMs: 60_000})
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`)
  })

  test('a lock from another host is taken over only once it is older than staleMs', async () => {
    await withLock(lockPath, () => {})
    // A live-looking owner elsewhere: its pid cannot be checked from here.
    writeLockFile(lockPath, {pid: 1, hostname: 'elsewhere.invalid'})
    const old = new Date(Date.now() - 10_000)
    utimesSync(lockPath, old, old)
    await withLock(lockPath, () => {}, {staleMs: 5000, timeoutMs: 1000})

    writeLockFile(lockPath, {pid: 1, hostname: 'elsewhere.invalid'})
    await assert.rejects(withLock(lockPath, () => {}, {staleMs: 5000, timeoutMs: 200}), LockTimeoutError)
  })

  test('times out with exit 6, naming the lock file and how to remove it, and leaves the lock alone', async () => {
    await withLock(lockPath, () => {})
    writeLockFile(lockPath, {pid: 1, hostname: 'elsewhere.invalid', createdAt: '2030-01-01T00:00:00.000Z'})
    const before = readFileSync(lockPath, 'utf8')
    const started = Date.now()
    let ran = false
    await assert.rejects(
      withLock(lockPath, () => void (ran = true), {timeoutMs: 300}),
      (error: unknown) => {
        assert.ok(error instanceof LockTimeoutError)
        assert.ok(error instanceof OauthctlError)
        assert.equal(error.exitCode, ExitCode.store)
        assert.equal(error.code, 'lock_timeout')
        assert.equal(
          error.message,
          `timed out after 0.3 s waiting for the lock ${lockPath}, held by pid 1 on elsewhere.invalid since 2030-01-01T00:00:00.000Z`,
        )
        assert.equal(error.hint, `If no other oauthctl is still running, delete ${lockPath} and try again.`)
        return true
      },
    )
    const elapsed = Date.now() - started
    assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms`)
    assert.equal(ran, false)
    assert.equal(readFileSync(lockPath, 'utf8'), before)
  })

  test('an empty lock file (creator between open and write) is not judged by pid, only by age', async () => {
    await withLock(lockPath, () => {})
    writeFileSync(lockPath, '')
    await assert.rejects(withLock(lockPath, () => {}, {timeoutMs: 150, staleMs: 5000}), LockTimeoutError)
    const old = new Date(Date.now() - 10_000)
    utimesSync(lockPath, old, old)
    await withLock(lockPath, () => {}, {timeoutMs: 1000, staleMs: 5000})
  })

  test('a takeover mutex left by a dead taker does not block takeovers', async () => {
    await withLock(lockPath, () => {})
    const dead = await deadPid()
    writeLockFile(lockPath, {pid: dead, hostname: hostname()})
    writeLockFile(`${lockPath}.takeover`, {pid: dead, hostname: hostname()})
    await withLock(lockPath, () => {}, {timeoutMs: 2000})
    assert.deepEqual(readdirSync(join(dir, 'locks')), [])
  })

  test('an abort signal ends the wait with InterruptedError (exit 130)', async () => {
    await withLock(lockPath, () => {})
    writeLockFile(lockPath, {pid: 1, hostname: 'elsewhere.invalid'})
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await assert.rejects(withLock(lockPath, () => {}, {signal: controller.signal}), (error: unknown) => {
      assert.ok(error instanceof InterruptedError)
      assert.equal(error.exitCode, 130)
      return true
    })
  })
})
