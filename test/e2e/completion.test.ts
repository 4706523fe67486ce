import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, makeUserEnv, root, runCli, runProcess} from './harness.js'
import {makeShellEnv, runBash} from './shell.js'

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

  /**
   * Sources `oauthctl completion zsh` in a real zsh after compinit (as the README says), checks that it
   * registered itself for oauthctl, and runs the registered function per line with `words`/`CURRENT` set as
   * zsh's completion system sets them, capturing what it hands to `compadd` (or `_files` when nothing).
   */
  async function completeInZsh(lines: string[]): Promise<string[][]> {
    const script = [
      `autoload -U compinit && compinit -u -d '${join(shell.dir, 'zcompdump')}'`,
      'eval "$(oauthctl completion zsh)"',
      'print -r -- "registered: ${_comps[oauthctl]}"',
      'compadd() { [[ $1 == -a ]] && print -r -- "[${(j:,:)${(P)2}}]" }',
      '_files() { print -r -- "[_files]" }',
      ...lines.map((line) => {
        const words = line.split(' ')
        return `words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}; \${_comps[oauthctl]}`
      }),
    ].join('\n')
    const result = await runProcess('zsh', ['-f', '-c', script], {env: shell.env, cwd: shell.dir, timeoutMs: 60_000})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    const [registration, ...answers] = result.stdout.trimEnd().split('\n')
    assert.equal(registration, 'registered: _oauthctl')
    return answers.map((answer) => (answer === '[_files]' ? [] : answer.slice(1, -1).split(',')))
  }

  /** Sources `oauthctl completion fish` in a real fish and asks fish itself what completes each line (`complete -C`). */
  async function completeInFish(lines: string[]): Promise<string[][]> {
    const script = ['oauthctl completion fish | source', ...lines.map((line) => `echo "[$(complete -C '${line}' | string join ,)]"`)].join('\n')
    const result = await runProcess('fish', ['--no-config', '-c', script], {env: shell.env, cwd: shell.dir, timeoutMs: 60_000})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    return result.stdout.trimEnd().split('\n').map((answer) => (answer === '[]' ? [] : answer.slice(1, -1).split(',')))
  }

  const cases: [string, string[]][] = [
    ['oauthctl prov', ['providers']],
    ['oauthctl lo', ['login', 'logout']],
    ['oauthctl providers s', ['show']],
    ['oauthctl login g', ['github', 'google', 'gitlab']],
    ['oauthctl login ac', ['acme-corp']],
    ['oauthctl login bad', []],
    ['oauthctl get --pag', ['--paginate']],
    ['oauthctl token -p acme', ['acme-corp']],
    ['oauthctl token --provider sa', ['sandbox', 'sandbox-1a', 'salesforce']],
    ['oauthctl switch ', ['sandbox', 'acme-corp']],
    ['oauthctl switch sandbox ', ['default', 'work']],
    ['oauthctl token -p acme-corp --profile ', ['ops']],
    ['oauthctl status --j', ['--json', '--jq']],
    ['oauthctl status --js', ['--json']],
    ['oauthctl completion ', ['bash', 'zsh', 'fish']],
    ['oauthctl help exit', ['exit-codes']],
    ['oauthctl --debug tok', ['token']],
    ['oauthctl get /v2/', []],
    ['oauthctl providers remove ', ['acme-corp']],
  ]

  it('a real bash completes commands, subcommands, flags, providers (presets and your own) and profiles', async () => {
    const answers = await completeInBash(cases.map(([line]) => line))
    for (const [index, [line, expected]] of cases.entries()) assert.deepEqual(answers[index], expected, line)
  })

  it('a real zsh (compinit) completes the same', async () => {
    const answers = await completeInZsh(cases.map(([line]) => line))
    for (const [index, [line, expected]] of cases.entries()) assert.deepEqual(answers[index], expected, line)
  })

  it('a real fish completes the same (fish sorts the candidates)', async () => {
    const answers = await completeInFish(cases.map(([line]) => line))
    for (const [index, [line, expected]] of cases.entries()) assert.deepEqual(answers[index], expected.toSorted(), line)
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
    assert.equal(result.stdout, 'sandbox\nsandbox-1a\nslack\nspotify\nstrava\nsalesforce\n')
    const imports = readFileSync(importsFile, 'utf8')
    assert.ok(imports.includes('/dist/cli/complete.js'), 'the recorder saw the completion helper')
    assert.ok(!imports.includes('@oclif/core'), '@oclif/core must not be loaded')
    writeFileSync(join(user.configDir, 'config.json'), '{not json')
    const broken = await runCli(['__complete', 'login', 's'], user.env)
    assert.equal(broken.code, 0)
    assert.equal(broken.stderr, '')
    assert.equal(broken.stdout, 'sandbox\nsandbox-1a\nslack\nspotify\nstrava\nsalesforce\n')
  })
})
