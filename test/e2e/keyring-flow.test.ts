import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'

// scripts/test.mjs runs the suite inside a private D-Bus session with an unlocked gnome-keyring; under
// CI=true it refuses to run without one, so this never skips there.
const haveSecretService = process.env.OAUTHCTL_TEST_KEYRING_SESSION === '1' && Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
const skip = !haveSecretService && process.env.CI !== 'true' ? 'no Secret Service session (run through scripts/test.mjs with gnome-keyring installed)' : false

describe('the OS keyring end to end (gnome-keyring Secret Service)', {skip}, () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>

  before(async () => {
    assert.ok(haveSecretService, 'a Secret Service session is required under CI')
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer, {OAUTHCTL_STORE: ''})
  })
  after(async () => {
    await sandbox?.stop()
    user?.cleanup()
  })

  it('login stores the tokens in the keyring (no token file, no warning), and token/get/logout use it', async () => {
    const login = await runCli(['login', 'sandbox'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.doesNotMatch(login.stderr, /warning/)
    assert.match(login.stderr, /Tokens stored in OS keyring \(service oauthctl\)/)
    const tokens = join(user.configDir, 'tokens')
    assert.ok(!existsSync(tokens) || readdirSync(tokens).length === 0, 'no token file was written')

    const status = JSON.parse((await runCli(['status', '--json'], user.env)).stdout)
    assert.equal(status[0].store, 'keyring')

    const token = await runCli(['token'], user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.match(token.stdout, /^[\w-]{20,}\n$/)
    const me = await runCli(['get', '/v2/me'], user.env)
    assert.equal(JSON.parse(me.stdout).id, 'demo')

    // OAUTHCTL_STORE=keyring works the same way and never falls back.
    const forced = await runCli(['token'], {...user.env, OAUTHCTL_STORE: 'keyring'})
    assert.equal(forced.stdout, token.stdout)

    assert.equal((await runCli(['logout'], user.env)).code, 0)
    const afterLogout = await runCli(['token', 'sandbox'], user.env)
    assert.equal(afterLogout.code, 4)
  })

  it('OAUTHCTL_STORE=keyring with no reachable keyring: exit 6, no fallback, nothing stored', async () => {
    const env = {...user.env, OAUTHCTL_STORE: 'keyring', DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(user.configDir, 'no-bus')}`}
    const result = await runCli(['login', 'sandbox'], env)
    assert.equal(result.code, 6)
    assert.match(result.stderr, /keyring/)
    assert.match(result.stderr, /OAUTHCTL_STORE=file/)
    assert.ok(!existsSync(join(user.configDir, 'tokens')) || readdirSync(join(user.configDir, 'tokens')).length === 0)
  })

  it('automatic mode with no reachable keyring: one warning line, then the 0600 file store', async () => {
    const env = {...user.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(user.configDir, 'no-bus')}`}
    const result = await runCli(['login', 'sandbox', '--profile', 'fallback'], env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr.split('\n').filter((line) => line.startsWith('warning:')).length, 1)
    assert.match(result.stderr, /warning: OS keyring unavailable .* storing tokens in .*tokens \(mode 0600\)/)
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout)
    assert.equal(status.find((entry: {profile: string}) => entry.profile === 'fallback').store, 'file')
  })
})
