import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {root, runCli, sandboxSuite} from './harness.js'
import {makeShellEnv, runBash} from './shell.js'

describe('every example in every command\'s help runs as printed against the sandbox', () => {
  const suite = sandboxSuite(['--auto-approve'])
  /** Examples that start a server or wait for a person; each is covered by its own e2e test. */
  const NOT_PASTED = new Set([
    'oauthctl sandbox &',
    'oauthctl sandbox --port 9100 --auto-approve --access-token-ttl 5 &',
    'oauthctl login sandbox --device',
    'oauthctl login sandbox --no-browser --paste',
    // Needs `oauthctl sandbox --mtls` (its certificate files and HTTPS port): test/e2e/mtls.test.ts.
    'oauthctl sandbox --mtls &',
    'oauthctl login sandbox-mtls --client-id oauthctl-mtls --client-auth tls-client-auth --cert client.pem --key client.key --cacert ca.pem',
  ])

  /** Logged in to sandbox as "work" and "default" (the default login), by the browser flow. */
  async function ensureLogins(env: NodeJS.ProcessEnv, configDir: string): Promise<void> {
    const read = () => {
      try {
        return JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'))
      } catch {
        return {}
      }
    }
    for (const profile of ['work', 'default']) {
      if (read().logins?.[`sandbox:${profile}`]?.grant !== 'authorization_code') {
        const result = await runCli(['login', 'sandbox', '--profile', profile], env)
        assert.equal(result.code, 0, result.stderr)
      }
    }
    const config = read()
    if (config.defaultProvider !== 'sandbox' || config.defaultProfiles?.sandbox !== 'default') {
      assert.equal((await runCli(['switch', 'sandbox', 'default'], env)).code, 0)
    }
  }

  it('each one exits 0 (a test pastes them, in order, per command)', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {examples?: string[]}>}
    const shell = makeShellEnv(suite.user.env)
    try {
      const skipped: string[] = []
      let pasted = 0
      for (const [id, command] of Object.entries(manifest.commands)) {
        assert.ok((command.examples ?? []).length > 0, `${id} has examples`)
        await ensureLogins(suite.user.env, suite.user.configDir)
        for (const example of command.examples ?? []) {
          const line = example.replaceAll('<%= config.bin %>', 'oauthctl')
          assert.doesNotMatch(line, /<%/, line)
          if (NOT_PASTED.has(line)) {
            skipped.push(line)
            continue
          }
          const result = await runBash(line.replaceAll('http://127.0.0.1:9000', suite.sandbox.issuer), shell.env, shell.dir)
          assert.equal(result.code, 0, `${line}\n${result.stderr}`)
          assert.doesNotMatch(result.stderr, /needs a client id|error:/, line)
          pasted++
        }
      }
      assert.deepEqual(skipped.sort(), [...NOT_PASTED].sort())
      assert.ok(pasted >= 45, `${pasted} examples pasted`)
    } finally {
      shell.cleanup()
    }
  })
})
