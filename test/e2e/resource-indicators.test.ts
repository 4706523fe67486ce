import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runCli, sandboxStats, sandboxSuite} from './harness.js'
import {storedEntry, storedKeys} from './interactive.js'

const DEMO_RESOURCE = 'https://api.sandbox.example/'

/** What the sandbox's introspection endpoint says about the stored access token of `profile`. */
async function introspect(env: NodeJS.ProcessEnv, profile: string): Promise<Record<string, unknown>> {
  const result = await runCli(['introspect', '--profile', profile], env)
  assert.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout)
}

describe('resource indicators (RFC 8707)', () => {
  const suite = sandboxSuite()

  it('login --resource: the access token is for that audience, the demo API accepts it, the login keeps the resource', async () => {
    const login = await runCli(['login', 'sandbox', '--resource', DEMO_RESOURCE, '--scope', 'openid', '--scope', 'offline_access', '--scope', 'api', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /&resource=https%3A%2F%2Fapi\.sandbox\.example%2F/)
    assert.deepEqual(JSON.parse(login.stdout).resources, [DEMO_RESOURCE])
    const token = await introspect(suite.user.env, 'default')
    assert.equal(token.aud, DEMO_RESOURCE)
    assert.equal(token.scope, 'api')
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    const status = await runCli(['status', '--json'], suite.user.env)
    assert.deepEqual(JSON.parse(status.stdout)[0].resources, [DEMO_RESOURCE])
  })

  it('the resource reaches the token request on refresh: the refreshed token has the same audience', async () => {
    const before = storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken
    const refreshes = (await sandboxStats(suite.sandbox.issuer)).refreshGrants
    const refresh = await runCli(['refresh'], suite.user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, refreshes + 1)
    assert.notEqual(storedEntry(suite.user.configDir, 'sandbox:default')?.accessToken, before)
    // Without `resource` on the refresh, oidc-provider would issue a userinfo token with no audience.
    const token = await introspect(suite.user.env, 'default')
    assert.equal(token.aud, DEMO_RESOURCE)
  })

  it('a login without --resource gets a token with no audience (the control case)', async () => {
    const login = await runCli(['login', 'sandbox', '--profile', 'plain'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal((await introspect(suite.user.env, 'plain')).aud, undefined)
    const status = await runCli(['status', '--json'], suite.user.env)
    assert.equal(JSON.parse(status.stdout).find((entry: {profile: string}) => entry.profile === 'plain').resources, undefined)
  })

  it('refresh --resource can narrow to the login\'s resources, never widen them (exit 2)', async () => {
    const widen = await runCli(['refresh', '--profile', 'plain', '--resource', DEMO_RESOURCE], suite.user.env)
    assert.equal(widen.code, 2, widen.stderr)
    assert.match(widen.stderr, /^error: refresh --resource can only narrow the login's resources \(none\); https:\/\/api\.sandbox\.example\/ is not one of them\n/)
    const same = await runCli(['refresh', '--profile', 'default', '--resource', DEMO_RESOURCE], suite.user.env)
    assert.equal(same.code, 0, same.stderr)
    assert.equal((await introspect(suite.user.env, 'default')).aud, DEMO_RESOURCE)
  })

  it('bad --resource values are usage errors (exit 2); a resource the server does not know is exit 5', async () => {
    for (const bad of ['api.example.com', 'https://api.example.com/#frag', '']) {
      const result = await runCli(['login', 'sandbox', '--profile', 'bad', '--resource', bad], suite.user.env)
      assert.equal(result.code, 2, `${bad}: ${result.stderr}`)
      assert.match(result.stderr, /^error: --resource "[^"]*" (is not an absolute URI|must not have a fragment)/)
    }
    const unknown = await runCli(['login', 'sandbox', '--profile', 'bad', '--resource', 'https://elsewhere.example/'], suite.user.env)
    assert.equal(unknown.code, 5, unknown.stderr)
    assert.match(unknown.stderr, /invalid_target/)
    assert.ok(!storedKeys(suite.user.configDir).includes('sandbox:bad'))
  })
})
