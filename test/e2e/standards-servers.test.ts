import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {after, afterEach, describe, it} from 'node:test'
import {startStandardsTwin, type StandardsTwin, type TwinOptions} from '../twins/standards-twin.js'
import {makeUserEnv, runCli, type UserEnv} from './harness.js'
import {spawnCli} from './interactive.js'

/**
 * The built CLI against a twin of the standards servers we did not write (Glewlwyd, oauth2-mock-server):
 * see test/twins/standards-twin.ts for each rule and its source.
 */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function twinAndUser(options: TwinOptions = {}): Promise<{twin: StandardsTwin; user: UserEnv}> {
  const twin = await startStandardsTwin(options)
  // The sandbox preset's issuer must not be the twin's; point it at a closed port.
  const user = makeUserEnv('http://127.0.0.1:9')
  cleanups.push(() => twin.close(), () => user.cleanup())
  return {twin, user}
}

function config(user: UserEnv): {providers?: Record<string, Record<string, unknown>>; logins?: Record<string, unknown>} {
  try {
    return JSON.parse(readFileSync(join(user.configDir, 'config.json'), 'utf8'))
  } catch {
    return {}
  }
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const manualFlags = (twin: StandardsTwin) => [
  '--authorize-url', `${twin.issuer}/auth`,
  '--token-url', `${twin.issuer}/token`,
  '--api-base', `${twin.issuer}/api`,
  '--client-id', 'app',
  '--client-secret', 'app-secret',
]

describe('a discovered OpenID provider that requires a nonce (Glewlwyd twin)', () => {
  it('first login with the discovered default scopes sends a nonce and checks it in the ID token', async () => {
    const {twin, user} = await twinAndUser()
    const add = await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret', '--api-base', `${twin.issuer}/api`], user.env)
    assert.equal(add.code, 0, add.stderr)
    const login = await runCli(['login', 'glew'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(login.stdout, '')
    assert.match(login.stderr, /Logged in to glew as Jane Doe \(jane\), profile default\./)
    const [authorize] = twin.authorizeRequests
    assert.equal(authorize?.get('scope'), 'openid profile email')
    assert.match(authorize?.get('nonce') ?? '', /^[\w-]{43}$/)
    const get = await runCli(['get', '/me'], user.env)
    assert.equal(get.code, 0, get.stderr)
    assert.equal(JSON.parse(get.stdout).sub, 'jane')
  })

  it('a nonce per login: two logins send two different nonces', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    assert.equal((await runCli(['login', 'glew'], user.env)).code, 0)
    assert.equal((await runCli(['login', 'glew', '--profile', 'two'], user.env)).code, 0)
    const nonces = twin.authorizeRequests.map((query) => query.get('nonce'))
    assert.equal(nonces.length, 2)
    assert.notEqual(nonces[0], nonces[1])
  })

  it('an ID token with another nonce (replayed) is refused: exit 5, nothing stored', async () => {
    const {twin, user} = await twinAndUser({idTokenNonce: 'an-old-nonce'})
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    const login = await runCli(['login', 'glew'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.equal(login.stdout, '')
    assert.match(login.stderr, /glew did not issue tokens: .*nonce/)
    assert.equal(config(user).logins, undefined)
  })

  it('an ID token without the nonce is refused as well (exit 5)', async () => {
    const {twin, user} = await twinAndUser({idTokenNonce: ''})
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    const login = await runCli(['login', 'glew'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /nonce/)
  })

  it('no openid, no nonce: an OAuth-only login sends none', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret', '--api-base', `${twin.issuer}/api`], user.env)).code, 0)
    const login = await runCli(['login', 'glew', '--scope', 'profile'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(twin.authorizeRequests[0]?.has('nonce'), false)
  })

  it('--paste sends a nonce too and checks it', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    const cli = spawnCli(['login', 'glew', '--no-browser', '--paste'], user.env)
    const [, authorizeUrl] = await cli.waitForStderr(/^\s+(http\S+\/auth\?\S+)$/m)
    await cli.waitForStderr(/paste it here/)
    assert.match(new URL(authorizeUrl as string).searchParams.get('nonce') ?? '', /^[\w-]{43}$/)
    const response = await fetch(authorizeUrl as string, {redirect: 'manual'})
    cli.child.stdin.end(`${response.headers.get('location')}\n`)
    assert.equal(await cli.exited, 0, cli.stderr())
    assert.match(cli.stderr(), /Logged in to glew as Jane Doe \(jane\)/)
  })

  it('the twin itself refuses an OpenID request without a nonce (what oauthctl used to send)', async () => {
    const {twin} = await twinAndUser()
    const url = new URL(`${twin.issuer}/auth`)
    for (const [key, value] of Object.entries({client_id: 'app', redirect_uri: 'http://127.0.0.1:5000/callback', response_type: 'code', scope: 'openid', state: 's'})) url.searchParams.set(key, value)
    const response = await fetch(url, {redirect: 'manual'})
    const location = new URL(response.headers.get('location') as string)
    assert.equal(location.searchParams.get('error'), 'invalid_request')
    assert.equal(location.searchParams.get('error_description'), 'nonce required')
  })
})

describe('--register at a server without dynamic registration', () => {
  it('says the server offers no RFC 7591 registration and what to do (exit 3), and saves nothing', async () => {
    const {twin, user} = await twinAndUser()
    const add = await runCli(['providers', 'add', 'corp', '--issuer', twin.issuer, '--register'], user.env)
    assert.equal(add.code, 3, add.stderr)
    assert.equal(add.stdout, '')
    assert.doesNotMatch(add.stderr, /unknown provider/)
    assert.match(add.stderr, new RegExp(`the server at ${twin.issuer} offers no dynamic client registration \\(RFC 7591\\)`))
    assert.match(add.stderr, /has no registration_endpoint/)
    assert.match(add.stderr, new RegExp(`Register an app in its admin console with the redirect URI http://127\\.0\\.0\\.1/callback \\(any port\\), then run: oauthctl providers add corp --issuer ${twin.issuer} --client-id <id>`))
    assert.equal(config(user).providers?.corp, undefined)
  })

  it('--register --port registers that port, and login then uses it', async () => {
    const {twin, user} = await twinAndUser({hiddenRegistration: true})
    const port = await closedPort()
    const add = await runCli(['providers', 'add', 'reg', '--issuer', twin.issuer, '--registration-url', `${twin.issuer}/register`, '--register', '--port', String(port)], user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.deepEqual(twin.registrations[0]?.redirect_uris, [`http://127.0.0.1:${port}/callback`])
    assert.deepEqual(config(user).providers?.reg?.loopback, {host: '127.0.0.1', anyPort: false, defaultPort: port, path: '/callback'})
    const show = await runCli(['providers', 'show', 'reg'], user.env)
    assert.match(show.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/callback`))
    // The twin matches the registered redirect URI exactly: only the registered port is accepted.
    const login = await runCli(['login', 'reg'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(twin.authorizeRequests[0]?.get('redirect_uri'), `http://127.0.0.1:${port}/callback`)
  })

  it('--port without --register is a usage error (exit 2)', async () => {
    const {twin, user} = await twinAndUser()
    const add = await runCli(['providers', 'add', 'corp', '--issuer', twin.issuer, '--port', '8400', '--client-id', 'app'], user.env)
    assert.equal(add.code, 2, add.stderr)
    assert.match(add.stderr, /--port registers a fixed redirect port: it needs --register/)
  })
})

describe('a provider added with endpoints by hand: no invented issuer (RFC 9207 §2.4)', () => {
  it('a server whose issuer is not the origin and that sends iss: login works, the ID token is checked against that iss', async () => {
    const {twin, user} = await twinAndUser({issInResponse: 'issuer'})
    assert.equal((await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--scope', 'openid', '--scope', 'profile'], user.env)).code, 0)
    const login = await runCli(['login', 'legacy'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Logged in to legacy as Jane Doe \(jane\)/)
    assert.match(twin.authorizeRequests[0]?.get('nonce') ?? '', /^[\w-]{43}$/)
  })

  it('a server that sends no iss: login works without an issuer (the unverifiable ID token is not used)', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--userinfo-url', `${twin.issuer}/userinfo`, '--scope', 'openid'], user.env)).code, 0)
    const login = await runCli(['login', 'legacy'], user.env)
    assert.equal(login.code, 0, login.stderr)
    // The identity comes from userinfo, not from the ID token (whose issuer nothing could confirm).
    assert.match(login.stderr, /Logged in to legacy as Jane from userinfo \(jane\)/)
    assert.match(twin.authorizeRequests[0]?.get('nonce') ?? '', /^[\w-]{43}$/)
  })

  it('an iss naming another known provider at another token endpoint is a mix-up: exit 5, no code exchanged', async () => {
    const {twin, user} = await twinAndUser({issInResponse: 'https://accounts.google.com'})
    assert.equal((await runCli(['providers', 'add', 'legacy', ...manualFlags(twin)], user.env)).code, 0)
    const login = await runCli(['login', 'legacy'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /names the issuer https:\/\/accounts\.google\.com, which is another provider's/)
    assert.equal(twin.tokenRequests.length, 0)
  })

  it('--issuer with the endpoints: that issuer is checked, so another iss is refused (exit 5)', async () => {
    const {twin, user} = await twinAndUser({issInResponse: 'https://evil.example'})
    const add = await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--issuer', twin.issuer, '--json'], user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.equal(JSON.parse(add.stdout).issuer, twin.issuer)
    const login = await runCli(['login', 'legacy'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /iss/)
    assert.equal(twin.tokenRequests.length, 0)
  })

  it('--issuer with the endpoints and a matching iss: login works and the ID token is checked', async () => {
    const {twin, user} = await twinAndUser({issInResponse: 'issuer'})
    assert.equal((await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--issuer', twin.issuer, '--scope', 'openid'], user.env)).code, 0)
    const login = await runCli(['login', 'legacy'], user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.match(login.stderr, /Logged in to legacy as Jane Doe \(jane\)/)
  })
})

describe('errors carry the HTTP status and the provider\'s words; hints fit the failure', () => {
  it('an empty 401 from the token endpoint (wrong secret): the status, and a hint about the client credentials', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'wrong'], user.env)).code, 0)
    const login = await runCli(['login', 'glew'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /glew did not issue tokens: the server answered HTTP 401 Unauthorized \(no OAuth error in the body\)/)
    assert.doesNotMatch(login.stderr, /content-type/)
    assert.match(login.stderr, /Check --client-id and --client-secret .*--client-auth basic\|post\|none/)
  })

  it('an empty 403: the status', async () => {
    const {twin, user} = await twinAndUser({tokenStatus: 403})
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    const login = await runCli(['login', 'glew'], user.env)
    assert.equal(login.code, 5, login.stderr)
    assert.match(login.stderr, /the server answered HTTP 403 Forbidden \(no OAuth error in the body\)/)
  })

  it('an OAuth error keeps the provider\'s error and error_description', async () => {
    const {twin, user} = await twinAndUser()
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)).code, 0)
    // A code the twin never issued, pasted as if the browser had ended there.
    const cli = spawnCli(['login', 'glew', '--no-browser', '--paste'], user.env)
    const [, redirectUri] = await cli.waitForStderr(/goes to (http:\/\/127\.0\.0\.1:\d+\/callback)\?code/)
    const [, authorizeUrl] = await cli.waitForStderr(/^\s+(http\S+\/auth\?\S+)$/m)
    await cli.waitForStderr(/paste it here/)
    const state = new URL(authorizeUrl as string).searchParams.get('state')
    cli.child.stdin.end(`${redirectUri}?code=not-issued&state=${state}\n`)
    assert.equal(await cli.exited, 5, cli.stderr())
    assert.match(cli.stderr(), /glew did not issue tokens: invalid_grant: code invalid or not for this client and redirect_uri/)
  })

  it('an unreachable token endpoint: "could not reach <host>", not "approve the request"', async () => {
    const {twin, user} = await twinAndUser()
    const port = await closedPort()
    const add = await runCli(['providers', 'add', 'down', '--authorize-url', `${twin.issuer}/auth`, '--token-url', `http://127.0.0.1:${port}/token`, '--api-base', `${twin.issuer}/api`, '--client-id', 'app', '--client-secret', 'app-secret'], user.env)
    assert.equal(add.code, 0, add.stderr)
    const login = await runCli(['login', 'down'], user.env)
    assert.equal(login.code, 7, login.stderr)
    assert.match(login.stderr, new RegExp(`could not reach 127\\.0\\.0\\.1:${port} to exchange the code; nothing was stored \\(ECONNREFUSED\\)`))
    assert.match(login.stderr, new RegExp(`Check the network \\(and proxy settings\\) and that 127\\.0\\.0\\.1:${port} is up`))
    assert.doesNotMatch(login.stderr, /approve/)
  })
})

describe('--client-auth basic|post|none', () => {
  // Access tokens that are expired on arrival: the next `oauthctl token` refreshes. (A 30 s token is no
  // longer refreshed at once: the refresh-ahead window is at most half the token's lifetime.)
  const postOnly: TwinOptions = {clients: {app: {secret: 'app-secret', auth: 'client_secret_post'}}, expiresIn: 0}

  it('login --client-auth post sends the secret in the body, is saved, and refreshes use it', async () => {
    const {twin, user} = await twinAndUser(postOnly)
    assert.equal((await runCli(['providers', 'add', 'glew', '--issuer', twin.issuer, '--client-id', 'app', '--client-secret', 'app-secret', '--api-base', `${twin.issuer}/api`], user.env)).code, 0)
    // Discovery says basic is supported, so basic is the default: this client is set up for post only.
    const basic = await runCli(['login', 'glew'], user.env)
    assert.equal(basic.code, 5, basic.stderr)
    assert.equal(twin.tokenRequests[0]?.headers.authorization?.startsWith('Basic '), true)
    const post = await runCli(['login', 'glew', '--client-auth', 'post'], user.env)
    assert.equal(post.code, 0, post.stderr)
    assert.match(post.stderr, /Client authentication client_secret_post saved for glew/)
    const request = twin.tokenRequests[1]
    assert.equal(request?.headers.authorization, undefined)
    assert.equal(request?.form.get('client_secret'), 'app-secret')
    assert.equal(config(user).providers?.glew?.clientAuth, 'client_secret_post')
    const refresh = await runCli(['token'], user.env)
    assert.equal(refresh.code, 0, refresh.stderr)
    assert.equal(twin.tokenRequests[2]?.form.get('grant_type'), 'refresh_token')
    assert.equal(twin.tokenRequests[2]?.form.get('client_secret'), 'app-secret')
  })

  it('providers add --client-auth post is stored; none sends no secret; a bad value is a usage error', async () => {
    const {twin, user} = await twinAndUser(postOnly)
    const add = await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--client-auth', 'post', '--json'], user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.equal(JSON.parse(add.stdout).clientAuth, 'client_secret_post')
    assert.equal((await runCli(['login', 'legacy'], user.env)).code, 0)
    assert.equal(twin.tokenRequests[0]?.form.get('client_secret'), 'app-secret')
    const none = await runCli(['login', 'legacy', '--client-auth', 'none', '--profile', 'public'], user.env)
    assert.equal(none.code, 5, none.stderr)
    assert.equal(twin.tokenRequests[1]?.form.has('client_secret'), false)
    assert.equal(twin.tokenRequests[1]?.headers.authorization, undefined)
    const bad = await runCli(['login', 'legacy', '--client-auth', 'jwt'], user.env)
    assert.equal(bad.code, 2, bad.stderr)
    assert.match(bad.stderr, /Expected --client-auth=jwt to be one of: basic, post, none/)
  })
})

describe('--introspection-url and --revocation-url for providers added by hand', () => {
  it('introspect and logout use them', async () => {
    const {twin, user} = await twinAndUser()
    const add = await runCli(['providers', 'add', 'legacy', ...manualFlags(twin), '--introspection-url', `${twin.issuer}/introspect`, '--revocation-url', `${twin.issuer}/revoke`, '--json'], user.env)
    assert.equal(add.code, 0, add.stderr)
    const details = JSON.parse(add.stdout)
    assert.equal(details.introspectionEndpoint, `${twin.issuer}/introspect`)
    assert.equal(details.revocationEndpoint, `${twin.issuer}/revoke`)
    assert.equal((await runCli(['login', 'legacy'], user.env)).code, 0)
    const introspect = await runCli(['introspect'], user.env)
    assert.equal(introspect.code, 0, introspect.stderr)
    assert.equal(JSON.parse(introspect.stdout).active, true)
    assert.equal(twin.introspections, 1)
    const logout = await runCli(['logout'], user.env)
    assert.equal(logout.code, 0, logout.stderr)
    assert.ok(twin.revocations >= 1)
  })
})
