import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'
import {callWithToken, spawnCli, storedEntry} from './interactive.js'

async function decide(issuer: string, userCode: string, action: 'approve' | 'deny'): Promise<void> {
  const response = await fetch(`${issuer}/sandbox/device/approve`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({user_code: userCode, action}),
  })
  assert.equal(response.status, 200, await response.text())
}

describe('login --device against the sandbox (RFC 8628)', () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>

  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    // The sandbox sends no interval (5 s); poll faster in tests.
    user = makeUserEnv(sandbox.issuer, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.2'})
  })
  after(async () => {
    await sandbox.stop()
    user.cleanup()
  })

  it('shows the URL and code on stderr, logs in once approved, stdout stays empty', async () => {
    const cli = spawnCli(['login', 'sandbox', '--device'], user.env)
    await cli.waitForStderr(/Waiting for you to approve/)
    const [, userCode] = await cli.waitForStderr(/enter the code: (\S+)/)
    assert.match(cli.stderr(), new RegExp(`open ${sandbox.issuer}/device\\b`))
    assert.match(cli.stderr(), /user_code=/, 'verification_uri_complete is printed')
    await decide(sandbox.issuer, userCode as string, 'approve')
    assert.equal(await cli.exited, 0, cli.stderr())
    assert.equal(cli.stdout(), '')
    assert.match(cli.stderr(), /Logged in to sandbox as Demo User \(demo\), profile default\./)
    const status = await runCli(['status', '--json'], user.env)
    assert.equal(JSON.parse(status.stdout)[0].grant, 'device_code')
    const token = storedEntry(user.configDir, 'sandbox:default')?.accessToken as string
    assert.equal(await callWithToken(sandbox.issuer, '/api/v2/me', token), 200)
  })

  it('a denied request exits 5 with access_denied and stores nothing', async () => {
    const cli = spawnCli(['login', 'sandbox', '--device', '--profile', 'denied'], user.env)
    const [, userCode] = await cli.waitForStderr(/enter the code: (\S+)/)
    await decide(sandbox.issuer, userCode as string, 'deny')
    assert.equal(await cli.exited, 5, cli.stderr())
    assert.equal(cli.stdout(), '')
    assert.match(cli.stderr(), /error: the device authorization was denied/)
    assert.equal(storedEntry(user.configDir, 'sandbox:denied'), undefined)
  })

  it('Ctrl-C while polling exits 130 and stores nothing', async () => {
    const cli = spawnCli(['login', 'sandbox', '--device', '--profile', 'interrupted'], user.env)
    await cli.waitForStderr(/Waiting for you to approve/)
    cli.child.kill('SIGINT')
    assert.equal(await cli.exited, 130, cli.stderr())
    assert.equal(storedEntry(user.configDir, 'sandbox:interrupted'), undefined)
    const status = await runCli(['status', '--json'], user.env)
    assert.ok(!JSON.parse(status.stdout).some((entry: {profile: string}) => entry.profile === 'interrupted'))
  })

  it('a provider without the device flow exits 3 before any request', async () => {
    const result = await runCli(['login', 'spotify', '--device', '--client-id', 'abc123'], user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /Spotify does not support the device flow/)
  })

  it('--device and --paste together are a usage error (exit 2)', async () => {
    const result = await runCli(['login', 'sandbox', '--device', '--paste'], user.env)
    assert.equal(result.code, 2, result.stderr)
  })
})
