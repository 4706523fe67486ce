import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {makeUserEnv, runCli} from './harness.js'

describe('help everywhere, did-you-mean, -p (no provider needed)', () => {
  const user = makeUserEnv('http://127.0.0.1:9')
  after(() => user.cleanup())

  it('`help login`, `login -h` and `login --help` print the same help on stdout, exit 0', async () => {
    const results = await Promise.all([['help', 'login'], ['login', '-h'], ['login', '--help']].map((args) => runCli(args, user.env)))
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      assert.match(result.stdout, /^USAGE\n {2}\$ oauthctl login \[PROVIDER\]/m)
      assert.equal(result.stdout, results[0].stdout)
    }
    const topic = await runCli(['help', 'providers', 'add'], user.env)
    assert.equal(topic.code, 0, topic.stderr)
    assert.match(topic.stdout, /\$ oauthctl providers add NAME/)
    for (const args of [['token', '-h'], ['get', '-h'], ['status', '-h'], ['providers', 'list', '-h']]) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stdout, /^USAGE$/m, args.join(' '))
    }
  })

  it('help topics: environment and exit-codes, listed in the root help', async () => {
    const environment = await runCli(['help', 'environment'], user.env)
    assert.equal(environment.code, 0)
    assert.match(environment.stdout, /^ {2}OAUTHCTL_CONFIG_DIR +Where all state lives/m)
    assert.match(environment.stdout, /^ {2}OAUTHCTL_TOKEN +Use this access token/m)
    const codes = await runCli(['help', 'exit-codes'], user.env)
    assert.equal(codes.code, 0)
    assert.match(codes.stdout, /^ {2}4 +not logged in, or the refresh failed/m)
    assert.match(codes.stdout, /^ {2}130 +interrupted/m)
    const root = await runCli(['--help'], user.env)
    assert.equal(root.code, 0)
    assert.match(root.stdout, /^HELP TOPICS\n {2}environment +Environment variables oauthctl reads\.\n {2}exit-codes +What each exit status means\.$/m)
    assert.match(root.stdout, /^ {2}completion +Print the shell completion script/m)
    assert.equal((await runCli(['-h'], user.env)).stdout, root.stdout)
  })

  it('`version`, `--version` and `-v` print the same line', async () => {
    const results = await Promise.all([['version'], ['--version'], ['-v']].map((args) => runCli(args, user.env)))
    for (const result of results) {
      assert.equal(result.code, 0)
      assert.match(result.stdout, /^oauthctl\/0\.1\.0 \S+ node-v\d+\.\d+\.\d+\n$/)
      assert.equal(result.stdout, results[0].stdout)
    }
    assert.equal(JSON.parse((await runCli(['version', '--json'], user.env)).stdout).version, '0.1.0')
  })

  it('a missing argument has no false "provide all arguments before flags" note', async () => {
    const result = await runCli(['get', '-H', 'Accept: x'], user.env)
    assert.equal(result.code, 2)
    assert.equal(result.stdout, '')
    assert.equal(result.stderr, 'error: Missing 1 required arg:\npath  API path (/v2/me) or absolute URL on an API host.\nSee `oauthctl get --help`.\n')
  })

  it('did you mean: a mistyped command, subcommand, help subject or flag exits 2 with the command to run', async () => {
    const cases: [string[], string][] = [
      [['logn', 'sandbox'], 'error: unknown command "logn"\nDid you mean this? login\nRun: oauthctl login sandbox\nSee `oauthctl help` for the list of commands.\n'],
      [['lgoin'], 'error: unknown command "lgoin"\nDid you mean this? login\nRun: oauthctl login\nSee `oauthctl help` for the list of commands.\n'],
      [['providers', 'lst'], 'error: unknown command "providers lst"\nDid you mean this? list\nRun: oauthctl providers list\nSee `oauthctl help` for the list of commands.\n'],
      [['help', 'logn'], 'error: no command or help topic "logn"\nDid you mean this? login\nRun: oauthctl help login\nSee `oauthctl help` for the commands and topics.\n'],
      [['help', 'enviroment'], 'error: no command or help topic "enviroment"\nDid you mean this? environment\nRun: oauthctl help environment\nSee `oauthctl help` for the commands and topics.\n'],
      [['get', '--paginat', '/items'], 'error: unknown flag --paginat\nDid you mean this? --paginate\nRun: oauthctl get --paginate /items\nSee `oauthctl get --help`.\n'],
      [['status', '--jsno'], 'error: unknown flag --jsno\nDid you mean this? --json\nRun: oauthctl status --json\nSee `oauthctl status --help`.\n'],
      [['providers', 'show', 'github', '--prot=8085'], 'error: unknown flag --prot\nDid you mean this? --port\nRun: oauthctl providers show github --port=8085\nSee `oauthctl providers show --help`.\n'],
      // Short flags: the same letter in the other case (the fast path's commands fall back to oclif for these).
      [['token', '-P', 'sandbox'], 'error: unknown flag -P\nDid you mean this? -p\nRun: oauthctl token -p sandbox\nSee `oauthctl token --help`.\n'],
      [['get', '-I', '/items'], 'error: unknown flag -I\nDid you mean this? -i\nRun: oauthctl get -i /items\nSee `oauthctl get --help`.\n'],
      [['get', '-Q', 'a=b', '/items'], 'error: unknown flag -Q\nDid you mean this? -q\nRun: oauthctl get -q a=b /items\nSee `oauthctl get --help`.\n'],
      [['logout', '-P', 'sandbox'], 'error: unknown flag -P\nDid you mean this? -p\nRun: oauthctl logout -p sandbox\nSee `oauthctl logout --help`.\n'],
      [['status', '-jsn'], 'error: unknown flag -jsn\nDid you mean this? --json\nRun: oauthctl status --json\nSee `oauthctl status --help`.\n'],
      // No other letter: -x is not a typo of -h.
      [['logout', '-x'], 'error: unknown flag -x\nSee `oauthctl logout --help`.\n'],
      // -H is curl's and gh's header, never -h (help): the command's --header when it has one, else nothing.
      [['token', '-H'], 'error: unknown flag -H\nDid you mean this? --header\nRun: oauthctl token --header\nSee `oauthctl token --help`.\n'],
      [['token', '-H', 'sandbox'], 'error: unknown flag -H\nDid you mean this? --header\nRun: oauthctl token --header sandbox\nSee `oauthctl token --help`.\n'],
      [['status', '-H'], 'error: unknown flag -H\nSee `oauthctl status --help`.\n'],
      [['logout', '-H'], 'error: unknown flag -H\nSee `oauthctl logout --help`.\n'],
      // A letter with no near flag and no meaning borrowed from curl or gh: nothing.
      [['token', '-Z'], 'error: unknown flag -Z\nSee `oauthctl token --help`.\n'],
      [['token', '-J'], 'error: unknown flag -J\nSee `oauthctl token --help`.\n'],
    ]
    for (const [args, stderr] of cases) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 2, args.join(' '))
      assert.equal(result.stdout, '', args.join(' '))
      assert.equal(result.stderr, stderr, args.join(' '))
    }
  })

  it('did you mean: -h is help itself (not a mistyped -H) wherever -H means something else', async () => {
    for (const args of [['get', '-h'], ['token', '-h']]) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 0, args.join(' '))
      assert.match(result.stdout, /^USAGE\n  \$ oauthctl (get|token) /m, args.join(' '))
    }
  })

  it('did you mean: nothing close is suggested as nothing', async () => {
    const command = await runCli(['frobnicate'], user.env)
    assert.equal(command.code, 2)
    assert.equal(command.stderr, 'error: unknown command "frobnicate"\nSee `oauthctl help` for the list of commands.\n')
    const flag = await runCli(['get', '--zzzzzz', '/x'], user.env)
    assert.equal(flag.code, 2)
    assert.equal(flag.stderr, 'error: unknown flag --zzzzzz\nSee `oauthctl get --help`.\n')
  })

  it('did you mean: a mistyped provider exits 3 before anything else, with the corrected command, quoted for the shell', async () => {
    const result = await runCli(['login', 'githb', '--scope', 'read:org', '--client-id', "it's"], user.env)
    assert.equal(result.code, 3)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^error: unknown provider "githb"\nDid you mean this\? github\nRun: oauthctl login github --scope read:org --client-id 'it'\\''s'\nKnown providers: /)
    const add = ['providers', 'add', 'acme-corp', '--authorize-url', 'https://sso.acme.example/a', '--token-url', 'https://sso.acme.example/t', '--api-base', 'https://api.acme.example', '--client-id', 'x']
    assert.equal((await runCli(add, user.env)).code, 0)
    const own = await runCli(['providers', 'show', 'acme-crop'], user.env)
    assert.equal((await runCli(['providers', 'remove', 'acme-corp'], user.env)).code, 0)
    assert.equal(own.code, 3, own.stderr)
    assert.match(own.stderr, /^Did you mean this\? acme-corp\nRun: oauthctl providers show acme-corp$/m)
  })

  it('-p/--provider is accepted where a provider is taken; two different providers are a usage error', async () => {
    const token = await runCli(['token', '-p', 'sandbox'], user.env)
    assert.equal(token.code, 4, token.stderr)
    assert.match(token.stderr, /not logged in to sandbox \(profile default\)/)
    for (const args of [['token', 'github', '-p', 'sandbox'], ['login', 'github', '--provider', 'sandbox'], ['switch', 'github', '-p', 'sandbox']]) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, /^error: two providers given: "github" and -p "sandbox"\n/, args.join(' '))
    }
    const none = await runCli(['login'], user.env)
    assert.equal(none.code, 2)
    assert.match(none.stderr, /^error: missing provider\n/)
    const show = await runCli(['providers', 'show', '-p', 'linkedin', '--json'], user.env)
    assert.equal(show.code, 0, show.stderr)
    assert.equal(JSON.parse(show.stdout).name, 'linkedin')
  })

  it('status exits 4 with nothing stored', async () => {
    const result = await runCli(['status'], user.env)
    assert.equal(result.code, 4)
    assert.equal(result.stdout, '')
    const check = await runCli(['status', '--check'], user.env)
    assert.equal(check.code, 4)
  })
})
