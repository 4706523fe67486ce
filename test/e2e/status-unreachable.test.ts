import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {makeUserEnv, runCli, startSandboxProcess} from './harness.js'

describe('status --check when the provider is down', () => {
  const cleanups: (() => unknown)[] = []
  after(async () => {
    for (const cleanup of cleanups) await cleanup()
  })

  it('says it could not check (exit 7), not that the login is broken, and keeps the login', async () => {
    const sandbox = await startSandboxProcess(['--auto-approve'])
    const user = makeUserEnv(sandbox.issuer)
    cleanups.push(() => sandbox.stop(), () => user.cleanup())
    assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
    await sandbox.stop()

    const result = await runCli(['status', '--check', '--json'], user.env)
    assert.equal(result.code, 7, result.stderr)
    const [entry] = JSON.parse(result.stdout)
    assert.equal(entry.check.ok, null)
    assert.equal(entry.check.unreachable, true)
    assert.match(entry.check.detail, /could not be reached \(ECONNREFUSED\)/)
    assert.match(result.stderr, /could not reach the provider to check sandbox \[default\]/)
    const token = await runCli(['token'], user.env)
    assert.equal(token.code, 0, 'the stored token is still there')
  })
})
