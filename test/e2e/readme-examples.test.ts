import assert from 'node:assert/strict'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {createTestCa, type TestCa} from '../twins/tls-ca.js'
import {twinBrowser} from '../twins/twin-harness.js'
import {startTwinProxy, type TwinProxy} from '../twins/twin-proxy.js'
import type {Twin} from '../twins/twin-kit.js'
import type {GithubTwin} from '../twins/providers/github.js'
import {makeUserEnv, root, runCli, runProcess, startSandboxProcess, type RunResult, type SandboxProcess} from './harness.js'
import {createAcmeIssuerTwin, createExampleApiTwin, createExtraTwins, findInvocations, README_APPS, README_SECRETS, readReadmeBlocks} from './readme-world.js'
import {makeShellEnv} from './shell.js'

/**
 * README.md is the contract: every command line of its ```sh blocks and every `$ ` line of its ```console
 * blocks is pasted into bash, in order per block, with the built CLI as `oauthctl` on PATH, a private
 * OAUTHCTL_CONFIG_DIR and HOME per block. The sandbox examples run against `oauthctl sandbox`; the examples
 * that name a real provider run against that provider's twin on its real host names (test/twins, behind a
 * TLS-terminating HTTPS_PROXY with a test CA that curl and git trust too). Nothing reaches the network.
 */

/** Lines that cannot run here, by name, with the reason and the test that covers them instead. */
const NOT_PASTED: Record<string, string> = {
  'npm install && npm run demo': 'installs from the registry (no network here); the demo is scripts/demo.mjs against the sandbox',
  'npm test': 'this suite itself (CI runs it: .ci/run)',
  'npm install': 'installs from the registry (no network here)',
  'npm run test:only -- callback': 'runs test files of this suite (test/callback)',
  'oauthctl sandbox &': 'a long-running server; test/e2e/sandbox-command.test.ts starts it',
  'oauthctl sandbox --port 9100 --auto-approve --access-token-ttl 5': 'a long-running server; test/e2e/sandbox-command.test.ts',
  'oauthctl login google --no-browser --timeout 120': 'waits for a person to open the printed URL; --no-browser is test/e2e/cli-errors.test.ts and login-flow.test.ts',
  'oauthctl exec github --env GITHUB_TOKEN -- gh api /user': 'gh is not installed here; exec --env is test/e2e/exec-and-curl.test.ts',
  'oauthctl exec github --env GITHUB_TOKEN -- gh repo list': 'gh is not installed here; exec --env is test/e2e/exec-and-curl.test.ts',
  'git clone https://github.com/OWNER/PRIVATE-REPO.git': 'needs a git host at github.com; the credential-helper clone is test/e2e/git-credential.test.ts',
  'kubectl --context prod get pods': 'needs a Kubernetes API server; the exec plugin under kubectl is test/e2e/kubectl-credential.test.ts',
  'oauthctl sandbox --client-keys ~/.sandbox-keys &': "a long-running server; this test's sandbox runs with --client-keys and its keys are put in ~/.sandbox-keys",
  'oauthctl sandbox --auto-approve &': "a long-running server (this test's sandbox runs with --auto-approve); test/e2e/sandbox-command.test.ts",
  'oauthctl login my-idp --jwt-bearer assertion.jwt --client-id my-app --client-secret "$SECRET"': 'needs an assertion your IdP issued; --jwt-bearer with a file is test/e2e/jwt-bearer.test.ts',
  'oauthctl providers add acme --issuer https://id.acme.example --client-id X --dpop': 'needs an issuer whose metadata offers DPoP; providers add --dpop is test/e2e/dpop.test.ts',
  'oauthctl login corp --jar-key ~/.config/corp/jar.pem': "needs your company's provider and its registered key; --jar-key is test/e2e/jar.test.ts",
  'oauthctl sandbox --auto-approve --mtls-dir ~/.sandbox-mtls &': 'a long-running server on fixed ports 9000/9443; test/e2e/mtls.test.ts runs this block with its own sandbox --mtls',
  'oauthctl providers add sandbox-mtls --issuer http://127.0.0.1:9000 --api-base https://127.0.0.1:9443/api': "names the mTLS sandbox's fixed ports; test/e2e/mtls.test.ts runs this block with its sandbox's ports",
  'oauthctl login sandbox-mtls --client-id oauthctl-mtls --client-auth tls-client-auth --cert ~/.sandbox-mtls/client.pem --key ~/.sandbox-mtls/client.key --cacert ~/.sandbox-mtls/ca.pem': 'needs the mTLS sandbox; test/e2e/mtls.test.ts runs this block',
  'oauthctl get -p sandbox-mtls /v2/me': 'needs the mTLS sandbox; test/e2e/mtls.test.ts runs this block',
  'oauthctl login sandbox-1a --profile ssh --paste': 'waits for a person to paste the verifier; the oob paste login is test/e2e/oauth1.test.ts',
}

