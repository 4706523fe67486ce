import assert from 'node:assert/strict'
import {chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'

import {makeUserEnv, runCli, type UserEnv} from './harness.js'

// Nothing listens there: --with-token warns that it cannot check the token and goes on to store it.
const closedIssuer = 'http://127.0.0.1:9'
const modeOf = (path: string) => statSync(path).mode & 0o777

describe('the CLI refuses state paths it must not write through', () => {
  let user: UserEnv
  beforeEach(() => {
    user = makeUserEnv(closedIssuer)
  })
  afterEach(() => user.cleanup())

  it('a config dir owned by another user: exit 3 with a clear message, no EPERM stack, no chmod', async () => {
    // As root, a directory given to `nobody`; otherwise `/`, which belongs to root.
    let theirs = '/'
    if (process.getuid?.() === 0) {
      theirs = join(user.configDir, 'theirs')
      mkdirSync(theirs, {mode: 0o755})
      chownSync(theirs, 65534, 65534)
    }
    const before = statSync(theirs).mode
    const result = await runCli(['login', 'sandbox', '--with-token'], {...user.env, OAUTHCTL_CONFIG_DIR: theirs}, 'imported-token\n')
    assert.equal(result.code, 3, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, new RegExp(`error: cannot use the config directory: ${theirs} belongs to another user \\(uid \\d+, you are uid \\d+\\)\\n`))
    assert.match(result.stderr, /oauthctl only keeps state in a directory you own/)
    assert.doesNotMatch(result.stderr, /EPERM|bug|at /)
    assert.equal(statSync(theirs).mode, before)
  })

  it('a symlinked config.json: exit 3, the target is neither written nor chmod-ed, no token is kept', async () => {
    const target = join(user.configDir, 'dotfiles-config.json')
    writeFileSync(target, '{}')
    chmodSync(target, 0o644)
    symlinkSync(target, join(user.configDir, 'config.json'))
    const result = await runCli(['login', 'sandbox', '--with-token'], user.env, 'imported-token\n')
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /config\.json: it is a symbolic link, and oauthctl does not follow links in its state directory/)
    assert.equal(readFileSync(target, 'utf8'), '{}')
    assert.equal(modeOf(target), 0o644)
    assert.ok(!existsSync(join(user.configDir, 'tokens')) || readdirSync(join(user.configDir, 'tokens')).length === 0)
  })

  it('a symlinked tokens/: exit 6, nothing lands in its target, which keeps its mode; the login is not recorded', async () => {
    const target = join(user.configDir, 'shared')
    mkdirSync(target)
    chmodSync(target, 0o755)
    symlinkSync(target, join(user.configDir, 'tokens'))
    const result = await runCli(['login', 'sandbox', '--with-token'], user.env, 'imported-token\n')
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stderr, /error: cannot write the token file: .*tokens is a symbolic link/)
    assert.deepEqual(readdirSync(target), [])
    assert.equal(modeOf(target), 0o755)
    assert.equal((await runCli(['status', '--json'], user.env)).stdout, '[]\n')
  })
})
