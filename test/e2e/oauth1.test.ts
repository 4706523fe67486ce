import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createServer} from 'node:http'
import {after, before, describe, it} from 'node:test'
import {signRequest} from '../../src/http/oauth1-signature.js'
import {makeUserEnv, runCli, sandboxSuite, startSandboxProcess, type SandboxProcess, type UserEnv} from './harness.js'
import {spawnCli, storedEntry} from './interactive.js'

type Stored = {accessToken: string; tokenSecret?: string; clientSecret?: string}

function stored(user: UserEnv, provider = 'sandbox-1a'): Stored {
  const entry = storedEntry(user.configDir, `${provider}:default`) as Stored | undefined
  assert.ok(entry, `no stored login for ${provider}`)
  return entry
}

/** A request to the sandbox's demo API signed by hand with the stored token, as a replaying attacker would. */
function signedMe(issuer: string, entry: Stored, overrides: {nonce?: string; timestamp?: number; tokenSecret?: string} = {}): {url: URL; header: string} {
  const url = new URL(`${issuer}/oauth1/api/me`)
  const header = signRequest({
    method: 'GET',
    url,
    consumerKey: 'oauthctl-oauth1',
    signatureMethod: 'HMAC-SHA1',
    secrets: {consumerSecret: '', tokenSecret: overrides.tokenSecret ?? entry.tokenSecret},
    token: entry.accessToken,
    nonce: overrides.nonce,
    timestamp: overrides.timestamp,
  })
  return {url, header}
}

