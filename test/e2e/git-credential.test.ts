import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliPath, runCli, sandboxSuite} from './harness.js'
import {git, startGitServer, type GitServer} from './git-server.js'

/** git itself, as a user runs it (asynchronously: the git server runs in this process). */
function runGit(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {env, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    child.stdin.end(input)
  })
}

describe('git over HTTP asks oauthctl for the token (setup-git + git-credential, with the real git)', () => {
  const suite = sandboxSuite(['--auto-approve'])
  let home: string
  let env: NodeJS.ProcessEnv
  let server: GitServer
  let token: string
  let host: string

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'oauthctl-git-'))
    env = {...suite.user.env, HOME: home, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0'}
    for (const name of ['GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_DIR', 'GIT_WORK_TREE']) delete env[name]
    assert.equal((await runCli(['login', 'sandbox'], env)).code, 0)
    token = (await runCli(['token'], env)).stdout.trim()
    server = await startGitServer(join(home, 'server'), env)
    host = new URL(server.url).host
  })
  after(async () => {
    await server?.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('setup-git writes the helper for the host by absolute path, after an empty entry, and remembers the login', async () => {
    const result = await runCli(['setup-git', '--host', host, 'sandbox'], env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.equal(result.stderr, `git now asks oauthctl for http://${host} (login sandbox, user oauth2).\n`)
    const helpers = git(['config', '--global', '--get-all', `credential.http://${host}.helper`], env).split('\n')
    assert.deepEqual(helpers, ['', `!'${process.execPath}' '${cliPath}' git-credential`, ''])
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    assert.deepEqual(config.gitHosts[host], {provider: 'sandbox', username: 'oauth2'})
    // Running it again changes nothing (no second helper line).
    assert.equal((await runCli(['setup-git', '--host', host, 'sandbox'], env)).code, 0)
    assert.equal(git(['config', '--global', '--get-all', `credential.http://${host}.helper`], env).split('\n').length, 3)
  })

  it('git ls-remote gets through the 401 with the user name and a fresh token from the helper', async () => {
    server.expect.credentials = `oauth2:${token}`
    server.authorizations.length = 0
    const result = await runGit(['ls-remote', `${server.url}/repo.git`], env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, `${server.head}\tHEAD\n${server.head}\trefs/heads/main\n`)
    assert.deepEqual(server.authorizations, [undefined, `Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`])
  })

  it('git credential fill gets the answer, with password_expiry_utc so caches drop it in time', async () => {
    const result = await runGit(['credential', 'fill'], env, `protocol=http\nhost=${host}\n\n`)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`^protocol=http\\nhost=${host}\\nusername=oauth2\\npassword=${token}\\n(password_expiry_utc=\\d+\\n)?$`))
  })

  it("uses the host's user name: x-access-token for a host mapped to github", async () => {
    const other = await startGitServer(join(home, 'server2'), env)
    try {
      const otherHost = new URL(other.url).host
      assert.equal((await runCli(['setup-git', '--host', otherHost, 'github'], env)).code, 0)
      // No github login here: a token given in the environment stands for one.
      other.expect.credentials = 'x-access-token:gh-token-123'
      const result = await runGit(['ls-remote', `${other.url}/repo.git`], {...env, OAUTHCTL_TOKEN: 'gh-token-123'})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, `${other.head}\tHEAD\n${other.head}\trefs/heads/main\n`)
    } finally {
      await other.close()
    }
  })

  it('a mapped host without its login: git fails with one line from oauthctl, the helper exits 4 and writes nothing on stdout', async () => {
    assert.equal((await runCli(['setup-git', '--host', host, 'sandbox', '--profile', 'nobody'], env)).code, 0)
    try {
      const helper = await runCli(['git-credential', 'get'], env, `protocol=http\nhost=${host}\n\n`)
      assert.equal(helper.code, 4)
      assert.equal(helper.stdout, '')
      assert.equal(helper.stderr, 'oauthctl: not logged in to sandbox (profile nobody). Run: oauthctl login sandbox --profile nobody\n')
      const result = await runGit(['ls-remote', `${server.url}/repo.git`], env)
      assert.notEqual(result.code, 0)
      assert.match(result.stderr, /^oauthctl: not logged in to sandbox \(profile nobody\)\. Run: oauthctl login sandbox --profile nobody$/m)
    } finally {
      assert.equal((await runCli(['setup-git', '--host', host, 'sandbox'], env)).code, 0)
    }
  })

  it('an unknown host, plain http to a remote host, or another protocol gets no answer and exit 0 (git tries its other helpers)', async () => {
    assert.equal((await runCli(['setup-git', 'github'], env)).code, 0)
    const withToken = {...env, OAUTHCTL_TOKEN: 'gh-token-123'}
    const answered = await runCli(['git-credential', 'get'], withToken, 'protocol=https\nhost=GitHub.com\n\n')
    assert.equal(answered.stdout, 'username=x-access-token\npassword=gh-token-123\n')
    for (const request of [
      'protocol=https\nhost=example.com\n\n',
      'protocol=http\nhost=github.com\n\n',
      'protocol=ftp\nhost=github.com\n\n',
      'host=github.com\n\n',
      'protocol=https\nhost=127.0.0.1:1\n\n',
      `protocol=https\nhost=${host}.evil.example\n\n`,
      '',
    ]) {
      const result = await runCli(['git-credential', 'get'], withToken, request)
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, '', ''], JSON.stringify(request))
    }
  })

  it('store and erase do nothing: the login stays and still answers', async () => {
    for (const operation of ['store', 'erase', 'some-future-operation']) {
      const result = await runCli(['git-credential', operation], env, `protocol=http\nhost=${host}\nusername=oauth2\npassword=${token}\n\n`)
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, '', ''], operation)
    }
    const status = await runCli(['status', '--json'], env)
    assert.equal(JSON.parse(status.stdout).length, 1)
    const again = await runCli(['git-credential', 'get'], env, `protocol=http\nhost=${host}\n\n`)
    assert.match(again.stdout, new RegExp(`^username=oauth2\\npassword=${token}\\n`))
  })

  it('setup-git refuses a host that is not a host name (exit 2) and an unknown host without a provider (exit 2)', async () => {
    const bad = await runCli(['setup-git', '--host', 'github.com/evil helper', 'github'], env)
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /is not a host name/)
    const unknown = await runCli(['setup-git', '--host', 'git.example.com'], env)
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /no provider is known for git\.example\.com/)
  })
})
