import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, UsageError} from '../../src/errors.js'
import {resolveTarget} from '../../src/session/session.js'
import {switchDefault} from '../../src/session/switch.js'
import {checkProfileName} from '../../src/util/profile-name.js'
import {makeTestContext} from '../providers/helpers.js'

const isBadProfile = (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage && /bad profile name/.test(error.message)

// Profile names become token file names, lock file names and keyring accounts.
const BAD = ['', '.', '..', '../x', '.hidden', 'a/b', 'a\\b', 'a:b', 'a b', 'x'.repeat(65), 'naïve', 'a\u001b[2J', 'a\nb', 'a\u0000b', '~root', '$(id)', '*']
const GOOD = ['default', 'work', 'Work-2', 'alice.example', 'a_b', 'x'.repeat(64), '0', 'a..b', '-dash', '__proto__']

describe('profile names (--profile)', () => {
  for (const name of BAD) {
    it(`refuses ${JSON.stringify(name)} with exit 2`, () => {
      assert.throws(() => checkProfileName(name), isBadProfile)
      assert.throws(() => resolveTarget({}, 'sandbox', name), isBadProfile)
    })
  }

  it('accepts letters, digits, ".", "_" and "-" up to 64 characters, not starting with "."', () => {
    for (const name of GOOD) {
      assert.equal(checkProfileName(name), name)
      assert.equal(resolveTarget({}, 'sandbox', name).key, `sandbox:${name}`)
    }
  })

  it('switch checks the name before anything else', async () => {
    const t = makeTestContext()
    try {
      await assert.rejects(switchDefault(t.ctx, {provider: 'sandbox', profile: '../x'}), isBadProfile)
    } finally {
      t.cleanup()
    }
  })

  it('a default profile read from the config is used as stored', () => {
    assert.equal(resolveTarget({defaultProfiles: {sandbox: 'work'}}, 'sandbox').profile, 'work')
  })
})
