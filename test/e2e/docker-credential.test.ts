import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {makeUserEnv, root, runCli, runProcess, sandboxSuite, type RunResult} from './harness.js'

/**
 * docker's credential-helper protocol, driven through the shipped `bin/docker-credential-oauthctl` as
 * docker runs it (action in argv, request on stdin, answer on stdout), and by docker itself:
 * `docker manifest inspect` talks to a registry from the client alone (no engine needed) and asks the
 * helper named in credHelpers for the credentials it sends.
 */

const helperPath = join(root, 'bin', 'docker-credential-oauthctl')

function runHelper(action: string, input: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return runProcess(helperPath, [action], {env, input})
}

interface FakeRegistry {
  host: string
  /** `user:secret` the registry accepts with Basic auth. */
  expected: string
  seen: string[]
  close(): Promise<void>
}

/** A registry (distribution API v2) that wants Basic credentials and serves one tiny image manifest. */
async function startFakeRegistry(): Promise<FakeRegistry> {
  const registry: FakeRegistry = {host: '', expected: '', seen: [], close: async () => {}}
  const config = '{}'
  const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digest(config)},
    layers: [],
  })
  const server: Server = createServer((req, res) => {
    const authorization = req.headers.authorization ?? ''
    registry.seen.push(authorization)
    const headers = {'docker-distribution-api-version': 'registry/2.0'}
    if (authorization !== `Basic ${Buffer.from(registry.expected).toString('base64')}`) {
      res.writeHead(401, {...headers, 'www-authenticate': 'Basic realm="fake registry"'})
      return res.end()
    }
    const body = req.url?.includes('/blobs/') ? config : manifest
    res.writeHead(200, {...headers, 'content-type': 'application/vnd.docker.distribution.manifest.v2+json', 'docker-content-digest': digest(body)})
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  registry.host = `127.0.0.1:${(server.address() as {port: number}).port}`
  registry.close = () => new Promise((resolve) => server.close(() => resolve()))
  return registry
}

function assertOneLineError(result: RunResult, code: number, stdout: RegExp, stderr: RegExp): void {
  assert.equal(result.code, code, result.stderr)
  assert.match(result.stdout, stdout)
  assert.equal(result.stdout.split('\n').length, 2, result.stdout)
  assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr)
  assert.match(result.stderr, stderr)
}

