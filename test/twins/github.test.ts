import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createGithubTwin} from './providers/github.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const app = {clientId: 'Iv1.0a1b2c3d4e5f', clientSecret: 'gh-s3cret', callbackUrl: 'http://127.0.0.1/callback'}

describe('github preset against the GitHub twin (GitHub App with expiring tokens)', () => {
  const suite = twinSuite(() => createGithubTwin(app))

  it('login on an ephemeral port (any port on 127.0.0.1), PKCE S256 plus the secret, form-encoded-by-default answer read as JSON', async () => {
    const result = await suite.run(['login', 'github', '--client-id', app.clientId, '--client-secret', app.clientSecret])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Logged in to github as The Octocat \(583231\)/)
    const authorize = requestsTo(suite.twin, '/login/oauth/authorize')[0]
    assert.match(authorize.url.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    assert.equal(authorize.url.searchParams.get('code_challenge_method'), 'S256')
    const tokenRequest = requestsTo(suite.twin, '/login/oauth/access_token')[0]
    assert.ok(tokenRequest.form.get('code_verifier'))
    assert.equal(tokenRequest.form.get('client_secret'), app.clientSecret)
  })

  it('token prints the twin-issued token', async () => {
    const result = await suite.run(['token'])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(suite.twin.grants.accessGrant(result.stdout.trim()))
  })

  it('get /user sends the preset Accept and X-GitHub-Api-Version, and a User-Agent', async () => {
    const result = await suite.run(['get', '/user'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).login, 'octocat')
    const request = requestsTo(suite.twin, '/user').at(-1)!
    assert.equal(request.headers.accept, 'application/vnd.github+json')
    assert.equal(request.headers['x-github-api-version'], '2022-11-28')
    assert.match(String(request.headers['user-agent']), /^oauthctl\//)
  })

  it('-H Accept replaces the preset Accept (sent once)', async () => {
    const result = await suite.run(['get', '/user', '-H', 'Accept: application/vnd.github.raw+json'])
    assert.equal(result.code, 0, result.stderr)
    const request = requestsTo(suite.twin, '/user').at(-1)!
    assert.equal(request.headers.accept, 'application/vnd.github.raw+json')
    assert.equal(request.rawHeaders.filter((name) => name.toLowerCase() === 'accept').length, 1)
  })

  it('get --paginate follows the Link header over three pages', async () => {
    const result = await suite.run(['get', '--paginate', '--slurp', '/user/repos'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), [{name: 'repo-1'}, {name: 'repo-2'}, {name: 'repo-3'}])
  })

  it('a token GitHub no longer accepts: 401, one rotating refresh (the old refresh token is spent), retry succeeds', async () => {
    const before = (await suite.run(['token'])).stdout.trim()
    suite.twin.grants.revoke(before)
    const result = await suite.run(['get', '/user'])
    assert.equal(result.code, 0, result.stderr)
    const refresh = requestsTo(suite.twin, '/login/oauth/access_token').filter((r) => r.form.get('grant_type') === 'refresh_token')
    assert.equal(refresh.length, 1)
    const after = (await suite.run(['token'])).stdout.trim()
    assert.notEqual(after, before)
    assert.ok(suite.twin.grants.accessGrant(after))
    assert.equal(suite.twin.grants.refresh.has(refresh[0].form.get('refresh_token')!), false)
  })

  it('a wrong secret: GitHub answers HTTP 200 with error, oauthctl exits 5 with GitHub\'s words', async () => {
    const result = await suite.run(['login', 'github', '--profile', 'bad', '--client-id', app.clientId, '--client-secret', 'wrong'])
    assert.equal(result.code, 5)
    assert.match(result.stderr, /incorrect_client_credentials/)
    assert.match(result.stderr, /The client_id and\/or client_secret passed are incorrect/)
  })

  it('device flow: authorization_pending once (HTTP 200 with error), then the token', async () => {
    const result = await suite.run(['login', 'github', '--profile', 'device', '--device', '--client-id', app.clientId], undefined, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.05'})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /https:\/\/github\.com\/login\/device/)
    assert.match(result.stderr, /WDJB-MJHT/)
    const polls = requestsTo(suite.twin, '/login/oauth/access_token').filter((r) => r.form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code')
    assert.equal(polls.length, 2)
  })

  it('logout revokes with DELETE /applications/{client_id}/token and Basic, then forgets', async () => {
    const token = (await suite.run(['token', 'github'])).stdout.trim()
    const result = await suite.run(['logout', 'github'])
    assert.equal(result.code, 0, result.stderr)
    const request = requestsTo(suite.twin, `/applications/${app.clientId}/token`).at(-1)!
    assert.equal(request.method, 'DELETE')
    assert.deepEqual(request.basic, {id: app.clientId, secret: app.clientSecret})
    assert.deepEqual(JSON.parse(request.body), {access_token: token})
    assert.equal(suite.twin.grants.accessGrant(token), undefined)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})
