import assert from 'node:assert/strict'
import {cpSync, mkdirSync, readFileSync, statSync} from 'node:fs'
import {request} from 'node:https'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {makeUserEnv, root, runCli, sandboxSuite} from './harness.js'
import {spawnCli, storedEntry} from './interactive.js'
import {readReadmeBlocks} from './readme-world.js'
import {makeShellEnv, runBash} from './shell.js'

/* Mutual TLS (RFC 8705) against `oauthctl sandbox --mtls`: tls_client_auth and self_signed_tls_client_auth
 * logins through the mTLS endpoint aliases, certificate-bound tokens checked by the demo API on the
 * sandbox's HTTPS listener, refresh, revocation, and the refusals. */

interface Files {
  dir: string
  ca: string
  cert: string
  key: string
  selfCert: string
  selfKey: string
  otherCert: string
  otherKey: string
}

function filesFrom(stderr: string): {origin: string; files: Files} {
  const origin = /mTLS \(RFC 8705\) listener at (https:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
  const dir = /CA certificate: +(\S+)\/ca\.pem/.exec(stderr)?.[1]
  assert.ok(origin && dir, stderr)
  const file = (name: string) => join(dir, name)
  return {
    origin,
    files: {
      dir,
      ca: file('ca.pem'),
      cert: file('client.pem'),
      key: file('client.key'),
      selfCert: file('self.pem'),
      selfKey: file('self.key'),
      otherCert: file('other.pem'),
      otherKey: file('other.key'),
    },
  }
}

async function stats(issuer: string): Promise<{grants: Record<string, number>; revocations: number; mtlsRequests?: Record<string, number>}> {
  return (await (await fetch(`${issuer}/sandbox/stats`)).json()) as never
}

/** A GET over TLS trusting `ca`, with or without a client certificate. */
function httpsGet(url: string, token: string, tls: {ca: string; cert?: string; key?: string}): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {headers: {authorization: `Bearer ${token}`}, ca: readFileSync(tls.ca), ...(tls.cert ? {cert: readFileSync(tls.cert), key: readFileSync(tls.key as string)} : {}), agent: false}, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.once('error', reject)
    req.end()
  })
}

const TLS = (files: Files) => ['--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth', '--cert', files.cert, '--key', files.key, '--cacert', files.ca]