describe('OAuth 1.0a against the sandbox (loopback login, signed API calls)', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('logs in three-legged through the loopback listener: empty stdout, the authorize URL and the user on stderr', async () => {
    const result = await runCli(['login', 'sandbox-1a'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, new RegExp(`${suite.sandbox.issuer}/oauth1/authorize\\?oauth_token=[\\w-]+`))
    assert.match(result.stderr, /Logged in to sandbox-1a as Demo User \(demo\), profile default\./)
    const entry = stored(suite.user)
    assert.match(entry.tokenSecret ?? '', /^[\w-]{20,}$/)
    const config = readFileSync(join(suite.user.configDir, 'config.json'), 'utf8')
    assert.ok(!config.includes(entry.accessToken) && !config.includes(entry.tokenSecret as string), 'no token or token secret in config.json')
    assert.equal(JSON.parse(config).logins['sandbox-1a:default'].grant, 'oauth1')
  })

  it('get signs the request (HMAC-SHA1) and the demo API answers', async () => {
    const result = await runCli(['get', '/me'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {id: 'demo', name: 'Demo User', signature_method: 'HMAC-SHA1'})
  })

  it('post -f sends the fields form-encoded and signed with the query (RFC 5849 §3.4.1.3)', async () => {
    const result = await runCli(['post', '/echo', '-q', 'q=a b', '-f', 'title=Hello Ladies + Gentlemen!', '-f', 'n=1'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {method: 'POST', query: {q: 'a b'}, form: {title: 'Hello Ladies + Gentlemen!', n: '1'}})
  })

  it('a JSON body (--data) is sent and signed without its content as parameters', async () => {
    const result = await runCli(['post', '/echo', '--data', '{"a":1}'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {method: 'POST', query: {}, form: {}})
  })

  it('paginated and repeated calls each carry a fresh nonce (no replay refusals)', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await runCli(['get', '/me', '--paginate'], suite.user.env)
      assert.equal(result.code, 0, result.stderr)
    }
  })

  it('the demo API refuses a replayed nonce, a stale timestamp, a wrong token secret and a bare token', async () => {
    const entry = stored(suite.user)
    const now = Math.floor(Date.now() / 1000)
    const first = signedMe(suite.sandbox.issuer, entry, {nonce: 'replay-me', timestamp: now})
    assert.equal((await fetch(first.url, {headers: {authorization: first.header}})).status, 200)
    const replay = await fetch(first.url, {headers: {authorization: first.header}})
    assert.equal(replay.status, 401)
    assert.deepEqual(await replay.json(), {error: 'nonce_used'})
    const stale = signedMe(suite.sandbox.issuer, entry, {timestamp: now - 600})
    const staleAnswer = await fetch(stale.url, {headers: {authorization: stale.header}})
    assert.deepEqual([staleAnswer.status, await staleAnswer.json()], [401, {error: 'timestamp_refused'}])
    const future = signedMe(suite.sandbox.issuer, entry, {timestamp: now + 600})
    assert.equal((await fetch(future.url, {headers: {authorization: future.header}})).status, 401)
    const forged = signedMe(suite.sandbox.issuer, entry, {tokenSecret: 'guessed'})
    const forgedAnswer = await fetch(forged.url, {headers: {authorization: forged.header}})
    assert.deepEqual([forgedAnswer.status, await forgedAnswer.json()], [401, {error: 'signature_invalid'}])
    const bearer = await fetch(first.url, {headers: {authorization: `Bearer ${entry.accessToken}`}})
    assert.equal(bearer.status, 401)
  })

  it('status shows OAuth 1.0a; token --json never includes the token secret', async () => {
    const status = await runCli(['status'], suite.user.env)
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /token: OAuth 1\.0a \(signed requests\), no expiry; store: file/)
    const entry = stored(suite.user)
    const json = await runCli(['token', '--json'], suite.user.env)
    assert.equal(json.code, 0, json.stderr)
    assert.equal(JSON.parse(json.stdout).accessToken, entry.accessToken)
    assert.equal(JSON.parse(json.stdout).tokenType, 'OAuth')
    assert.ok(!json.stdout.includes(entry.tokenSecret as string))
    const check = await runCli(['status', '--check'], suite.user.env)
    assert.equal(check.code, 0, check.stderr + check.stdout)
    assert.match(check.stdout + check.stderr, /accepted by http:\/\/127\.0\.0\.1:\d+\/oauth1\/api\/me/)
    const debug = await runCli(['get', '/me', '--debug'], suite.user.env)
    assert.equal(debug.code, 0, debug.stderr)
    assert.ok(!debug.stderr.includes(entry.tokenSecret as string), 'the token secret is redacted in --debug')
  })

  it('refresh says OAuth 1.0a tokens do not refresh (exit 4)', async () => {
    const result = await runCli(['refresh'], suite.user.env)
    assert.equal(result.code, 4)
    assert.match(result.stderr, /the sandbox-1a login is OAuth 1\.0a: its token does not expire and cannot be refreshed/)
  })

  it('exec and the credential helpers refuse an OAuth 1.0a login (exit 3): a bare token cannot sign', async () => {
    const exec = await runCli(['exec', '--', 'true'], suite.user.env)
    assert.equal(exec.code, 3)
    // The program that would get the token is named, as for a DPoP-bound login.
    assert.match(exec.stderr, /the command "true" cannot use the sandbox-1a login: .* speaks OAuth 1\.0a/)
    const kubectl = await runCli(['kubectl-credential', '-p', 'sandbox-1a'], suite.user.env)
    assert.equal(kubectl.code, 3, kubectl.stderr)
    assert.match(kubectl.stderr, /kubectl cannot use the sandbox-1a login: .* speaks OAuth 1\.0a/)
  })

  it('OAUTHCTL_TOKEN alone cannot call an OAuth 1.0a API (exit 3), and --device is a usage error', async () => {
    const result = await runCli(['get', '/me', '-p', 'sandbox-1a'], {...suite.user.env, OAUTHCTL_TOKEN: 'bare'})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /needs the token secret of a stored login/)
    const device = await runCli(['login', 'sandbox-1a', '--device'], suite.user.env)
    assert.equal(device.code, 2)
  })

  it('a request-token endpoint that cannot be reached (a proxy that refuses the tunnel) is exit 7, not a crash', async () => {
    // A proxy that refuses every CONNECT, as the README-examples world's proxy refuses hosts it has no twin for.
    const proxy = createServer((_req, res) => res.writeHead(403).end())
    proxy.on('connect', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'))
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const other = makeUserEnv(suite.sandbox.issuer, {HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as {port: number}).port}`, NO_PROXY: '127.0.0.1,localhost,::1'})
    try {
      const result = await runCli(['login', 'trello', '--client-id', 'KEY', '--client-secret', 'SECRET'], other.env)
      assert.equal(result.code, 7, result.stderr)
      assert.match(result.stderr, /could not reach trello\.com to get the request token .*nothing was stored/)
      assert.equal(storedEntry(other.configDir, 'trello:default'), undefined)
    } finally {
      other.cleanup()
      proxy.close()
    }
  })

  it('a wrong consumer secret is refused at the request token (exit 5), nothing stored', async () => {
    const other = makeUserEnv(suite.sandbox.issuer, {OAUTHCTL_CLIENT_SECRET: 'wrong'})
    try {
      const result = await runCli(['login', 'sandbox-1a'], other.env)
      assert.equal(result.code, 5)
      assert.match(result.stderr, /refused the request token request \(HTTP 401\): \{"error":"signature_invalid"\}/)
      assert.equal(storedEntry(other.configDir, 'sandbox-1a:default'), undefined)
    } finally {
      other.cleanup()
    }
  })

  it('logout --revoke revokes the token at the revoke endpoint; it no longer signs', async () => {
    const entry = stored(suite.user)
    const result = await runCli(['logout', '--revoke'], suite.user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Revoked the access token at oauthctl sandbox \(OAuth 1\.0a\)\./)
    const after = signedMe(suite.sandbox.issuer, entry)
    assert.equal((await fetch(after.url, {headers: {authorization: after.header}})).status, 401)
  })
})

describe('OAuth 1.0a: oob paste and a callback with another oauth_token', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('--paste uses oauth_callback=oob and exchanges the pasted verifier', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--paste'], suite.user.env)
    const [authorize] = await live.waitForStderr(/http:\/\/\S+\/oauth1\/authorize\?oauth_token=[\w-]+/)
    const page = await (await fetch(authorize)).text()
    const verifier = /<code id="verifier">([\w-]+)<\/code>/.exec(page)?.[1]
    assert.ok(verifier, page)
    live.child.stdin.end(`${verifier}\n`)
    assert.equal(await live.exited, 0, live.stderr())
    assert.match(live.stderr(), /Logged in to sandbox-1a as Demo User/)
    const get = await runCli(['get', '/me'], suite.user.env)
    assert.equal(get.code, 0, get.stderr)
  })

  it('--paste refuses a pasted URL whose oauth_token is not this login\u2019s (exit 5)', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--paste', '--profile', 'stale'], suite.user.env)
    await live.waitForStderr(/oauth_token=[\w-]+/)
    live.child.stdin.end('http://127.0.0.1:1/callback?oauth_token=someone-else&oauth_verifier=abc\n')
    assert.equal(await live.exited, 5)
    assert.match(live.stderr(), /oauth_token is not this login's request token/)
  })

  it('a callback carrying another oauth_token is answered and ignored; the real one completes the login', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--no-browser', '--profile', 'fixation'], suite.user.env)
    const [authorize] = await live.waitForStderr(/http:\/\/\S+\/oauth1\/authorize\?oauth_token=[\w-]+/)
    const [, callback] = await live.waitForStderr(/redirect to (http:\/\/127\.0\.0\.1:\d+\/callback)/)
    const forged = await fetch(`${callback}?oauth_token=attacker-token&oauth_verifier=attacker-verifier`)
    assert.equal(forged.status, 400)
    await live.waitForStderr(/ignored a request to .* that does not carry this login's state/)
    const approved = await fetch(authorize, {redirect: 'manual'})
    assert.equal(approved.status, 302)
    const location = approved.headers.get('location') as string
    assert.ok(location.startsWith(`${callback}?oauth_token=`), location)
    assert.equal((await fetch(location)).status, 200)
    assert.equal(await live.exited, 0, live.stderr())
    assert.match(live.stderr(), /Logged in to sandbox-1a as Demo User \(demo\), profile fixation\./)
  })
})

// X (Twitter) sends a refusal back as `denied=<request token>`:
// https://github.com/omab/python-social-auth/pull/242 (quoting X's docs), https://github.com/singingwolfboy/flask-dance/issues/125
describe('OAuth 1.0a: the user clicks Deny', () => {
  const suite = sandboxSuite(['--auto-approve'])

  /** What the sandbox's Deny button does: POST decision=deny, answered with a redirect (or a page for oob). */
  async function deny(authorize: string): Promise<Response> {
    const token = new URL(authorize).searchParams.get('oauth_token') as string
    return fetch(new URL('/oauth1/authorize', authorize), {method: 'POST', body: new URLSearchParams({oauth_token: token, decision: 'deny'}), redirect: 'manual'})
  }

  it('denied=<this request token> ends the login at once: exit 5, the browser told so, nothing stored', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--no-browser', '--timeout', '120'], suite.user.env)
    const [authorize] = await live.waitForStderr(/http:\/\/\S+\/oauth1\/authorize\?oauth_token=[\w-]+/)
    const [, callback] = await live.waitForStderr(/redirect to (http:\/\/127\.0\.0\.1:\d+\/callback)/)
    const refused = await deny(authorize)
    assert.equal(refused.status, 302)
    const location = refused.headers.get('location') as string
    assert.equal(location, `${callback}?denied=${new URL(authorize).searchParams.get('oauth_token')}`)
    const page = await fetch(location)
    assert.equal(page.status, 400)
    assert.match(await page.text(), /You denied access at oauthctl sandbox \(OAuth 1\.0a\)/)
    assert.equal(await live.exited, 5, live.stderr())
    assert.match(live.stderr(), /you denied access at oauthctl sandbox \(OAuth 1\.0a\); nothing was exchanged and no token was stored/)
    assert.equal(live.stdout(), '')
    assert.equal(storedEntry(suite.user.configDir, 'sandbox-1a:default'), undefined)
  })

  it('a denied carrying another token is answered and ignored; the wait goes on and the real approval completes', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--no-browser', '--profile', 'forged-deny'], suite.user.env)
    const [authorize] = await live.waitForStderr(/http:\/\/\S+\/oauth1\/authorize\?oauth_token=[\w-]+/)
    const [, callback] = await live.waitForStderr(/redirect to (http:\/\/127\.0\.0\.1:\d+\/callback)/)
    for (const query of ['denied=attacker-token', 'denied=', `denied=${new URL(authorize).searchParams.get('oauth_token')}&denied=x`]) {
      const forged = await fetch(`${callback}?${query}`)
      assert.equal(forged.status, 400, query)
      assert.match(await forged.text(), /This response does not belong to the current login/)
    }
    await live.waitForStderr(/ignored a request to .* that does not carry this login's state/)
    const approved = await fetch(authorize, {redirect: 'manual'})
    assert.equal((await fetch(approved.headers.get('location') as string)).status, 200)
    assert.equal(await live.exited, 0, live.stderr())
    assert.match(live.stderr(), /Logged in to sandbox-1a as Demo User \(demo\), profile forged-deny\./)
  })

  it('--paste of the address a refusal ended on is exit 5 (access denied), nothing stored', async () => {
    const live = spawnCli(['login', 'sandbox-1a', '--paste', '--profile', 'paste-deny'], suite.user.env)
    const [authorize] = await live.waitForStderr(/http:\/\/\S+\/oauth1\/authorize\?oauth_token=[\w-]+/)
    const refused = await deny(authorize)
    assert.equal(refused.status, 200)
    assert.match(await refused.text(), /You denied oauthctl access/)
    live.child.stdin.end(`http://127.0.0.1:1/callback?denied=${new URL(authorize).searchParams.get('oauth_token')}\n`)
    assert.equal(await live.exited, 5)
    assert.match(live.stderr(), /you denied access at oauthctl sandbox \(OAuth 1\.0a\); nothing was exchanged/)
    assert.equal(storedEntry(suite.user.configDir, 'sandbox-1a:paste-deny'), undefined)
  })
})

