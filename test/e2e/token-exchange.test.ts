import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, runCli, sandboxSuite} from './harness.js'
import {storedEntry} from './interactive.js'

/* RFC 8693 token exchange: `oauthctl token exchange` against the sandbox's grant handler, with the
 * private_key_jwt client oauthctl-jwt doing the exchange. */

const keys = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-keys-'))
after(() => rmSync(keys, {recursive: true, force: true}))
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token'

describe('oauthctl token exchange', () => {
  const suite = sandboxSuite(['--auto-approve', '--client-keys', keys])
  const exchanger = () => ['--client-id', 'oauthctl-jwt', '--client-key', join(keys, 'oauthctl-jwt.pem')]
  let userToken = ''

  before(async () => {
    assert.equal((await runCli(['login', 'sandbox', '--scope', 'openid,profile,api'], suite.user.env)).code, 0)
    userToken = (await runCli(['token'], suite.user.env)).stdout.trim()
  })

  it('exchanges the stored login\'s token and prints only the new token; the API knows the same user', async () => {
    const result = await runCli(['token', 'exchange', 'sandbox', '--subject-token', 'sandbox', ...exchanger(), '--audience', 'https://orders.example'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.match(result.stdout, /^[\w-]{20,}\n$/)
    const token = result.stdout.trim()
    assert.notEqual(token, userToken)
    const me = await fetch(`${suite.sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${token}`}})
    assert.equal(me.status, 200)
    assert.equal(((await me.json()) as {id: string}).id, 'demo')
  })

  it('--json, a subject token from stdin, --scope narrowing and --resource', async () => {
    const result = await runCli(['token', 'exchange', 'sandbox', '--subject-token', '-', ...exchanger(), '--scope', 'api', '--resource', 'https://r.example/', '--json'], suite.user.env, `${userToken}\n`)
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    assert.deepEqual(Object.keys(document), ['provider', 'issuedTokenType', 'tokenType', 'expiresAt', 'scopes', 'accessToken'])
    assert.equal(document.issuedTokenType, ACCESS)
    assert.deepEqual(document.scopes, ['api'])
    assert.ok(!result.stderr.includes(userToken))
  })

  it('--save-as keeps it as a login (with an actor token), not the default one; introspection shows the audience', async () => {
    const result = await runCli(['token', 'exchange', '--subject-token', 'sandbox:default', '--actor-token', 'sandbox', ...exchanger(), '--audience', 'https://orders.example', '--save-as', 'delegated'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^Exchanged token stored as sandbox profile delegated in /)
    assert.ok(storedEntry(suite.user.configDir, 'sandbox:delegated')?.accessToken)
    const introspect = await runCli(['introspect', 'sandbox', '--profile', 'delegated'], suite.user.env)
    assert.equal(introspect.code, 0, introspect.stderr)
    const claims = JSON.parse(introspect.stdout)
    assert.equal(claims.active, true)
    assert.equal(claims.client_id, 'oauthctl-jwt')
    assert.equal(claims.sub, 'demo')
    assert.equal(claims.aud, 'https://orders.example')
    assert.match(suite.sandbox.stderr(), /token exchange: oauthctl-jwt got a token for demo \(audience https:\/\/orders\.example, actor demo\)/)
    const get = await runCli(['get', '/v2/me', '-p', 'sandbox', '--profile', 'delegated'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
  })

  it('plain `oauthctl token` still prints the default login\'s token (the subcommand does not take over)', async () => {
    const token = await runCli(['token', 'sandbox'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.equal(token.stdout.trim(), userToken)
  })

  it('refusals: unknown subject exit 5, a scope beyond the subject exit 5, a client not allowed exit 5', async () => {
    const bogus = await runCli(['token', 'exchange', 'sandbox', '--subject-token', '-', ...exchanger()], suite.user.env, 'not-a-token-of-this-server\n')
    assert.equal(bogus.code, 5, bogus.stderr)
    assert.match(bogus.stderr, /refused the token exchange: invalid_grant: the subject token is not an active access token/)
    const wider = await runCli(['token', 'exchange', 'sandbox', '--subject-token', 'sandbox', ...exchanger(), '--scope', 'offline_access'], suite.user.env)
    assert.equal(wider.code, 5, wider.stderr)
    assert.match(wider.stderr, /invalid_scope/)
    const machine = await runCli(['token', 'exchange', 'sandbox', '--subject-token', 'sandbox', '--client-id', 'oauthctl-machine', '--client-secret', 'sandbox-secret'], suite.user.env)
    assert.equal(machine.code, 5, machine.stderr)
    assert.match(machine.stderr, /refused the token exchange/)
  })

  it('usage: no --subject-token, both tokens from stdin, a bad token type are exit 2; an unknown login exit 4', async () => {
    const missing = await runCli(['token', 'exchange', 'sandbox'], suite.user.env)
    assert.equal(missing.code, 2, missing.stderr)
    assert.match(missing.stderr, /Missing required flag subject-token/)
    const twice = await runCli(['token', 'exchange', '--subject-token', '-', '--actor-token', '-', ...exchanger()], suite.user.env, 'x\n')
    assert.equal(twice.code, 2, twice.stderr)
    const badType = await runCli(['token', 'exchange', '--subject-token', 'sandbox', '--subject-token-type', 'cookie', ...exchanger()], suite.user.env)
    assert.equal(badType.code, 2, badType.stderr)
    assert.match(badType.stderr, /--subject-token-type "cookie" is not a token type/)
    const nobody = await runCli(['token', 'exchange', '--subject-token', 'sandbox:nobody', ...exchanger()], suite.user.env)
    assert.equal(nobody.code, 4, nobody.stderr)
    const noId = await runCli(['token', 'exchange', '--subject-token', 'sandbox', '--subject-token-type', 'refresh_token', ...exchanger()], suite.user.env)
    assert.equal(noId.code, 3, noId.stderr)
    assert.match(noId.stderr, /holds no token of type urn:ietf:params:oauth:token-type:refresh_token/)
  })
})

describe('token exchange at a server without the grant', () => {
  let server: Server
  let user: ReturnType<typeof makeUserEnv>
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(400, {'content-type': 'application/json'})
      res.end(JSON.stringify({error: 'unsupported_grant_type', error_description: 'unsupported grant_type requested'}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    user = makeUserEnv(origin)
    const add = await runCli(['providers', 'add', 'plain', '--authorize-url', `${origin}/authorize`, '--token-url', `${origin}/token`, '--api-base', origin, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)
    assert.equal(add.code, 0, add.stderr)
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    user.cleanup()
  })

  it('is exit 3 saying the server does not offer token exchange', async () => {
    const result = await runCli(['token', 'exchange', 'plain', '--subject-token', '-'], user.env, 'some-token\n')
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^error: plain does not offer token exchange \(RFC 8693\): unsupported_grant_type/)
    assert.equal(result.stdout, '')
  })
})
