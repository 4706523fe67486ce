import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {describe, it} from 'node:test'
import {makeUserEnv, runCli, startSandboxProcess} from './harness.js'

describe('oauthctl sandbox as a foreground command', () => {
  it('prints only its issuer on stdout; Ctrl-C exits 130, SIGTERM exits 0', async () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 0]] as const) {
      const sandbox = await startSandboxProcess([])
      assert.match(sandbox.issuer, /^http:\/\/127\.0\.0\.1:\d+$/)
      const discovery = await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)
      assert.equal(((await discovery.json()) as {issuer: string}).issuer, sandbox.issuer)
      assert.equal(await sandbox.stop(signal), code)
      assert.doesNotMatch(sandbox.stderr(), /Unsupported runtime/, 'the oidc-provider Node 20 warning is kept out')
      assert.match(sandbox.stderr(), /password "sandbox"/)
      await assert.rejects(fetch(sandbox.issuer), 'the port is closed')
    }
  })

  it('a port in use is exit 3 naming the port, with nothing on stdout', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    const user = makeUserEnv(`http://127.0.0.1:${port}`)
    try {
      const result = await runCli(['sandbox'], user.env)
      assert.equal(result.code, 3)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`))
    } finally {
      blocker.close()
      user.cleanup()
    }
  })
})