describe('OAuth 1.0a: RSA-SHA1 and PLAINTEXT custom providers', () => {
  let sandbox: SandboxProcess
  let user: UserEnv
  before(async () => {
    sandbox = await startSandboxProcess(['--auto-approve'])
    user = makeUserEnv(sandbox.issuer)
    const keyFile = join(user.configDir, 'demo-rsa.pem')
    writeFileSync(keyFile, await (await fetch(`${sandbox.issuer}/oauth1/demo-rsa-key.pem`)).text(), {mode: 0o600})
    const endpoints = (signatureMethod: string, extra: Record<string, string> = {}) => ({
      requestTokenUrl: `${sandbox.issuer}/oauth1/request_token`,
      authorizeUrl: `${sandbox.issuer}/oauth1/authorize`,
      accessTokenUrl: `${sandbox.issuer}/oauth1/access_token`,
      signatureMethod,
      ...extra,
    })
    const config = {
      providers: {
        'demo-rsa': {apiBase: `${sandbox.issuer}/oauth1/api`, meEndpoint: '/me', clientId: 'oauthctl-oauth1-rsa', oauth1: endpoints('RSA-SHA1', {privateKeyFile: keyFile})},
        'demo-plain': {apiBase: `${sandbox.issuer}/oauth1/api`, meEndpoint: '/me', clientId: 'oauthctl-oauth1', oauth1: endpoints('PLAINTEXT')},
        'demo-badkey': {apiBase: `${sandbox.issuer}/oauth1/api`, clientId: 'oauthctl-oauth1-rsa', oauth1: endpoints('RSA-SHA1', {privateKeyFile: join(user.configDir, 'missing.pem')})},
      },
    }
    writeFileSync(join(user.configDir, 'config.json'), JSON.stringify(config))
  })
  after(async () => {
    await sandbox?.stop()
    user?.cleanup()
  })

  it('logs in and calls the API with RSA-SHA1 (the key read from the named file)', async () => {
    const login = await runCli(['login', 'demo-rsa'], user.env)
    assert.equal(login.code, 0, login.stderr)
    const result = await runCli(['get', '/me', '-p', 'demo-rsa'], user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).signature_method, 'RSA-SHA1')
  })

  it('logs in and calls the API with PLAINTEXT (loopback only)', async () => {
    const login = await runCli(['login', 'demo-plain'], user.env)
    assert.equal(login.code, 0, login.stderr)
    const result = await runCli(['get', '/me', '-p', 'demo-plain'], user.env)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).signature_method, 'PLAINTEXT')
  })

  it('providers add --request-token-url ... --signature-method RSA-SHA1 --rsa-key: the path is saved, not the key; login and get work', async () => {
    const keyFile = join(user.configDir, 'demo-rsa.pem')
    const legs = [
      '--request-token-url', `${sandbox.issuer}/oauth1/request_token`,
      '--authorize-url', `${sandbox.issuer}/oauth1/authorize`,
      '--token-url', `${sandbox.issuer}/oauth1/access_token`,
      '--api-base', `${sandbox.issuer}/oauth1/api`,
    ]
    const added = await runCli(['providers', 'add', 'added-rsa', ...legs, '--client-id', 'oauthctl-oauth1-rsa', '--signature-method', 'RSA-SHA1', '--rsa-key', keyFile, '--json'], user.env)
    assert.equal(added.code, 0, added.stderr)
    assert.equal(JSON.parse(added.stdout).oauth1.privateKeyFile, keyFile)
    const config = readFileSync(join(user.configDir, 'config.json'), 'utf8')
    assert.ok(!config.includes('PRIVATE KEY'), 'the key itself is not copied into config.json')
    assert.equal((await runCli(['login', 'added-rsa'], user.env)).code, 0)
    const me = await runCli(['get', '-p', 'added-rsa', `${sandbox.issuer}/oauth1/api/me`], user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).signature_method, 'RSA-SHA1')
    const show = await runCli(['providers', 'show', 'added-rsa'], user.env)
    assert.match(show.stdout, /Protocol: +OAuth 1\.0a \(RFC 5849\), RSA-SHA1 signatures on every request/)
    const noLegs = await runCli(['providers', 'add', 'half', ...legs.slice(2), '--signature-method', 'PLAINTEXT'], user.env)
    assert.equal(noLegs.code, 2)
    assert.match(noLegs.stderr, /give --request-token-url too/)
    const noKey = await runCli(['providers', 'add', 'nokey', ...legs, '--signature-method', 'RSA-SHA1', '--rsa-key', join(user.configDir, 'nope.pem')], user.env)
    assert.equal(noKey.code, 3)
    assert.match(noKey.stderr, /cannot read the RSA-SHA1 private key .*nope\.pem: ENOENT/)
  })

  it('a missing RSA key file is a configuration error (exit 3) before any request', async () => {
    const result = await runCli(['login', 'demo-badkey'], user.env)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /cannot read the RSA-SHA1 private key .*missing\.pem: ENOENT/)
  })
})
