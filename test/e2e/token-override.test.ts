import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'

describe('OAUTHCTL_TOKEN / --token bypass the store entirely (CI use)', () => {
  let sandbox: SandboxProcess
  let owner: ReturnType<typeof makeUserEnv>
  let ci: ReturnType<typeof makeUserEnv>
  let accessToken: string

  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    owner = makeUserEnv(sandbox.issuer)
    assert.equal((await runCli(['login', 'sandbox'], owner.env)).code, 0)
    accessToken = (await runCli(['token'], owner.env)).stdout.trim()
    // A CI job with an empty config dir and the token in its environment.
    ci = makeUserEnv(sandbox.issuer, {OAUTHCTL_TOKEN: accessToken})
  })
  after(async () => {
    await sandbox.stop()
    owner.cleanup()
    ci.cleanup()
  })

  it('token prints the given token without any login', async () => {
    const result = await runCli(['token'], ci.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, `${accessToken}\n`)
    const flag = await runCli(['token', '--token', 'given-on-the-command-line'], {...ci.env, OAUTHCTL_TOKEN: ''})
    assert.equal(flag.stdout, 'given-on-the-command-line\n')
  })

  it('get uses it against the named provider and writes nothing to disk', async () => {
    const result = await runCli(['get', '-p', 'sandbox', '/v2/me'], ci.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).id, 'demo')
    assert.equal(existsSync(join(ci.configDir, 'tokens')), false)
    assert.deepEqual(readdirSync(ci.configDir), [])
  })

  it('without a provider it says which flag to pass (exit 3)', async () => {
    const result = await runCli(['get', '/v2/me'], ci.env)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /-p github/)
  })

  it('a rejected token is an API error (exit 7), never a refresh', async () => {
    const result = await runCli(['get', '-p', 'sandbox', '/v2/me'], {...ci.env, OAUTHCTL_TOKEN: 'not-a-real-token'})
    assert.equal(result.code, 7)
    assert.match(result.stderr, /HTTP 401/)
    assert.match(result.stdout, /invalid_token|error/)
  })
})
