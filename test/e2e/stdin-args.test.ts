import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {makeUserEnv, root, runCli} from './harness.js'

interface ManifestCommand {
  args?: Record<string, {required?: boolean}>
}

/**
 * oclif takes a missing optional argument from piped stdin: `echo x | oauthctl logout` logged out provider
 * "x". No command reads an argument that way: for every command in the manifest with an optional argument,
 * the run with piped stdin is the run without it (same exit code, stdout and stderr), and the piped word
 * appears nowhere.
 */
describe('piped stdin is never taken as a missing argument', () => {
  const user = makeUserEnv('http://127.0.0.1:9')
  after(() => user.cleanup())
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
  const optional = Object.entries(manifest.commands).filter(([, command]) => Object.values(command.args ?? {}).some((arg) => !arg.required))

  it('the manifest has commands with optional arguments (logout, refresh, switch, ...)', () => {
    const ids = optional.map(([id]) => id)
    for (const id of ['logout', 'refresh', 'switch', 'login', 'token', 'introspect', 'providers:show', 'providers:remove', 'setup-git', 'exec']) assert.ok(ids.includes(id), id)
  })

  for (const [id] of optional) {
    const words = id.split(':')
    it(`echo zzpiped | oauthctl ${words.join(' ')}`, async () => {
      const quiet = await runCli(words, user.env, '')
      const piped = await runCli(words, user.env, 'zzpiped\n')
      assert.doesNotMatch(piped.stdout + piped.stderr, /zzpiped/)
      assert.deepEqual(piped, quiet)
    })
  }

  it('echo github | oauthctl logout: exit 4, nothing to log out (not "github")', async () => {
    const result = await runCli(['logout'], user.env, 'github\n')
    assert.equal(result.code, 4, result.stderr)
    assert.doesNotMatch(result.stderr, /github/)
  })
})
