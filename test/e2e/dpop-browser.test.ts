import assert from 'node:assert/strict'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, root, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'

const chromiumPath = '/usr/bin/chromium'
const available = existsSync(chromiumPath)
// Under CI the browser test must run: a missing Chromium is a failure there, not a skip.
const skip = !available && process.env.CI !== 'true' ? 'Debian chromium is not installed (apt-get install chromium)' : false

describe('a DPoP login in a real browser (headless Chromium; non-loopback requests aborted)', {skip}, () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>

  before(async () => {
    assert.ok(available, `${chromiumPath} is required`)
    // No --auto-approve: the person signs in and consents on the sandbox's own pages.
    sandbox = await startSandboxProcess([])
    user = makeUserEnv(sandbox.issuer)
  })
  after(async () => {
    await sandbox?.stop()
    user?.cleanup()
  })

  it('login --dpop with the DPoP-only client in Chromium: a DPoP-bound token that get can use', async () => {
    const resultFile = join(user.configDir, 'dpop.json')
    const env = {
      ...user.env,
      // test/e2e/fixtures/chromium-browser.mjs aborts every request that is not to a loopback address.
      OAUTHCTL_BROWSER: `"${process.execPath}" "${join(root, 'test', 'e2e', 'fixtures', 'chromium-browser.mjs')}"`,
      BROWSER_TEST_RESULT: resultFile,
      BROWSER_TEST_USER: 'alice',
      BROWSER_TEST_DECISION: 'Allow',
    }
    const login = await runCli(['login', 'sandbox', '--dpop', '--client-id', 'oauthctl-dpop', '--timeout', '90'], env, undefined, 120_000)
    const seen = JSON.parse(readFileSync(resultFile, 'utf8'))
    assert.equal(seen.error, null, seen.error)
    assert.deepEqual(seen.blocked, [])
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Logged in to sandbox as Alice Sandbox \(alice\)/)
    assert.match(seen.finalText, /Logged in to oauthctl sandbox/)
    assert.match(login.stderr, /client_id=oauthctl-dpop/)

    const [file] = readdirSync(join(user.configDir, 'tokens')).filter((name) => name.endsWith('.json'))
    const secrets = JSON.parse(readFileSync(join(user.configDir, 'tokens', file as string), 'utf8')).secrets
    assert.equal(secrets.tokenType, 'DPoP')
    assert.equal(secrets.dpopKey.alg, 'ES256')

    const me = await runCli(['get', '/v2/me'], user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'alice')
    const status = JSON.parse((await runCli(['status', '--json'], user.env)).stdout)
    assert.equal(status[0].tokenType, 'DPoP')
  })
})
