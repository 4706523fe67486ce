import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {chromiumSandboxSuite, chromiumSkip} from './chromium-suite.js'
import {root, runCli} from './harness.js'

describe('a DPoP login in a real browser (headless Chromium; non-loopback requests aborted)', {skip: chromiumSkip}, () => {
  const suite = chromiumSandboxSuite()

  it('login --dpop with the DPoP-only client in Chromium: a DPoP-bound token that get can use', async () => {
    const resultFile = join(suite.user.configDir, 'dpop.json')
    const env = {
      ...suite.user.env,
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

    const [file] = readdirSync(join(suite.user.configDir, 'tokens')).filter((name) => name.endsWith('.json'))
    const secrets = JSON.parse(readFileSync(join(suite.user.configDir, 'tokens', file as string), 'utf8')).secrets
    assert.equal(secrets.tokenType, 'DPoP')
    assert.equal(secrets.dpopKey.alg, 'ES256')

    const me = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'alice')
    const status = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout)
    assert.equal(status[0].tokenType, 'DPoP')
  })
})
