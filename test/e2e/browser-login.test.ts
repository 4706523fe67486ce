import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {chromiumSandboxSuite, chromiumSkip} from './chromium-suite.js'
import {root, runCli} from './harness.js'

describe('a real browser login (headless Chromium through playwright-core)', {skip: chromiumSkip}, () => {
  const suite = chromiumSandboxSuite()

  function browserEnv(decision: string, resultFile: string): NodeJS.ProcessEnv {
    return {
      ...suite.user.env,
      OAUTHCTL_BROWSER: `"${process.execPath}" "${join(root, 'test', 'e2e', 'fixtures', 'chromium-browser.mjs')}"`,
      BROWSER_TEST_RESULT: resultFile,
      BROWSER_TEST_USER: 'alice',
      BROWSER_TEST_DECISION: decision,
    }
  }

  it('signs in and consents in Chromium, lands on the success page, and the token works with get', async () => {
    const resultFile = join(suite.user.configDir, 'allow.json')
    const login = await runCli(['login', 'sandbox', '--timeout', '90'], browserEnv('Allow', resultFile), undefined, 120_000)
    const seen = JSON.parse(readFileSync(resultFile, 'utf8'))
    assert.equal(seen.error, null, seen.error)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(login.stdout, '')
    assert.match(login.stderr, /Logged in to sandbox as Alice Sandbox \(alice\)/)
    assert.equal(seen.finalUrl.endsWith('/callback'), true)
    assert.match(seen.finalText, /Logged in to oauthctl sandbox/)
    assert.match(seen.finalText, /close this tab/i)

    const me = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'alice')
  })

  it('Deny on the consent page: the page and the CLI both say access was denied (exit 5)', async () => {
    const resultFile = join(suite.user.configDir, 'deny.json')
    const login = await runCli(['login', 'sandbox', '--profile', 'denied', '--timeout', '90'], browserEnv('Deny', resultFile), undefined, 120_000)
    const seen = JSON.parse(readFileSync(resultFile, 'utf8'))
    assert.equal(seen.error, null, seen.error)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /access_denied/)
    assert.match(seen.finalText, /access_denied/)
  })
})
