import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {after, before} from 'node:test'
import {makeUserEnv, startSandboxProcess, type SandboxProcess} from './harness.js'

/** Debian's Chromium, which the real-browser tests drive through playwright-core. */
export const chromiumPath = '/usr/bin/chromium'
const available = existsSync(chromiumPath)

/** Under CI the browser tests must run: a missing Chromium is a failure there, not a skip. */
export const chromiumSkip: string | false = !available && process.env.CI !== 'true' ? 'Debian chromium is not installed (apt-get install chromium)' : false

/**
 * For a describe() of real-browser logins: a sandbox without --auto-approve (the person signs in and consents
 * on the sandbox's own pages) and a test user, started before the suite and stopped after it.
 */
export function chromiumSandboxSuite(): {sandbox: SandboxProcess; user: ReturnType<typeof makeUserEnv>} {
  const suite = {} as {sandbox: SandboxProcess; user: ReturnType<typeof makeUserEnv>}
  before(async () => {
    assert.ok(available, `${chromiumPath} is required`)
    suite.sandbox = await startSandboxProcess([])
    suite.user = makeUserEnv(suite.sandbox.issuer)
  })
  after(async () => {
    await suite.sandbox?.stop()
    suite.user?.cleanup()
  })
  return suite
}
