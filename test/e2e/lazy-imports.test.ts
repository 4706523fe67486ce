import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, makeUserEnv, root, runCli, startSandboxProcess, type SandboxProcess} from './harness.js'

/** Runs the CLI with an import recorder and returns every module URL it resolved. */
function importsOf(args: string[], env: NodeJS.ProcessEnv, file: string): string[] {
  const result = spawnSync(
    process.execPath,
    ['--import', join(root, 'test', 'e2e', 'fixtures', 'record-imports.mjs'), cliPath, ...args],
    {env: {...env, RECORD_IMPORTS_FILE: file}, encoding: 'utf8'},
  )
  assert.equal(result.status, 0, result.stderr)
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}

describe('heavy modules load only in the commands that use them', () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>
  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer)
    assert.equal((await runCli(['login', 'sandbox'], user.env)).code, 0)
  })
  after(async () => {
    await sandbox.stop()
    user.cleanup()
  })

  it('`oauthctl token` with a valid token loads no oclif, no protocol engine, no sandbox, no browser code', () => {
    const imports = importsOf(['token'], user.env, join(user.configDir, 'token-imports'))
    assert.ok(imports.some((url) => url.includes('/dist/cli/fast-path.bundle.cjs')), 'the recorder saw the fast path')
    assert.ok(imports.some((url) => url === 'internal:internal/url'), 'the recorder saw node internals')
    assert.deepEqual(imports.filter((url) => url.includes('undici')), [], 'undici (fetch, Headers, Response) is not loaded')
    for (const heavy of ['@oclif/core', 'openid-client', 'oauth4webapi', 'oidc-provider', 'playwright', 'conf/', '/dist/sandbox/', '/dist/callback/', 'chalk', '/open/']) {
      assert.deepEqual(imports.filter((url) => url.includes(heavy)), [], `${heavy} must not be loaded`)
    }
  })

  it('`oauthctl token` loads the fast path as one CommonJS bundle (plus fast-start.cjs: the command list and the code-cache loader) and no node:crypto, node:http or child_process', () => {
    const imports = importsOf(['token'], user.env, join(user.configDir, 'token-builtins'))
    const fastPath = imports.filter((url) => url.includes('/dist/')).map((url) => url.slice(url.indexOf('/dist/')))
    assert.deepEqual(fastPath.sort(), ['/dist/cli/fast-path.bundle.cjs', '/dist/cli/fast-start.cjs'])
    for (const builtin of ['crypto', 'http', 'https', 'child_process', 'readline']) {
      assert.deepEqual(imports.filter((url) => url === `internal:${builtin}`), [], `node:${builtin} must not be loaded`)
    }
  })

  it('`oauthctl get` with a valid token loads no oclif, no protocol engine and no undici either', () => {
    const imports = importsOf(['get', '/v2/me'], user.env, join(user.configDir, 'get-imports'))
    assert.ok(imports.some((url) => url.includes('/dist/cli/fast-path.bundle.cjs')), 'the recorder saw the fast path')
    assert.ok(imports.some((url) => url === 'internal:internal/url'), 'the recorder saw node internals')
    assert.deepEqual(imports.filter((url) => url.includes('undici')), [], 'undici (fetch, Headers, Response) is not loaded')
    for (const heavy of ['@oclif/core', 'openid-client', 'oidc-provider', 'playwright', 'conf/', '/dist/sandbox/', '/dist/callback/']) {
      assert.deepEqual(imports.filter((url) => url.includes(heavy)), [], `${heavy} must not be loaded`)
    }
  })
})

// scripts/test.mjs runs the suite inside a private D-Bus session with an unlocked gnome-keyring.
const haveSecretService = process.env.OAUTHCTL_TEST_KEYRING_SESSION === '1' && Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
const skipKeyring = !haveSecretService && process.env.CI !== 'true' ? 'no Secret Service session (run through scripts/test.mjs with gnome-keyring installed)' : false

describe('a keyring login is read without the native keyring addon', {skip: skipKeyring}, () => {
  let sandbox: SandboxProcess
  let user: ReturnType<typeof makeUserEnv>
  before(async () => {
    assert.ok(haveSecretService, 'a Secret Service session is required under CI')
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer, {OAUTHCTL_STORE: 'keyring'})
    const login = await runCli(['login', 'sandbox'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Tokens stored in OS keyring/)
  })
  after(async () => {
    await runCli(['logout'], user.env)
    await sandbox.stop()
    user.cleanup()
  })

  for (const args of [['token'], ['get', '/v2/me']]) {
    it(`\`oauthctl ${args.join(' ')}\` reads the keyring through the pure-JS Secret Service reader: @napi-rs/keyring is not loaded`, () => {
      const imports = importsOf(args, user.env, join(user.configDir, `${args[0]}-keyring-imports`))
      assert.ok(imports.some((url) => url.includes('/dist/cli/fast-path.bundle.cjs')), 'the recorder saw the fast path')
      assert.deepEqual(imports.filter((url) => url.includes('@napi-rs') || url.endsWith('.node')), [], '@napi-rs/keyring must not be loaded')
    })
  }

  it('`oauthctl token` reads the keyring without loading any Node module that a token given in OAUTHCTL_TOKEN does not (no node:net)', () => {
    // The recorder's own loader thread loads node:net and others, so the keyring read is compared with a
    // run under the same recorder that reads no store at all.
    const builtins = (imports: string[]) => new Set(imports.filter((url) => url.startsWith('internal:')))
    const keyring = builtins(importsOf(['token'], user.env, join(user.configDir, 'token-keyring-builtins')))
    const override = builtins(importsOf(['token'], {...user.env, OAUTHCTL_TOKEN: 'given-token'}, join(user.configDir, 'token-override-builtins')))
    assert.deepEqual([...keyring].filter((url) => !override.has(url)), [])
  })

  it('with --pending-deprecation, `oauthctl token` prints no deprecation warning and the same token', async () => {
    const plain = await runCli(['token'], user.env)
    const result = spawnSync(process.execPath, ['--pending-deprecation', cliPath, 'token'], {env: user.env, encoding: 'utf8'})
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.equal(result.stdout, plain.stdout)
  })

  it('the token read that way is the one the native keyring holds', async () => {
    const fast = await runCli(['token'], user.env)
    assert.equal(fast.code, 0, fast.stderr)
    assert.match(fast.stdout, /^[\w-]{20,}\n$/)
    // Without a usable bus address the reader steps aside and the native keyring answers: same token.
    const viaNative = await runCli(['token'], {...user.env, DBUS_SESSION_BUS_ADDRESS: `${user.env.DBUS_SESSION_BUS_ADDRESS};unix:path=/nonexistent`})
    assert.equal(viaNative.code, 0, viaNative.stderr)
    assert.equal(viaNative.stdout, fast.stdout)
  })
})
