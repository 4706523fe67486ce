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
