import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {createTestCa, type TestCa} from '../twins/tls-ca.js'
import {cliPath, makeUserEnv, runCli, sandboxStats, sandboxSuite, type RunResult} from './harness.js'

/**
 * kubectl (Debian's, from PATH) runs `oauthctl kubectl-credential` as its exec credential plugin, as
 * configured by `oauthctl setup-kubectl`, and sends the token to a fake API server that checks it. The
 * server speaks HTTPS with a test CA named in the kubeconfig: kubectl sends no credentials over plain HTTP.
 */

interface FakeApiServer {
  url: string
  expectedToken: string
  seen: string[]
  close(): Promise<void>
}

async function startFakeApiServer(ca: TestCa): Promise<FakeApiServer> {
  const fake: FakeApiServer = {url: '', expectedToken: '', seen: [], close: async () => {}}
  const context = ca.contextFor('localhost')
  const server: Server = createServer({SNICallback: (_name, done) => done(null, context)}, (req, res) => {
    const authorization = req.headers.authorization ?? ''
    fake.seen.push(authorization)
    if (!fake.expectedToken || authorization !== `Bearer ${fake.expectedToken}`) {
      res.writeHead(401, {'content-type': 'application/json'})
      res.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401}))
      return
    }
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify({major: '1', minor: '99', gitVersion: 'v1.99.0-fake'}))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  fake.url = `https://localhost:${port}`
  fake.close = () => new Promise((resolve) => server.close(() => resolve()))
  return fake
}

function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile('kubectl', args, {env, timeout: 60_000}, (error, stdout, stderr) => {
      resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr})
    })
  })
}

/** A kubeconfig with the fake cluster, one context on it, and an unrelated cluster and context. */
function writeKubeconfig(server: string, caFile: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'oauthctl-kube-')), 'config')
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${server}
    certificate-authority: ${caFile}
- name: other
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: fake-ctx
  context:
    cluster: fake
    user: nobody
- name: other-ctx
  context:
    cluster: other
    user: someone
current-context: other-ctx
users:
- name: someone
  user:
    token: unrelated-static-token
