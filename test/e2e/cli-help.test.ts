import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, makeUserEnv, root, runCli, sandboxSuite, type RunResult} from './harness.js'

/** A PATH with `oauthctl` on it (the built CLI), as after `npm install -g`, for pasted shell lines. */
function makeShellEnv(env: NodeJS.ProcessEnv): {env: NodeJS.ProcessEnv; dir: string; cleanup(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-shell-'))
  mkdirSync(join(dir, 'bin'))
  mkdirSync(join(dir, 'home'))
  symlinkSync(cliPath, join(dir, 'bin', 'oauthctl'))
  return {
    dir,
    env: {...env, PATH: `${join(dir, 'bin')}:${dirname(process.execPath)}:${env.PATH ?? ''}`, HOME: join(dir, 'home')},
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}

/** Runs a shell line in bash (as pasted at a prompt), in `cwd`. */
function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', script], {env, cwd, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`bash -c ${script} timed out; stderr: ${stderr}`))
    }, 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    child.stdin.end(input)
  })
}

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
    ]
    for (const [args, stderr] of cases) {
      const result = await runCli(args, user.env)
      assert.equal(result.code, 2, args.join(' '))
      assert.equal(result.stdout, '', args.join(' '))
      assert.equal(result.stderr, stderr, args.join(' '))
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
    assert.equal(provider.stderr, 'error: not logged in to sandbx\nDid you mean this? sandbox\nRun: oauthctl switch sandbox\nTo log in to it instead: oauthctl login sandbx\n')
    const profile = await runCli(['switch', 'sandbox', 'defualt'], suite.user.env)
    assert.equal(profile.code, 4)
    assert.match(profile.stderr, /^error: not logged in to sandbox with profile defualt\nDid you mean this\? default\nRun: oauthctl switch sandbox default\n/)
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
    assert.equal(lines.length, 1 + 17 + 2)
    for (const line of lines) assert.ok([...line].length <= 80, `${line.length}: ${line}`)
    assert.match(list.stdout, /^salesforce +built-in +id \+ secret +no +http:\/\/localhost:1717\/OauthRedirect$/m)
    const show = await runCli(['providers', 'show', 'sandbox'], suite.user.env)
    assert.equal(show.code, 0)
    assert.equal(show.stderr, '')
    assert.match(show.stdout, /^oauthctl sandbox \(sandbox\): built-in preset\n/)
  })
})