describe('mTLS client authentication and certificate-bound tokens (RFC 8705)', () => {
  const suite = sandboxSuite(['--auto-approve', '--mtls'])
  let origin = ''
  let files: Files

  before(async () => {
    // The files are listed on stderr just after the issuer line on stdout.
    for (let i = 0; i < 100 && !/oauthctl login sandbox-mtls/.test(suite.sandbox.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    ;({origin, files} = filesFrom(suite.sandbox.stderr()))
    const added = await runCli(['providers', 'add', 'sandbox-mtls', '--issuer', suite.sandbox.issuer, '--api-base', `${origin}/api`], suite.user.env)
    assert.equal(added.code, 0, added.stderr)
  })

  const keyText = () => readFileSync(files.key, 'utf8').trim()
  const assertNoKey = (...texts: string[]) => {
    const body = keyText().split('\n').slice(1, -1).join('')
    for (const text of texts) assert.ok(!text.includes(body.slice(0, 40)), 'the private key leaked')
  }

  it('the sandbox prints the CA, client certificate and key and the login command; key files are 0600', () => {
    const stderr = suite.sandbox.stderr()
    assert.match(stderr, /oauthctl login sandbox-mtls --client-id oauthctl-mtls --client-auth tls-client-auth --cert \S+client\.pem --key \S+client\.key --cacert \S+ca\.pem/)
    for (const key of [files.key, files.selfKey]) assert.equal(statSync(key).mode & 0o777, 0o600)
    assert.equal(statSync(files.dir).mode & 0o777, 0o700)
  })

  it('providers add --issuer records the mTLS endpoint aliases, certificate binding and methods from discovery', () => {
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    const entry = config.providers['sandbox-mtls']
    assert.equal(entry.mtlsEndpointAliases.token_endpoint, `${origin}/token`)
    assert.equal(entry.mtlsEndpointAliases.revocation_endpoint, `${origin}/token/revocation`)
    assert.equal(entry.certificateBoundTokens, true)
    assert.ok(entry.tokenEndpointAuthMethods.includes('tls_client_auth'))
    assert.ok(entry.tokenEndpointAuthMethods.includes('self_signed_tls_client_auth'))
  })

  it('login with tls_client_auth goes to the token alias; the certificate and key go to the credential store only', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'] ?? 0
    const result = await runCli(['login', 'sandbox-mtls', ...TLS(files), '--json', '--debug'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    const record = JSON.parse(result.stdout)
    assert.equal(record.clientAuth, 'tls_client_auth')
    assert.equal(record.certificateBound, true)
    assert.match(result.stderr, /TLS client certificate of oauthctl-mtls kept in .* for later logins/)
    const after = await stats(suite.sandbox.issuer)
    assert.equal(after.mtlsRequests?.['/token'], before + 1)
    const stored = storedEntry(suite.user.configDir, 'sandbox-mtls:default') as {clientCert?: {cert: string; key: string; ca?: string}}
    assert.equal(stored.clientCert?.key.trim(), keyText())
    assert.equal(stored.clientCert?.ca, readFileSync(files.ca, 'utf8'))
    assertNoKey(result.stdout, result.stderr, readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
  })

  it('get presents the certificate to the API, which accepts the bound token', async () => {
    const result = await runCli(['get', '/v2/me', '--debug'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).id, 'demo')
    assert.ok((await stats(suite.sandbox.issuer)).mtlsRequests?.['/api/v2/me'])
    assertNoKey(result.stderr)
  })

  it('the token alone is refused by the API: without a certificate and with another one (invalid_token)', async () => {
    const token = await runCli(['token'], suite.user.env)
    assert.equal(token.code, 0, token.stderr)
    assert.match(token.stderr, /certificate-bound \(RFC 8705\): an API accepts it only over a TLS connection made with the login's client certificate/)
    const value = token.stdout.trim()
    const bare = await httpsGet(`${origin}/api/v2/me`, value, {ca: files.ca})
    assert.equal(bare.status, 401)
    assert.equal(JSON.parse(bare.body).error, 'invalid_token')
    const other = await httpsGet(`${origin}/api/v2/me`, value, {ca: files.ca, cert: files.otherCert, key: files.otherKey})
    assert.equal(other.status, 401)
    assert.match(JSON.parse(other.body).error_description, /bound to another client certificate/)
    const right = await httpsGet(`${origin}/api/v2/me`, value, {ca: files.ca, cert: files.cert, key: files.key})
    assert.equal(right.status, 200)
  })

  it('status --check reaches userinfo at its mTLS alias with the certificate', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/me'] ?? 0
    const result = await runCli(['status', '--check'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`accepted by ${origin.replace(/[.]/g, '\\.')}/me`))
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/me'], before + 1)
  })

  it('introspect authenticates at the introspection alias with the certificate', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/token/introspection'] ?? 0
    const result = await runCli(['introspect'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).active, true)
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/token/introspection'], before + 1)
  })

  it('status shows the login as certificate-bound', async () => {
    const human = await runCli(['status'], suite.user.env)
    assert.match(human.stdout, /refreshable, certificate-bound; store: file/)
    const json = await runCli(['status', '--json'], suite.user.env)
    assert.equal(JSON.parse(json.stdout)[0].certificateBound, true)
  })

  it('refresh goes through the alias with the stored certificate; the new token is still bound', async () => {
    const first = storedEntry(suite.user.configDir, 'sandbox-mtls:default')?.accessToken
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'] ?? 0
    const refresh = await runCli(['refresh'], suite.user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
    const second = storedEntry(suite.user.configDir, 'sandbox-mtls:default')?.accessToken as string
    assert.notEqual(second, first)
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'], before + 1)
    assert.equal((await httpsGet(`${origin}/api/v2/me`, second, {ca: files.ca})).status, 401)
    const get = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
  })

  it('curl and netrc formats and exec refuse a certificate-bound token (exit 3)', async () => {
    for (const args of [['token', '--header'], ['token', '--curl-config'], ['token', '--netrc', new URL(origin).hostname], ['exec', '--', 'true']]) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /has a certificate-bound token \(mTLS\), which .* cannot use/)
      assert.equal(result.stdout, '')
    }
  })

  it('the certificate is never presented to a host outside the API origins (--allow-host)', async () => {
    // The plain-http listener is another origin: the token may go there when allowed, the certificate cannot
    // (and the demo API there refuses the bound token).
    const result = await runCli(['get', `${suite.sandbox.issuer}/api/v2/me`, '--allow-host', new URL(suite.sandbox.issuer).host], suite.user.env)
    assert.equal(result.code, 7, result.stderr)
    assert.match(result.stdout, /certificate-bound and this request came without a client certificate/)
  })

  it('self_signed_tls_client_auth: login, get and refresh with the self-signed certificate', async () => {
    const login = await runCli(['login', 'sandbox-mtls', '--profile', 'self', '--client-id', 'oauthctl-mtls-self', '--client-auth', 'self-signed-tls-client-auth', '--cert', files.selfCert, '--key', files.selfKey, '--cacert', files.ca], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    const get = await runCli(['get', '/v2/me', '--profile', 'self'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal((await runCli(['refresh', '--profile', 'self'], suite.user.env)).code, 0)
    assert.equal((await runCli(['get', '/v2/me', '--profile', 'self'], suite.user.env)).code, 0)
  })

  it('a later login of the client id reuses the stored certificate', async () => {
    const result = await runCli(['login', 'sandbox-mtls', '--profile', 'again', '--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal((await runCli(['get', '/v2/me', '--profile', 'again'], suite.user.env)).code, 0)
  })

  it('PAR and the device flow go to their aliases with the certificate', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests ?? {}
    const par = await runCli(['login', 'sandbox-mtls', '--profile', 'par', '--par', ...TLS(files)], suite.user.env)
    assert.equal(par.code, 0, par.stderr)
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/request'], (before['/request'] ?? 0) + 1)
    const cli = spawnCli(['login', 'sandbox-mtls', '--profile', 'device', '--device', ...TLS(files)], suite.user.env)
    const [, userCode] = await cli.waitForStderr(/enter the code: (\S+)/)
    const approved = await fetch(`${suite.sandbox.issuer}/sandbox/device/approve`, {method: 'POST', body: new URLSearchParams({user_code: userCode as string, action: 'approve'})})
    assert.equal(approved.status, 200)
    assert.equal(await cli.exited, 0, cli.stderr())
    const after = (await stats(suite.sandbox.issuer)).mtlsRequests ?? {}
    assert.equal(after['/device/auth'], (before['/device/auth'] ?? 0) + 1)
    assert.equal((await runCli(['get', '/v2/me', '--profile', 'device'], suite.user.env)).code, 0)
  })

  it('client credentials with tls_client_auth: stored, used by get, renewed with the stored certificate', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'] ?? 0
    const login = await runCli(['login', 'sandbox-mtls', '--profile', 'machine', '--client-credentials', ...TLS(files), '--scope', 'api', '--json'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(JSON.parse(login.stdout).certificateBound, true)
    const get = await runCli(['get', '/v2/me', '--profile', 'machine'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).id, 'oauthctl-mtls')
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'], before + 1)
  })

  it('token exchange authenticates with the certificate kept for the client id and keeps the new token bound', async () => {
    const before = (await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'] ?? 0
    const result = await runCli(['token', 'exchange', '-p', 'sandbox-mtls', '--subject-token', 'sandbox-mtls:default', '--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth', '--save-as', 'exchanged'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal((await stats(suite.sandbox.issuer)).mtlsRequests?.['/token'], before + 1)
    const get = await runCli(['get', '/v2/me', '--profile', 'exchanged'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
  })

  it('a certificate the server does not accept for the client: exit 5 (invalid_client), nothing stored', async () => {
    const result = await runCli(['login', 'sandbox-mtls', '--profile', 'wrong', '--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth', '--cert', files.otherCert, '--key', files.otherKey, '--cacert', files.ca], suite.user.env)
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /invalid_client/)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox-mtls:wrong'), undefined)
    const self = await runCli(['login', 'sandbox-mtls', '--profile', 'wrong', '--client-id', 'oauthctl-mtls-self', '--client-auth', 'self-signed-tls-client-auth', '--cert', files.cert, '--key', files.key, '--cacert', files.ca], suite.user.env)
    assert.equal(self.code, 5, self.stderr)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox-mtls:wrong'), undefined)
  })

  it('bad flags and files: --cert without --key is exit 2; an unreadable file or a key of another certificate is exit 3', async () => {
    const base = ['login', 'sandbox-mtls', '--profile', 'bad', '--client-id', 'oauthctl-mtls', '--client-auth', 'tls-client-auth', '--no-browser']
    const alone = await runCli([...base, '--cert', files.cert], suite.user.env)
    assert.equal(alone.code, 2, alone.stderr)
    assert.match(alone.stderr, /--cert and --key go together/)
    const missing = await runCli([...base, '--cert', join(files.dir, 'nope.pem'), '--key', files.key], suite.user.env)
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(missing.stderr, /cannot read the --cert file .*nope\.pem: ENOENT/)
    const mismatched = await runCli([...base, '--cert', files.cert, '--key', files.selfKey], suite.user.env)
    assert.equal(mismatched.code, 3, mismatched.stderr)
    assert.match(mismatched.stderr, /the private key \S+self\.key does not belong to the certificate \S+client\.pem/)
    const notKey = await runCli([...base, '--cert', files.cert, '--key', files.ca], suite.user.env)
    assert.equal(notKey.code, 3, notKey.stderr)
    assert.match(notKey.stderr, /holds no PEM private key/)
    for (const result of [alone, missing, mismatched, notKey]) assert.doesNotMatch(result.stderr, /Open this URL/)
  })

  it('tls-client-auth without a certificate is exit 3 before any browser', async () => {
    const result = await runCli(['login', 'sandbox-mtls', '--profile', 'nocert', '--client-id', 'oauthctl-mtls-new', '--client-auth', 'tls-client-auth'], suite.user.env)
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /tls_client_auth needs the TLS client certificate of oauthctl-mtls-new/)
    assert.doesNotMatch(result.stderr, /Open this URL/)
  })

  it('logout revokes at the revocation alias with the certificate and forgets the key', async () => {
    const before = await stats(suite.sandbox.issuer)
    const result = await runCli(['logout', 'sandbox-mtls', '--profile', 'default'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Revoked the refresh token and access token/)
    const after = await stats(suite.sandbox.issuer)
    assert.equal(after.mtlsRequests?.['/token/revocation'], (before.mtlsRequests?.['/token/revocation'] ?? 0) + 2)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox-mtls:default'), undefined)
  })

  it('the README example runs as printed (with this sandbox\'s ports and files)', async () => {
    const block = readReadmeBlocks(root).find((candidate) => candidate.commands.some(({command}) => command.includes('sandbox --auto-approve --mtls-dir')))
    assert.ok(block, 'the README has the mTLS example')
    const user = makeUserEnv(suite.sandbox.issuer)
    const shell = makeShellEnv(user.env)
    try {
      mkdirSync(join(shell.env.HOME as string, '.sandbox-mtls'))
      for (const [from, to] of [[files.ca, 'ca.pem'], [files.cert, 'client.pem'], [files.key, 'client.key']]) cpSync(from, join(shell.env.HOME as string, '.sandbox-mtls', to))
      const commands = block.commands.map(({command}) => command).filter((command) => !command.startsWith('oauthctl sandbox '))
      assert.equal(commands.length, 4)
      for (const command of commands) {
        const line = command.replaceAll('http://127.0.0.1:9000', suite.sandbox.issuer).replaceAll('https://127.0.0.1:9443', origin)
        const result = await runBash(line, shell.env, shell.dir)
        assert.equal(result.code, 0, `${command}\n${result.stderr}`)
        if (command.includes(' get ')) assert.equal(JSON.parse(result.stdout).id, 'demo')
        if (command.includes(' status')) assert.match(result.stdout, /refreshable, certificate-bound; store: file/)
      }
    } finally {
      shell.cleanup()
      user.cleanup()
    }
  })

})