`,
  )
  return file
}

function assertOneLineError(result: RunResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, result.stderr)
  assert.equal(result.stdout, '')
  assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr)
  assert.match(result.stderr, pattern)
}

describe('kubectl exec credential plugin', () => {
  const suite = sandboxSuite()
  let ca: TestCa
  let api: FakeApiServer
  let kubeconfig: string
  before(async () => {
    ca = createTestCa()
    api = await startFakeApiServer(ca)
    kubeconfig = writeKubeconfig(api.url, ca.caFile)
  })
  after(async () => {
    await api?.close()
    ca?.cleanup()
    if (kubeconfig) rmSync(dirname(kubeconfig), {recursive: true, force: true})
  })

  it('a missing login is one line on stderr, exit 4, nothing on stdout', async () => {
    const fresh = makeUserEnv(suite.sandbox.issuer)
    try {
      assertOneLineError(await runCli(['kubectl-credential', 'sandbox'], fresh.env), 4, /^error: not logged in to sandbox \(profile default\); run: oauthctl login sandbox\n$/)
    } finally {
      fresh.cleanup()
    }
  })

  it('setup-kubectl writes the exec user and points the cluster context at it; kubectl sends the token to the API server', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const setup = await runCli(['setup-kubectl', '--cluster', 'fake', '--kubeconfig', kubeconfig, 'sandbox'], suite.user.env)
    assert.equal(setup.code, 0, setup.stderr)
    assert.equal(setup.stdout, '')
    const view = JSON.parse((await runKubectl(['--kubeconfig', kubeconfig, 'config', 'view', '-o', 'json'], suite.user.env)).stdout)
    const user = view.users.find((entry: {name: string}) => entry.name === 'oauthctl-sandbox')
    assert.deepEqual(user.user.exec, {
      command: realpathSync(cliPath),
      args: ['kubectl-credential', 'sandbox'],
      apiVersion: 'client.authentication.k8s.io/v1',
      env: null,
      interactiveMode: 'Never',
      provideClusterInfo: false,
    })
    const contexts = Object.fromEntries(view.contexts.map((entry: {name: string; context: {user: string}}) => [entry.name, entry.context.user]))
    assert.deepEqual(contexts, {'fake-ctx': 'oauthctl-sandbox', 'other-ctx': 'someone'})
    assert.equal(view['current-context'], 'other-ctx')

    api.expectedToken = (await runCli(['token'], suite.user.env)).stdout.trim()
    const version = await runKubectl(['--kubeconfig', kubeconfig, '--context', 'fake-ctx', 'get', '--raw', '/version'], suite.user.env)
    assert.equal(version.code, 0, version.stderr)
    assert.deepEqual(JSON.parse(version.stdout), {major: '1', minor: '99', gitVersion: 'v1.99.0-fake'})
    assert.ok(api.seen.includes(`Bearer ${api.expectedToken}`))
  })

  it('kubectl shows the one-line reason and fails when the login is gone', async () => {
    const fresh = makeUserEnv(suite.sandbox.issuer)
    try {
      const result = await runKubectl(['--kubeconfig', kubeconfig, '--context', 'fake-ctx', 'get', '--raw', '/version'], fresh.env)
      assert.notEqual(result.code, 0)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /error: not logged in to sandbox \(profile default\); run: oauthctl login sandbox/)
    } finally {
      fresh.cleanup()
    }
  })

  it('prints exactly an ExecCredential, in the apiVersion KUBERNETES_EXEC_INFO asks for', async () => {
    const token = (await runCli(['token', 'sandbox'], suite.user.env)).stdout.trim()
    for (const apiVersion of ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']) {
      const execInfo = JSON.stringify({kind: 'ExecCredential', apiVersion, spec: {interactive: false}})
      const result = await runCli(['kubectl-credential', '-p', 'sandbox'], {...suite.user.env, KUBERNETES_EXEC_INFO: execInfo})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      const credential = JSON.parse(result.stdout)
      assert.deepEqual(Object.keys(credential), ['apiVersion', 'kind', 'status'])
      assert.equal(credential.apiVersion, apiVersion)
      assert.equal(credential.kind, 'ExecCredential')
      assert.equal(credential.status.token, token)
      assert.match(credential.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    }
    const old = JSON.stringify({kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1alpha1'})
    assertOneLineError(await runCli(['kubectl-credential'], {...suite.user.env, KUBERNETES_EXEC_INFO: old}), 3, /v1alpha1/)
  })

  it('--id-token sends the ID token, and an expired one is renewed by one refresh', async () => {
    const first = JSON.parse((await runCli(['kubectl-credential', '--id-token'], suite.user.env)).stdout)
    assert.equal(first.status.token.split('.').length, 3)
    const claims = JSON.parse(Buffer.from(first.status.token.split('.')[1], 'base64url').toString())
    assert.equal(first.status.expirationTimestamp, new Date(claims.exp * 1000).toISOString().replace('.000Z', 'Z'))

    const tokenFile = join(suite.user.configDir, 'tokens', 'sandbox%3Adefault.json')
    const stored = JSON.parse(readFileSync(tokenFile, 'utf8'))
    const expired = [Buffer.from('{"alg":"none"}').toString('base64url'), Buffer.from(JSON.stringify({...claims, exp: Math.floor(Date.now() / 1000) - 10})).toString('base64url'), 'x'].join('.')
    stored.secrets.idToken = expired
    writeFileSync(tokenFile, JSON.stringify(stored))
    const refreshes = (await sandboxStats(suite.sandbox.issuer)).refreshGrants
    const renewed = await runCli(['kubectl-credential', 'sandbox', '--id-token'], suite.user.env)
    assert.equal(renewed.code, 0, renewed.stderr)
    const token = JSON.parse(renewed.stdout).status.token
    assert.notEqual(token, expired)
    assert.ok(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000 > Date.now() + 60_000)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, refreshes + 1)
    assert.equal(JSON.parse(readFileSync(tokenFile, 'utf8')).secrets.idToken, token)
  })

  it('OAUTHCTL_TOKEN is sent as is (no expiry); --id-token without an ID token is exit 4, one line', async () => {
    const fresh = makeUserEnv(suite.sandbox.issuer, {OAUTHCTL_TOKEN: 'ci-token'})
    try {
      const plain = await runCli(['kubectl-credential', 'sandbox'], fresh.env)
      assert.deepEqual(plain, {code: 0, stdout: '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"ci-token"}}\n', stderr: ''})
      assertOneLineError(await runCli(['kubectl-credential', 'sandbox', '--id-token'], fresh.env), 4, /^error: the sandbox login has no ID token; run: oauthctl login sandbox \(with the openid scope\)\n$/)
    } finally {
      fresh.cleanup()
    }
  })

  it('setup-kubectl refuses an unknown cluster and a missing kubectl with exit 3', async () => {
    const unknown = await runCli(['setup-kubectl', '--cluster', 'nope', '--kubeconfig', kubeconfig], suite.user.env)
    assert.equal(unknown.code, 3)
    assert.match(unknown.stderr, /^error: the kubeconfig has no cluster named nope\n.*fake, other/)
    const emptyPath = mkdtempSync(join(tmpdir(), 'oauthctl-empty-path-'))
    const noKubectl = await runCli(['setup-kubectl', '--cluster', 'fake', '--kubeconfig', kubeconfig], {...suite.user.env, PATH: emptyPath}).finally(() =>
      rmSync(emptyPath, {recursive: true, force: true}),
    )
    assert.equal(noKubectl.code, 3)
    assert.match(noKubectl.stderr, /^error: kubectl is not installed/)
  })
})

describe('kubectl-credential refreshes under the same lock as token', () => {
  // 10 s tokens: the refresh-ahead window is half the lifetime (5 s), so a token is fresh right after login
  // and due for refresh 6 s later, while the one refresh's new token is fresh again for the other runs.
  const suite = sandboxSuite(['--auto-approve', '--access-token-ttl', '10'])

  it('four kubectl plugin runs at once after expiry send one refresh and print the same token', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const before = (await runCli(['token'], suite.user.env)).stdout.trim()
    await new Promise((resolve) => setTimeout(resolve, 6_000))
    const refreshes = (await sandboxStats(suite.sandbox.issuer)).refreshGrants
    const results = await Promise.all([1, 2, 3, 4].map(() => runCli(['kubectl-credential'], suite.user.env)))
    for (const result of results) assert.equal(result.code, 0, result.stderr)
    const tokens = new Set(results.map((result) => JSON.parse(result.stdout).status.token))
    assert.equal(tokens.size, 1)
    assert.ok(!tokens.has(before))
    assert.equal((await sandboxStats(suite.sandbox.issuer)).refreshGrants, refreshes + 1)
  })

  it('a refresh the provider refuses is exit 4 with one line, nothing on stdout', async () => {
    const tokenFile = join(suite.user.configDir, 'tokens', 'sandbox%3Adefault.json')
    const stored = JSON.parse(readFileSync(tokenFile, 'utf8'))
    stored.secrets.expiresAt = Date.now() - 1000
    stored.secrets.refreshToken = 'not-a-valid-refresh-token'
    writeFileSync(tokenFile, JSON.stringify(stored))
    assertOneLineError(await runCli(['kubectl-credential', 'sandbox'], suite.user.env), 4, /^error: the sandbox refresh token was rejected .*; run: oauthctl login sandbox\n$/)
  })
})
