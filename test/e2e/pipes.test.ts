import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {describe, it} from 'node:test'
import {cliPath, runCli, sandboxSuite} from './harness.js'

describe('output into a pipe that closes early (`oauthctl get ... | head -c 100`)', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('stops quietly with exit 0 when the reader goes away', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const child = spawn(process.execPath, [cliPath, 'get', '--paginate', '/big?pages=100&size=100000'], {
      env: suite.user.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', resolve))
    assert.ok(first.length > 0)
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)))
    assert.equal(code, 0)
    assert.equal(stderr, '')
  })
})
