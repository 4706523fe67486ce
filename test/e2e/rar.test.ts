import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {storedKeys} from './interactive.js'

const DETAILS = [{type: 'account_information', actions: ['read']}]
/** oidc-provider wants a resource server for RAR: the sandbox's demo one. */
const RESOURCE = ['--resource', 'https://api.sandbox.example/']

describe('rich authorization requests (RFC 9396)', () => {
  const suite = sandboxSuite()
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-rar-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('login --authorization-details: sent on authorize, the granted details shown by status --json', async () => {
    const login = await runCli(['login', 'sandbox', ...RESOURCE, '--authorization-details', JSON.stringify(DETAILS)], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /&authorization_details=%5B%7B%22type%22%3A%22account_information%22/)
    const status = await runCli(['status', '--json'], suite.user.env)
    assert.equal(status.code, 0, status.stderr)
    assert.deepEqual(JSON.parse(status.stdout)[0].authorizationDetails, DETAILS)
  })

  it('@file works, and with --par the details go in the pushed body, not the URL', async () => {
    const file = join(dir, 'details.json')
    writeFileSync(file, JSON.stringify(DETAILS))
    const login = await runCli(['login', 'sandbox', '--profile', 'pushed', '--par', ...RESOURCE, '--authorization-details', `@${file}`], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.doesNotMatch(login.stderr, /authorization_details=/)
    const status = await runCli(['status', '--json'], suite.user.env)
    const entry = JSON.parse(status.stdout).find((item: {profile: string}) => item.profile === 'pushed')
    assert.deepEqual(entry.authorizationDetails, DETAILS)
  })

  it('bad input is exit 2 before anything is sent: not JSON, not an array, no type, too long, a missing file', async () => {
    const big = join(dir, 'big.json')
    writeFileSync(big, JSON.stringify([{type: 'x', pad: 'a'.repeat(20_000)}]))
    const cases: [string, RegExp][] = [
      ['[{"type":', /^error: --authorization-details is not valid JSON/],
      ['{"type":"account_information"}', /^error: --authorization-details must be a non-empty JSON array of objects \(RFC 9396 §2\)\n/],
      ['[]', /must be a non-empty JSON array/],
      ['["account_information"]', /^error: --authorization-details entry 0 is not a JSON object\n/],
      ['[{"actions":["read"]}]', /^error: --authorization-details entry 0 has no "type" string/],
      ['[{"type":""}]', /entry 0 has no "type" string/],
      // A prototype-polluting member is dropped, never merged: the entry then has no type of its own.
      ['[{"__proto__":{"type":"account_information"}}]', /entry 0 has no "type" string/],
      [`[${'{"type":"a"},'.repeat(2000)}{"type":"a"}]`, /^error: --authorization-details is \d+ characters long; at most 16384 are accepted\n/],
      [`@${big}`, /^error: --authorization-details @.* is \d+ bytes; at most 16384 are accepted\n/],
      [`@${join(dir, 'missing.json')}`, /^error: cannot read --authorization-details @.*missing\.json: ENOENT\n/],
    ]
    for (const [value, message] of cases) {
      const result = await runCli(['login', 'sandbox', '--profile', 'bad', '--authorization-details', value], suite.user.env)
      assert.equal(result.code, 2, `${value.slice(0, 40)}: ${result.stderr}`)
      assert.match(result.stderr, message)
      assert.doesNotMatch(result.stderr, /Open this URL/)
    }
    assert.equal(({} as Record<string, unknown>).type, undefined)
    assert.ok(!storedKeys(suite.user.configDir).includes('sandbox:bad'))
  })

  it('details the server does not accept are exit 5 and nothing is stored', async () => {
    const result = await runCli(['login', 'sandbox', '--profile', 'refused', ...RESOURCE, '--authorization-details', '[{"type":"account_information","actions":["write"]}]'], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /invalid_authorization_details/)
    assert.ok(!storedKeys(suite.user.configDir).includes('sandbox:refused'))
  })
})