/** Commands that act on a stored login (the test logs in first when the block has not). */
const NEEDS_LOGIN = new Set(['decode', 'token', 'exec', 'get', 'post', 'put', 'patch', 'delete', 'request', 'refresh', 'logout', 'switch', 'status', 'setup-git', 'setup-kubectl', 'setup-docker'])

/** Custom providers the README's examples assume the user added (`-p mycompany`). */
const CUSTOM_PROVIDERS: Record<string, string[]> = {
  mycompany: ['providers', 'add', 'mycompany', '--authorize-url', 'https://sso.mycompany.example/authorize', '--token-url', 'https://sso.mycompany.example/token', '--api-base', 'https://api.mycompany.example', '--client-id', 'X'],
}

const stripComment = (command: string) => command.replace(/\s+#.*$/, '').trim()

describe('every example in README.md runs as printed (sandbox and provider twins)', () => {
  let sandbox: SandboxProcess
  let ca: TestCa
  let proxy: TwinProxy
  const twins = new Map<string, Twin>()
  // The private_key_jwt client's key, as `oauthctl sandbox --client-keys ~/.sandbox-keys` writes it.
  const clientKeys = mkdtempSync(join(tmpdir(), 'oauthctl-readme-keys-'))

  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve', '--client-keys', clientKeys])
    ca = createTestCa()
    for (const [name, app] of Object.entries(README_APPS)) twins.set(name, app.twin())
    proxy = await startTwinProxy([...twins.values(), ...createExtraTwins(), createAcmeIssuerTwin(), createExampleApiTwin()], ca)
  })
  after(async () => {
    await proxy?.close()
    ca?.cleanup()
    await sandbox?.stop()
    rmSync(clientKeys, {recursive: true, force: true})
  })

  function makeBlockEnv() {
    const user = makeUserEnv(sandbox.issuer, {
      HTTPS_PROXY: proxy.url,
      https_proxy: proxy.url,
      HTTP_PROXY: proxy.url,
      http_proxy: proxy.url,
      ALL_PROXY: '',
      all_proxy: '',
      NO_PROXY: '127.0.0.1,localhost,::1',
      no_proxy: '127.0.0.1,localhost,::1',
      NODE_EXTRA_CA_CERTS: ca.caFile,
      CURL_CA_BUNDLE: ca.caFile,
      GIT_SSL_CAINFO: ca.caFile,
      OAUTHCTL_BROWSER: twinBrowser,
      ...README_SECRETS,
    })
    const shell = makeShellEnv(user.env)
    // Files the examples read: a token for `login --with-token < ~/.github-token`, a script for `exec -- ./deploy.sh`.
    const github = twins.get('github') as GithubTwin
    writeFileSync(join(shell.env.HOME!, '.github-token'), `${github.grants.issueTokens({clientId: README_APPS.github.clientId, scope: 'repo', user: 'octocat'}, false).access_token}\n`)
    // `-F 'meta[owner]=@owner.txt'` reads a file; `setup-kubectl --cluster prod` needs the user's cluster "prod".
    writeFileSync(join(shell.dir, 'owner.txt'), 'ada\n')
    cpSync(clientKeys, join(shell.env.HOME!, '.sandbox-keys'), {recursive: true})
    mkdirSync(join(shell.env.HOME!, '.kube'))
    writeFileSync(join(shell.env.HOME!, '.kube', 'config'), 'apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://127.0.0.1:6443\ncontexts: []\nusers: []\n')
    writeFileSync(join(shell.dir, 'deploy.sh'), '#!/bin/sh\ntest -n "$OAUTH_TOKEN"\n')
    chmodSync(join(shell.dir, 'deploy.sh'), 0o755)
    return {
      env: shell.env,
      dir: shell.dir,
      configDir: user.configDir,
      cleanup() {
        shell.cleanup()
        user.cleanup()
      },
    }
  }

  type BlockEnv = ReturnType<typeof makeBlockEnv>

  function readConfig(block: BlockEnv): {logins?: Record<string, {provider: string}>; defaultProvider?: string; defaultProfiles?: Record<string, string>} {
    const file = join(block.configDir, 'config.json')
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  }

  /** Logs in to `provider` (as `profile`) when the block has not, and keeps the block's default login. */
  async function ensureLogin(block: BlockEnv, provider: string, profile?: string): Promise<void> {
    const config = readConfig(block)
    const logins = Object.keys(config.logins ?? {})
    if (CUSTOM_PROVIDERS[provider]) {
      if (!existsSync(join(block.configDir, 'config.json')) || !JSON.stringify(config).includes(`"${provider}"`)) {
        const added = await runCli(CUSTOM_PROVIDERS[provider], block.env)
        assert.equal(added.code, 0, added.stderr)
      }
      return
    }
    if (profile ? logins.includes(`${provider}:${profile}`) : logins.some((key) => key.startsWith(`${provider}:`))) return
    const app = README_APPS[provider]
    const args = ['login', provider, ...(profile ? ['--profile', profile] : [])]
    if (app) args.push(...app.login, '--client-id', app.clientId, ...(app.clientSecret ? ['--client-secret', app.clientSecret] : []))
    const result = await runCli(args, block.env)
    assert.equal(result.code, 0, `setup: oauthctl ${args.join(' ')}\n${result.stderr}`)
    if (config.defaultProvider) {
      const back = await runCli(['switch', config.defaultProvider, config.defaultProfiles?.[config.defaultProvider] ?? 'default'], block.env)
      assert.equal(back.code, 0, back.stderr)
    }
  }

  it('each command line exits 0 (console blocks print what the README shows); the rest are exempted by name', async () => {
    const known = new Set(['sandbox', ...Object.keys(README_APPS), ...Object.keys(CUSTOM_PROVIDERS)])
    const skipped = new Set<string>()
    const failures: string[] = []
    let pasted = 0
    for (const readmeBlock of readReadmeBlocks(root)) {
      const block = makeBlockEnv()
      try {
        for (const {line, command, output} of readmeBlock.commands) {
          const name = stripComment(command)
          if (name in NOT_PASTED) {
            skipped.add(name)
            continue
          }
          const invocations = findInvocations(command, known)
          let lineEnv = block.env
          for (const invocation of invocations) {
            if (invocation.command === 'login' || !NEEDS_LOGIN.has(invocation.command)) continue
            if (invocation.provider && known.has(invocation.provider)) await ensureLogin(block, invocation.provider, invocation.profile)
            else if (Object.keys(readConfig(block).logins ?? {}).length === 0) await ensureLogin(block, 'sandbox')
          }
          const app = README_APPS[invocations.find((invocation) => invocation.provider)?.provider ?? '']
          if (app) lineEnv = {...block.env, OAUTHCTL_CLIENT_ID: app.clientId, ...(app.clientSecret ? {OAUTHCTL_CLIENT_SECRET: app.clientSecret} : {})}
          let result: RunResult
          try {
            result = await runProcess('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', command], {env: lineEnv, cwd: command.startsWith('./bin/') ? root : block.dir, timeoutMs: 20_000})
          } catch (error) {
            failures.push(`README.md:${line}: ${command}\n${(error as Error).message}`)
            continue
          }
          const where = `README.md:${line}: ${command}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`
          const ok = output !== undefined ? `${result.stdout}${result.stderr}`.trim() === output.trim() : result.code === 0 && !/needs a client id|error:/.test(result.stderr)
          if (!ok) failures.push(`exit ${result.code}: ${where}`)
          pasted++
        }
      } finally {
        block.cleanup()
      }
    }
    assert.deepEqual(failures, [])
    assert.deepEqual([...skipped].sort(), Object.keys(NOT_PASTED).sort(), 'every exemption names a README line')
    assert.ok(pasted >= 55, `${pasted} README lines pasted`)
    assert.deepEqual(proxy.refused, [], 'nothing was meant for the network')
  })
})