describe('every example in every command\'s help runs as printed against the sandbox', () => {
  const suite = sandboxSuite(['--auto-approve'])
  /** Examples that start a server or wait for a person; each is covered by its own e2e test. */
  const NOT_PASTED = new Set([
    'oauthctl sandbox &',
    'oauthctl sandbox --port 9100 --auto-approve --access-token-ttl 5 &',
    'oauthctl login sandbox --device',
    'oauthctl login sandbox --no-browser --paste',
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

describe('shell completion', () => {
  const user = makeUserEnv('http://127.0.0.1:9')
  let shell: ReturnType<typeof makeShellEnv>
  before(() => {
    shell = makeShellEnv(user.env)
    writeFileSync(
      join(user.configDir, 'config.json'),
      JSON.stringify({
        defaultProvider: 'sandbox',
        providers: {'acme-corp': {authorizeUrl: 'https://sso.acme.example/a', tokenUrl: 'https://sso.acme.example/t', apiBase: 'https://api.acme.example'}, 'bad name;rm -rf': {}},
        logins: {
          'sandbox:default': {provider: 'sandbox', profile: 'default', store: 'file', scopes: [], obtainedAt: 1, hasRefreshToken: false, grant: 'import'},
          'sandbox:work': {provider: 'sandbox', profile: 'work', store: 'file', scopes: [], obtainedAt: 1, hasRefreshToken: false, grant: 'import'},
          'acme-corp:ops': {provider: 'acme-corp', profile: 'ops', store: 'file', scopes: [], obtainedAt: 1, hasRefreshToken: false, grant: 'import'},
        },
      }),
    )
  })
  after(() => {
    shell.cleanup()
    user.cleanup()
  })

  /** Sources `oauthctl completion bash` in a real bash and completes each line (the last word is the one being typed). */
  async function completeInBash(lines: string[]): Promise<string[][]> {
    const script = [
      'eval "$(oauthctl completion bash)"',
      'complete -p oauthctl',
      ...lines.map((line) => {
        const words = line.split(' ')
        return `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _oauthctl_complete; echo "[$(IFS=,; echo "\${COMPREPLY[*]}")]"`
      }),
    ].join('\n')
    const result = await runBash(script, shell.env, shell.dir)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    const [registration, ...answers] = result.stdout.trimEnd().split('\n')
    assert.equal(registration, 'complete -o default -F _oauthctl_complete oauthctl')
    return answers.map((answer) => (answer === '[]' ? [] : answer.slice(1, -1).split(',')))
  }

  it('a real bash completes commands, subcommands, flags, providers (presets and your own) and profiles', async () => {
    const cases: [string, string[]][] = [
      ['oauthctl prov', ['providers']],
      ['oauthctl lo', ['login', 'logout']],
      ['oauthctl providers s', ['show']],
      ['oauthctl login g', ['github', 'google', 'gitlab']],
      ['oauthctl login ac', ['acme-corp']],
      ['oauthctl login bad', []],
      ['oauthctl get --pag', ['--paginate']],
      ['oauthctl token -p acme', ['acme-corp']],
      ['oauthctl token --provider sa', ['sandbox', 'salesforce']],
      ['oauthctl switch ', ['sandbox', 'acme-corp']],
      ['oauthctl switch sandbox ', ['default', 'work']],
      ['oauthctl token -p acme-corp --profile ', ['ops']],
      ['oauthctl status --j', ['--json']],
      ['oauthctl completion ', ['bash', 'zsh', 'fish']],
      ['oauthctl help exit', ['exit-codes']],
      ['oauthctl --debug tok', ['token']],
      ['oauthctl get /v2/', []],
      ['oauthctl providers remove ', ['acme-corp']],
    ]
    const answers = await completeInBash(cases.map(([line]) => line))
    for (const [index, [line, expected]] of cases.entries()) assert.deepEqual(answers[index], expected, line)
  })

  it('zsh and fish scripts call the same helper', async () => {
    for (const shellName of ['zsh', 'fish']) {
      const result = await runCli(['completion', shellName], user.env)
      assert.equal(result.code, 0)
      assert.match(result.stdout, /oauthctl __complete /)
    }
    const bad = await runCli(['completion', 'tcsh'], user.env)
    assert.equal(bad.code, 2)
  })

  it('__complete never loads @oclif/core and never fails, even with a broken config file', async () => {
    const importsFile = join(shell.dir, 'imports')
    const result = await runBash(
      `node --import '${join(root, 'test', 'e2e', 'fixtures', 'record-imports.mjs')}' '${cliPath}' __complete login s`,
      {...shell.env, RECORD_IMPORTS_FILE: importsFile},
      shell.dir,
    )
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'sandbox\nslack\nspotify\nstrava\nsalesforce\n')
    const imports = readFileSync(importsFile, 'utf8')
    assert.ok(imports.includes('/dist/cli/complete.js'), 'the recorder saw the completion helper')
    assert.ok(!imports.includes('@oclif/core'), '@oclif/core must not be loaded')
    writeFileSync(join(user.configDir, 'config.json'), '{not json')
    const broken = await runCli(['__complete', 'login', 's'], user.env)
    assert.equal(broken.code, 0)
    assert.equal(broken.stderr, '')
    assert.equal(broken.stdout, 'sandbox\nslack\nspotify\nstrava\nsalesforce\n')
  })
})
