import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {storedKeys} from './interactive.js'

/** The stored config.json of a test user. */
function readConfig(configDir: string): {providers?: Record<string, Record<string, unknown>>; logins?: Record<string, Record<string, unknown>>} {
  return JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'))
}

describe('PAR (RFC 9126) at a sandbox that requires it (sandbox --require-par)', () => {
  const suite = sandboxSuite(['--auto-approve', '--require-par'])

  it('a login without PAR is refused by the server (exit 5, nothing stored): the requirement is real', async () => {
    const result = await runCli(['login', 'sandbox', '--profile', 'plain'], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /invalid_request/)
    assert.deepEqual(storedKeys(suite.user.configDir), [])
  })

  it('providers add --issuer reads require_pushed_authorization_requests, and the login then pushes on its own', async () => {
    const add = await runCli(['providers', 'add', 'strict', '--issuer', suite.sandbox.issuer, '--client-id', 'oauthctl'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    const entry = readConfig(suite.user.configDir).providers?.strict
    assert.equal(entry?.par, true)
    assert.equal(entry?.parEndpoint, `${suite.sandbox.issuer}/request`)
    const login = await runCli(['login', 'strict'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    // The URL the browser gets names only the pushed request (RFC 9126 §4).
    assert.match(login.stderr, /\/auth\?request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A[^&\s]+&client_id=oauthctl\n/)
    assert.doesNotMatch(login.stderr, /code_challenge=/)
    assert.match(login.stderr, /Logged in to strict as Demo User \(demo\)/)
    const get = await runCli(['get', '/api/v2/me', '-p', 'strict'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
  })

  it('login --par works for the built-in sandbox preset', async () => {
    const login = await runCli(['login', 'sandbox', '--par', '--profile', 'pushed'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /\/auth\?request_uri=/)
  })
})

describe('PAR, JAR and JARM at a server that lacks them: exit 3 before any browser opens', () => {
  const suite = sandboxSuite()

  it('a provider defined by hand (no metadata) has no PAR endpoint, no JAR, no JARM', async () => {
    const issuer = suite.sandbox.issuer
    const add = await runCli(
      ['providers', 'add', 'bare', '--authorize-url', `${issuer}/auth`, '--token-url', `${issuer}/token`, '--api-base', `${issuer}/api`, '--client-id', 'oauthctl'],
      suite.user.env,
    )
    assert.equal(add.code, 0, add.stderr)
    const cases: [string[], RegExp][] = [
      [['--par'], /^error: bare offers no pushed authorization requests \(RFC 9126\): no pushed_authorization_request_endpoint is known\n/],
      [['--jar'], /^error: bare does not accept signed request objects \(RFC 9101\)/],
      [['--jarm'], /^error: bare offers no JWT-secured authorization responses \(JARM\): no jwks_uri is known to verify them\n/],
    ]
    for (const [flags, message] of cases) {
      const result = await runCli(['login', 'bare', ...flags], suite.user.env)
      assert.equal(result.code, 3, `${flags.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
      assert.doesNotMatch(result.stderr, /Open this URL|Opening your browser/)
      assert.equal(result.stdout, '')
    }
    assert.deepEqual(storedKeys(suite.user.configDir), [])
  })

  it('a pushed request the server refuses is exit 5 before any browser opens, and nothing is stored', async () => {
    const result = await runCli(['login', 'sandbox', '--par', '--authorization-details', '[{"type":"payment_initiation"}]'], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /^error: oauthctl sandbox refused the pushed authorization request: invalid_authorization_details/)
    assert.doesNotMatch(result.stderr, /Open this URL|Opening your browser/)
    assert.deepEqual(storedKeys(suite.user.configDir), [])
    assert.equal(readConfig(suite.user.configDir).logins?.['sandbox:default'], undefined)
  })

  it('providers add --par-url --par: every login to that provider pushes; --jarm is recorded in the definition', async () => {
    const issuer = suite.sandbox.issuer
    const add = await runCli(
      ['providers', 'add', 'manual-par', '--issuer', issuer, '--authorize-url', `${issuer}/auth`, '--token-url', `${issuer}/token`, '--api-base', `${issuer}/api`,
        '--client-id', 'oauthctl', '--scope', 'api', '--par-url', `${issuer}/request`, '--par', '--jarm'],
      suite.user.env,
    )
    assert.equal(add.code, 0, add.stderr)
    const entry = readConfig(suite.user.configDir).providers?.['manual-par']
    assert.deepEqual([entry?.parEndpoint, entry?.par, entry?.jarm, entry?.jarmSupported], [`${issuer}/request`, true, true, true])
    // No jwks_uri was given for this hand-made definition: JARM cannot be verified, so exit 3 says so.
    const missing = await runCli(['login', 'manual-par'], suite.user.env)
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(missing.stderr, /no jwks_uri is known to verify them/)
    const file = join(suite.user.configDir, 'config.json')
    const config = readConfig(suite.user.configDir)
    delete config.providers!['manual-par'].jarm
    writeFileSync(file, JSON.stringify(config))
    const login = await runCli(['login', 'manual-par'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /\/auth\?request_uri=/)
  })

  it('--par with --device or --client-credentials is a usage error (those send no authorization request)', async () => {
    const device = await runCli(['login', 'sandbox', '--device', '--par'], suite.user.env)
    assert.equal(device.code, 2, device.stderr)
    assert.match(device.stderr, /--par shape the authorization request, which this login does not send/)
  })
})