describe('docker credential helper', () => {
  const suite = sandboxSuite()
  let registry: FakeRegistry
  let dockerHome: string
  before(async () => {
    registry = await startFakeRegistry()
    dockerHome = mkdtempSync(join(tmpdir(), 'oauthctl-docker-'))
  })
  after(async () => {
    await registry?.close()
    rmSync(dockerHome, {recursive: true, force: true})
  })

  it('an unmapped registry answers exactly "credentials not found in native keychain" on stdout, exit 1', async () => {
    const result = await runHelper('get', 'ghcr.io', suite.user.env)
    assert.equal(result.code, 1)
    assert.equal(result.stdout, 'credentials not found in native keychain\n')
    assert.match(result.stderr, /^error: no oauthctl login is mapped to registry ghcr\.io; run: oauthctl setup-docker --registry ghcr\.io <provider>\n$/)
  })

  it('get answers the mapped login\'s access token; list, store and erase leave the login alone', async () => {
    assert.equal((await runCli(['login', 'sandbox'], suite.user.env)).code, 0)
    const setup = await runCli(['setup-docker', '--registry', `https://${registry.host}/`, 'sandbox', '--username', 'robot'], suite.user.env)
    assert.equal(setup.code, 0, setup.stderr)
    assert.equal(setup.stdout, '')
    assert.match(setup.stderr, new RegExp(`"credHelpers": \\{"${registry.host.replace(/\./g, '\\.')}": "oauthctl"\\}`))
    const token = (await runCli(['token'], suite.user.env)).stdout.trim()

    for (const server of [registry.host, `https://${registry.host}`, `${registry.host}\n`]) {
      const got = await runHelper('get', server, suite.user.env)
      assert.equal(got.code, 0, got.stderr)
      assert.equal(got.stderr, '')
      assert.deepEqual(JSON.parse(got.stdout), {ServerURL: server.trim(), Username: 'robot', Secret: token})
    }
    const list = await runHelper('list', '', suite.user.env)
    assert.deepEqual([list.code, JSON.parse(list.stdout), list.stderr], [0, {[registry.host]: 'robot'}, ''])

    const stored = await runHelper('store', JSON.stringify({ServerURL: registry.host, Username: 'x', Secret: 'typed-password'}), suite.user.env)
    assert.deepEqual(stored, {code: 0, stdout: '', stderr: ''})
    const erased = await runHelper('erase', registry.host, suite.user.env)
    assert.deepEqual(erased, {code: 0, stdout: '', stderr: ''})
    assert.equal((await runCli(['token'], suite.user.env)).stdout.trim(), token)
    assert.doesNotMatch(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'), /typed-password/)
  })

  it('store for an unmapped registry refuses to keep the password (exit 3, reason on stdout for docker)', async () => {
    const result = await runHelper('store', JSON.stringify({ServerURL: 'other.example', Username: 'u', Secret: 'pw'}), suite.user.env)
    assertOneLineError(result, 3, /^oauthctl keeps no docker passwords and other\.example is not mapped to a login; run: oauthctl setup-docker/, /^error: oauthctl keeps no docker passwords/)
  })

  it('docker itself (credHelpers, no engine) sends the token to the registry', async () => {
    registry.expected = `robot:${(await runCli(['token'], suite.user.env)).stdout.trim()}`
    const bin = join(dockerHome, 'bin')
    mkdirSync(bin)
    symlinkSync(helperPath, join(bin, 'docker-credential-oauthctl'))
    writeFileSync(join(dockerHome, 'config.json'), JSON.stringify({credHelpers: {[registry.host]: 'oauthctl'}}))
    const env = {...suite.user.env, DOCKER_CONFIG: dockerHome, PATH: `${bin}:${suite.user.env.PATH}`}
    const result = await new Promise<RunResult>((resolve) =>
      execFile('docker', ['manifest', 'inspect', '--insecure', `${registry.host}/demo/app:1`], {env, timeout: 60_000}, (error, stdout, stderr) =>
        resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
      ),
    )
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).schemaVersion, 2)
    assert.ok(registry.seen.includes(`Basic ${Buffer.from(registry.expected).toString('base64')}`))
  })

  it('a mapped registry whose login is gone: exit 4, the one-line reason on stdout (docker shows it) and stderr', async () => {
    const fresh = makeUserEnv(suite.sandbox.issuer)
    try {
      assert.equal((await runCli(['setup-docker', '--registry', 'registry.example', 'sandbox'], fresh.env)).code, 0)
      const result = await runHelper('get', 'registry.example', fresh.env)
      const reason = 'not logged in to sandbox \\(profile default\\); run: oauthctl login sandbox'
      assertOneLineError(result, 4, new RegExp(`^${reason}\n$`), new RegExp(`^error: ${reason}\n$`))
    } finally {
      fresh.cleanup()
    }
  })

  it('the mapping survives in config.json with the default user name, and a bad registry or action is a usage error', async () => {
    const fresh = makeUserEnv(suite.sandbox.issuer)
    try {
      assert.equal((await runCli(['setup-docker', '--registry', 'Registry.Example:5000', '-p', 'sandbox'], fresh.env)).code, 0)
      const config = JSON.parse(readFileSync(join(fresh.configDir, 'config.json'), 'utf8'))
      assert.deepEqual(config.dockerRegistries, {'registry.example:5000': {provider: 'sandbox', profile: 'default', username: 'oauth2'}})
      assert.equal((await runCli(['setup-docker', '--registry', 'a b', 'sandbox'], fresh.env)).code, 2)
      assert.equal((await runCli(['setup-docker', '--registry', 'x.example', 'nope'], fresh.env)).code, 3)
      const bad = await runHelper('frobnicate', '', fresh.env)
      assert.equal(bad.code, 2)
      assert.equal(bad.stdout, '')
    } finally {
      fresh.cleanup()
    }
  })
})
