import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {createLinkedinTwin} from './providers/linkedin.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const app = {clientId: '86abc123', clientSecret: 'li-s3cret-value', redirectUri: 'http://127.0.0.1:8085/callback'}

describe('linkedin preset against the LinkedIn twin (standard app: no PKCE, exact redirect, secret in the body)', () => {
  const suite = twinSuite(() => createLinkedinTwin(app))

  it('login --client-id --client-secret --port 8085 works: no code_challenge, no code_verifier, secret in the body', async () => {
    const result = await suite.run(['login', 'linkedin', '--client-id', app.clientId, '--client-secret', app.clientSecret, '--port', '8085'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Logged in to linkedin as Ada Lovelace \(li-782bbtaQ\)/)
    const [authorize] = requestsTo(suite.twin, '/oauth/v2/authorization')
    assert.equal(authorize.url.searchParams.get('code_challenge'), null)
    assert.equal(authorize.url.searchParams.get('redirect_uri'), app.redirectUri)
    const [tokenRequest] = requestsTo(suite.twin, '/oauth/v2/accessToken')
    assert.equal(tokenRequest.form.has('code_verifier'), false)
    assert.equal(tokenRequest.form.get('client_secret'), app.clientSecret)
    assert.equal(tokenRequest.headers.authorization, undefined)
  })

  it('token prints the access token the twin issued', async () => {
    const result = await suite.run(['token'])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(suite.twin.grants.accessGrant(result.stdout.trim()), result.stdout)
    assert.match(result.stdout, /^li-at-\w+\n$/)
  })

  it('get /v2/userinfo (the README example) prints the member', async () => {
    const result = await suite.run(['get', '/v2/userinfo'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).email, 'ada@example.com')
  })

  it('get /v2/me with the OIDC scopes: 403 me.GET.NO_VERSION as LinkedIn sends it, exit 7 and a hint to /v2/userinfo', async () => {
    const result = await suite.run(['get', '/v2/me'])
    assert.equal(result.code, 7)
    assert.equal(JSON.parse(result.stdout).message, 'Not enough permissions to access: me.GET.NO_VERSION')
    assert.match(result.stderr, /HTTP 403/)
    assert.match(result.stderr, /oauthctl get \/v2\/userinfo/)
  })

  it('a versioned /rest call carries the preset LinkedIn-Version and X-Restli-Protocol-Version', async () => {
    const result = await suite.run(['get', '/rest/me'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {id: 'li-782bbtaQ', localizedFirstName: 'Ada', restliProtocol: '2.0.0', version: '202603'})
  })

  it('-H replaces a preset header (case-insensitively); the twin answers an inactive version with 426', async () => {
    const result = await suite.run(['get', '/rest/me', '-H', 'linkedin-version: 1999'])
    assert.equal(result.code, 7)
    assert.equal(JSON.parse(result.stdout).code, 'NONEXISTENT_VERSION')
    const last = requestsTo(suite.twin, '/rest/me').at(-1)!
    assert.equal(last.headers['linkedin-version'], '1999')
    assert.equal(last.rawHeaders.filter((name) => name.toLowerCase() === 'linkedin-version').length, 1)
  })

  it('without the header LinkedIn answers 400 VERSION_MISSING (the twin enforces it)', async () => {
    const token = suite.twin.grants.issueTokens({clientId: app.clientId, scope: 'openid', user: 'x'}, false).access_token
    const response = await suite.twinFetch('https://api.linkedin.com/rest/me', {authorization: `Bearer ${token}`})
    assert.equal(response.status, 400)
    assert.equal(JSON.parse(response.body).code, 'VERSION_MISSING')
  })

  it('introspect sends the client credentials in the body and prints the answer', async () => {
    const result = await suite.run(['introspect'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).active, true)
  })

  it('login --pkce sends code_verifier, which a standard app rejects: exit 5 invalid_client', async () => {
    const result = await suite.run(['login', 'linkedin', '--profile', 'native', '--client-id', app.clientId, '--client-secret', app.clientSecret, '--port', '8085', '--pkce'])
    assert.equal(result.code, 5, result.stderr)
    assert.match(result.stderr, /invalid_client: Client authentication failed/)
    assert.ok(requestsTo(suite.twin, '/oauth/v2/authorization').at(-1)!.url.searchParams.get('code_challenge'))
    assert.ok(requestsTo(suite.twin, '/oauth/v2/accessToken').at(-1)!.form.has('code_verifier'))
  })

  it('a redirect URI on another port than the registered one never comes back (LinkedIn shows an error page): exit 5 on timeout', async () => {
    const result = await suite.run(['login', 'linkedin', '--profile', 'wrongport', '--client-id', app.clientId, '--client-secret', app.clientSecret, '--port', '8086', '--timeout', '2'])
    assert.equal(result.code, 5)
    assert.match(result.stderr, /400 https:\/\/www\.linkedin\.com\/oauth\/v2\/authorization: The redirect_uri does not match the registered value/)
  })

  it('no refresh for standard apps: a token LinkedIn stops accepting is a 401 (exit 7), and no refresh is attempted', async () => {
    const token = (await suite.run(['token'])).stdout.trim()
    suite.twin.grants.revoke(token)
    const result = await suite.run(['get', '/v2/userinfo'])
    assert.equal(result.code, 7)
    assert.equal(JSON.parse(result.stdout).code, 'INVALID_ACCESS_TOKEN')
    assert.equal(requestsTo(suite.twin, '/oauth/v2/accessToken').filter((r) => r.form.get('grant_type') === 'refresh_token').length, 0)
  })

  it('logout: LinkedIn has no revocation endpoint, so the login is only forgotten', async () => {
    const result = await suite.run(['logout', 'linkedin'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /LinkedIn/)
    assert.equal((await suite.run(['token', 'linkedin'])).code, 4)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})

// LinkedIn matches the redirect URI exactly, port included (createLinkedinTwin: AUTH), and gives a standard
// app no refresh token, so a wider `refresh --scope` is a new consent: it must listen on the login's --port.
describe('linkedin: a re-consent reuses the --port of the login (an exact registered redirect URI)', () => {
  const registered = {...app, redirectUri: 'http://127.0.0.1:18094/callback'}
  const suite = twinSuite(() => createLinkedinTwin(registered))
  const credentials = ['--client-id', app.clientId, '--client-secret', app.clientSecret]

  it('login --port 18094 keeps the port with the login, not in the provider settings', async () => {
    const result = await suite.run(['login', 'linkedin', ...credentials, '--port', '18094'])
    assert.equal(result.code, 0, result.stderr)
    const config = JSON.parse(readFileSync(join(suite.configDir, 'config.json'), 'utf8'))
    assert.equal(config.logins['linkedin:default'].port, 18094)
    assert.equal(config.providers?.linkedin?.port, undefined)
  })

  it('refresh --scope wider logs in again at http://127.0.0.1:18094/callback, which the twin accepts', async () => {
    const before = suite.twin.log.length
    const result = await suite.run(['refresh', 'linkedin', '--scope', 'openid profile email w_member_social', '--timeout', '20', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).how, 'reconsent')
    const authorize = suite.twin.log.slice(before).find((r) => r.url.pathname === '/oauth/v2/authorization')!
    assert.equal(authorize.url.searchParams.get('redirect_uri'), registered.redirectUri)
    const config = JSON.parse(readFileSync(join(suite.configDir, 'config.json'), 'utf8'))
    assert.equal(config.logins['linkedin:default'].port, 18094, 'the re-consent keeps it for the next one')
  })

  it('the login command a hint prints names the port too (refresh: no refresh token, exit 4)', async () => {
    const result = await suite.run(['refresh', 'linkedin'])
    assert.equal(result.code, 4)
    assert.match(result.stderr, /Log in again to get new tokens: oauthctl login linkedin --port 18094\n/)
  })

  it('a login without --port uses the preset\u2019s 8085, which the exact registration refuses: exit 5, nothing stored', async () => {
    const result = await suite.run(['login', 'linkedin', '--profile', 'other', ...credentials, '--timeout', '5'])
    assert.equal(result.code, 5, 'the twin refuses http://127.0.0.1:8085/callback: the login times out')
    const config = JSON.parse(readFileSync(join(suite.configDir, 'config.json'), 'utf8'))
    assert.equal(config.logins['linkedin:other'], undefined)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})
