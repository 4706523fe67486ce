import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {runCli, sandboxSuite, startSandboxProcess, type SandboxProcess} from './harness.js'
import {storedKeys} from './interactive.js'

describe('JWT-secured authorization responses (JARM, response_mode=jwt)', () => {
  const suite = sandboxSuite()
  let other: SandboxProcess
  before(async () => {
    other = await startSandboxProcess()
  })
  after(async () => {
    await other?.stop()
  })

  it('login --jarm: the response JWT is verified against the issuer\'s JWKS and the login works', async () => {
    const login = await runCli(['login', 'sandbox', '--jarm'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /&response_mode=jwt&/)
    assert.match(login.stderr, /Logged in to sandbox as Demo User \(demo\)/)
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
  })

  it('providers add --issuer learns that the server offers JARM; with --par the response is still a JWT', async () => {
    const add = await runCli(['providers', 'add', 'signed', '--issuer', suite.sandbox.issuer, '--client-id', 'oauthctl'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    assert.equal(config.providers.signed.jarmSupported, true)
    const login = await runCli(['login', 'signed', '--jarm', '--par'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
  })

  it('a response JWT signed with another key is exit 5 and nothing is stored', async () => {
    // The same server, but its keys looked up at another sandbox (whose key differs): every signature fails.
    const file = join(suite.user.configDir, 'config.json')
    const config = JSON.parse(readFileSync(file, 'utf8'))
    config.providers.signed.jwksUri = `${other.issuer}/jwks`
    writeFileSync(file, JSON.stringify(config, null, 2))
    const before = storedKeys(suite.user.configDir)
    const login = await runCli(['login', 'signed', '--jarm', '--profile', 'forged'], suite.user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /^error: signed did not issue tokens: .*(signature|key)/m)
    assert.match(login.stderr, /http-browser: 400 .*Login to signed failed/)
    assert.deepEqual(storedKeys(suite.user.configDir), before)
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).logins['signed:forged'], undefined)
  })
})
