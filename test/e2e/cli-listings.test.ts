import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {runCli, sandboxSuite} from './harness.js'
import {makeShellEnv, runBash} from './shell.js'

describe('against the sandbox: listings, status, -p, --debug first, dates', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let shell: ReturnType<typeof makeShellEnv>
  before(() => {
    shell = makeShellEnv(suite.user.env)
  })
  after(() => shell.cleanup())

  it('`status --check || oauthctl login sandbox` logs in when nothing is stored (status exit 4)', async () => {
    const result = await runBash('oauthctl status --check || oauthctl login sandbox', shell.env, shell.dir)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^error: not logged in to any provider$/m)
    assert.match(result.stderr, /^Logged in to sandbox as Demo User \(demo\), profile default\.$/m)
    const again = await runBash('oauthctl status --check || oauthctl login sandbox', shell.env, shell.dir)
    assert.equal(again.code, 0)
    assert.doesNotMatch(again.stderr, /Logged in to/)
  })

  it('login -p and --json: dates as ISO 8601, like status --json', async () => {
    const login = await runCli(['login', '-p', 'sandbox', '--profile', 'other', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const record = JSON.parse(login.stdout)
    assert.match(record.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.match(record.obtainedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const status = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout) as {profile: string; expiresAt: string}[]
    assert.equal(status.find((entry) => entry.profile === 'other')?.expiresAt, record.expiresAt)
  })

  it('a profile named "default" is not read as the default login; the * is explained', async () => {
    assert.equal((await runCli(['switch', '-p', 'sandbox', '--profile', 'other'], suite.user.env)).code, 0)
    const status = await runCli(['status'], suite.user.env)
    assert.equal(status.code, 0, status.stderr)
    assert.equal(status.stderr, '')
    assert.match(status.stdout, /^ {2}sandbox, profile "default": Demo User \(demo\)$/m)
    assert.match(status.stdout, /^\* sandbox, profile "other": Demo User \(demo\)$/m)
    assert.match(status.stdout, /\n\* the default login: used when no provider is named\n$/)
    const json = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout) as {profile: string; default: boolean}[]
    assert.deepEqual(json.map((entry) => [entry.profile, entry.default]), [['default', false], ['other', true]])
  })

  it('-p/--provider and --profile on token, introspect, switch and logout', async () => {
    const viaFlag = await runCli(['token', '-p', 'sandbox', '--profile', 'default'], suite.user.env)
    const viaArg = await runCli(['token', 'sandbox', '--profile', 'default'], suite.user.env)
    assert.equal(viaFlag.code, 0, viaFlag.stderr)
    assert.equal(viaFlag.stdout, viaArg.stdout)
    const introspect = await runCli(['introspect', '--provider', 'sandbox', '--profile', 'other'], suite.user.env)
    assert.equal(introspect.code, 0, introspect.stderr)
    assert.equal(JSON.parse(introspect.stdout).active, true)
    const switched = await runCli(['switch', '--provider', 'sandbox', '--profile', 'default'], suite.user.env)
    assert.equal(switched.code, 0, switched.stderr)
    assert.equal(switched.stderr, 'Default is now sandbox (profile default).\n')
    const logout = await runCli(['logout', '-p', 'sandbox', '--profile', 'other', '--no-revoke'], suite.user.env)
    assert.equal(logout.code, 0, logout.stderr)
    assert.match(logout.stderr, /Logged out of sandbox \(profile other\)/)
  })

  it('switch: a mistyped provider or profile gets the closest logged-in one', async () => {
    const provider = await runCli(['switch', 'sandbx'], suite.user.env)
    assert.equal(provider.code, 4)
    assert.equal(provider.stderr, 'error: not logged in to sandbx\nDid you mean this? sandbox\nRun: oauthctl switch sandbox\nOr run: oauthctl login sandbx\n')
    const profile = await runCli(['switch', 'sandbox', 'defualt'], suite.user.env)
    assert.equal(profile.code, 4)
    assert.match(profile.stderr, /^error: not logged in to sandbox with profile defualt\nDid you mean this\? default\nRun: oauthctl switch sandbox default\n/)
  })

  it('token and get: a mistyped profile gets the closest one of that provider (fast path)', async () => {
    for (const [args, corrected] of [
      [['token', '-p', 'sandbox', '--profile', 'defautl'], 'oauthctl token -p sandbox --profile default'],
      [['get', '--profile', 'defualt', '/v2/me'], 'oauthctl get --profile default /v2/me'],
    ] as const) {
      const result = await runCli([...args], suite.user.env)
      assert.equal(result.code, 4, args.join(' '))
      assert.equal(result.stdout, '')
      assert.match(result.stderr, new RegExp(`^error: not logged in to sandbox \\(profile ${args.at(-1) === '/v2/me' ? 'defualt' : 'defautl'}\\)\nDid you mean this\\? default\nRun: ${corrected}\nOr run: oauthctl login sandbox --profile \\w+\n$`))
    }
  })

  it('--debug before the command name works like after it (fast path and oclif path)', async () => {
    const get = await runCli(['--debug', 'get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'demo')
    assert.match(get.stderr, /^debug: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/me/m)
    const status = await runCli(['--debug', 'status', '--json'], suite.user.env)
    assert.equal(status.code, 0, status.stderr)
  })

  it('providers list and show go to stdout (grep works), the table fits 80 columns', async () => {
    const grep = await runBash('oauthctl providers list | grep github', shell.env, shell.dir)
    assert.equal(grep.code, 0, grep.stderr)
    assert.match(grep.stdout, /^github +built-in +id \+ secret +yes +http:\/\/127\.0\.0\.1\/callback \(any port\)\n$/)
    const list = await runCli(['providers', 'list'], suite.user.env)
    assert.equal(list.code, 0)
    const lines = list.stdout.trimEnd().split('\n')
    // 28 OAuth 2.0 presets (sandbox included) + 6 OAuth 1.0a ones (issue 12: sandbox-1a and five services).
    assert.equal(lines.length, 1 + 34 + 2)
    for (const line of lines) assert.ok([...line].length <= 80, `${line.length}: ${line}`)
    assert.match(list.stdout, /^salesforce +built-in +id +no +http:\/\/localhost:1717\/OauthRedirect$/m)
    const show = await runCli(['providers', 'show', 'sandbox'], suite.user.env)
    assert.equal(show.code, 0)
    assert.equal(show.stderr, '')
    assert.match(show.stdout, /^oauthctl sandbox \(sandbox\): built-in preset\n/)
  })
})
