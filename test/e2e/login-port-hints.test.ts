import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {before, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'

/** A loopback port nothing listens on right now. */
async function findFreePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/*
 * Regression: a login made with a fixed --port keeps it (LoginRecord.port), but most hints built the login
 * command without the record, telling the user to log in again WITHOUT --port: a provider with one exact
 * registered redirect URI then refuses that login. Every hint now names the port.
 */
describe('hints after a `login --port N` name --port N', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let port = 0

  before(async () => {
    port = await findFreePort()
    const login = await runCli(['login', 'sandbox', '--port', String(port), '--scope', 'api'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
  })

  it('refresh --resource beyond the login: exit 2, the login command with --port and --resource', async () => {
    const result = await runCli(['refresh', 'sandbox', '--resource', 'https://elsewhere.example/'], suite.user.env)
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, new RegExp(`oauthctl login sandbox --port ${port} --resource <uri>`))
  })

  it('token --id-token and decode --id-token without an ID token: exit 4, the login command with --port', async () => {
    for (const args of [['token', 'sandbox', '--id-token'], ['decode', '-p', 'sandbox', '--id-token']]) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 4, result.stderr)
      assert.match(result.stderr, new RegExp(`oauthctl login sandbox --port ${port} --scope openid`), args.join(' '))
    }
  })

  it('kubectl-credential --id-token without an ID token: exit 4, the login command with --port', async () => {
    const result = await runCli(['kubectl-credential', 'sandbox', '--id-token'], suite.user.env)
    assert.equal(result.code, 4, result.stderr)
    assert.match(result.stderr, new RegExp(`run: oauthctl login sandbox --port ${port} \\(with the openid scope\\)\\n$`))
  })

  it('switch and get to a profile not logged in: exit 4, the provider\'s port in the login command', async () => {
    const switched = await runCli(['switch', 'sandbox', 'work'], suite.user.env)
    assert.equal(switched.code, 4, switched.stderr)
    assert.match(switched.stderr, new RegExp(`Logged-in profiles: default\\. Or run: oauthctl login sandbox --profile work --port ${port}\\n`))
    const get = await runCli(['get', '/v2/me', '-p', 'sandbox', '--profile', 'work'], suite.user.env)
    assert.equal(get.code, 4, get.stderr)
    assert.match(get.stderr, new RegExp(`Run: oauthctl login sandbox --profile work --port ${port}\\n`))
  })
})
