import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {cliPath, makeUserEnv, root, runCli, type UserEnv} from './harness.js'

const lockWorker = fileURLToPath(new URL('../util/fixtures/lock-worker.ts', import.meta.url))
// Nothing listens there: --with-token warns that it cannot check the token and goes on to store it.
const closedIssuer = 'http://127.0.0.1:9'

/** Another process holding the config lock until it is killed. */
async function holdConfigLock(configDir: string) {
  mkdirSync(join(configDir, 'locks'), {recursive: true, mode: 0o700})
  const env = {...process.env}
  delete env.NODE_TEST_CONTEXT
  const holder = spawn(process.execPath, ['--import', 'tsx', lockWorker, 'hold', join(configDir, 'locks', 'config.lock')], {cwd: root, env, stdio: ['ignore', 'pipe', 'inherit']})
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve())
    holder.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)))
  })
  return holder
}

function assertNothingStored(configDir: string) {
  const tokens = join(configDir, 'tokens')
  assert.ok(!existsSync(tokens) || readdirSync(tokens).length === 0, `token files left: ${existsSync(tokens) && readdirSync(tokens)}`)
  assert.equal(existsSync(join(configDir, 'config.json')), false)
}

describe('waiting for the config lock', () => {
  let user: UserEnv
  beforeEach(() => {
    user = makeUserEnv(closedIssuer)
  })
  afterEach(() => user.cleanup())

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while login waits for the config lock exits 130 within a second and leaves no token file`, async () => {
      const holder = await holdConfigLock(user.configDir)
      const cli = spawn(process.execPath, [cliPath, 'login', 'sandbox', '--with-token'], {env: user.env, stdio: ['pipe', 'pipe', 'pipe']})
      try {
        let stderr = ''
        cli.stdin.end('imported-token\n')
        await new Promise<void>((resolve, reject) => {
          cli.stderr.on('data', (chunk) => {
            stderr += chunk
            if (stderr.includes('storing it anyway')) resolve()
          })
          cli.on('exit', (code) => reject(new Error(`login exited with ${code} before waiting: ${stderr}`)))
        })
        // Now it goes for the config lock, which is held.
        await new Promise((resolve) => setTimeout(resolve, 500))
        const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
        const sent = Date.now()
        cli.kill(signal)
        const code = await exited
        const elapsed = Date.now() - sent
        assert.equal(code, 130, stderr)
        assert.ok(elapsed < 1000, `took ${elapsed} ms`)
        assert.match(stderr, /\nerror: interrupted\n$/)
        assertNothingStored(user.configDir)
      } finally {
        cli.kill('SIGKILL')
        holder.kill('SIGKILL')
      }
    })
  }

  it('a dangling symlink at the config lock: login exits 3 at once naming the file to remove, and stores no token', async () => {
    mkdirSync(join(user.configDir, 'locks'), {mode: 0o700})
    const lock = join(user.configDir, 'locks', 'config.lock')
    symlinkSync(join(user.configDir, 'nowhere'), lock)
    const started = Date.now()
    const result = await runCli(['login', 'sandbox', '--with-token'], user.env, 'imported-token\n', 10_000)
    assert.equal(result.code, 3, result.stderr)
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
    assert.equal(result.stdout, '')
    assert.ok(
      result.stderr.endsWith(
        `error: cannot use the lock file: ${lock} is a symbolic link, and oauthctl does not follow links in its state directory\n` +
          `Remove ${lock} (a lock holds no data), then try again.\n`,
      ),
      result.stderr,
    )
    assertNothingStored(user.configDir)
  })

  it('a directory at the config lock is exit 3 with the path to remove, not "This is a bug"', async () => {
    const lock = join(user.configDir, 'locks', 'config.lock')
    mkdirSync(lock, {recursive: true})
    const login = await runCli(['login', 'sandbox', '--with-token'], user.env, 'imported-token\n', 10_000)
    assert.equal(login.code, 3, login.stderr)
    assert.match(login.stderr, new RegExp(`error: cannot use the lock file: ${lock} is a directory, not a file\\nRemove ${lock} `))
    assertNothingStored(user.configDir)
  })
})
