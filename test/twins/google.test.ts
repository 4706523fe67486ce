import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createGoogleTwin} from './providers/google.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const app = {clientId: '1234-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-desktop'}

describe('google preset against the Google twin (Desktop client)', () => {
  const suite = twinSuite(() => createGoogleTwin(app))

  it('login on any loopback port with PKCE, access_type=offline, the desktop secret in the body', async () => {
    const result = await suite.run(['login', 'google', '--client-id', app.clientId, '--client-secret', app.clientSecret])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Logged in to google as Grace Hopper \(110169484474386276334\)/)
    const authorize = requestsTo(suite.twin, '/o/oauth2/v2/auth')[0].url.searchParams
    assert.equal(authorize.get('access_type'), 'offline')
    assert.equal(authorize.get('code_challenge_method'), 'S256')
    assert.equal(requestsTo(suite.twin, '/token')[0].form.get('client_secret'), app.clientSecret)
  })

  it('token, then get of an API on its own googleapis.com host with nextPageToken paging', async () => {
    assert.equal((await suite.run(['token'])).code, 0)
    const result = await suite.run(['get', '--paginate', '--slurp', 'https://www.googleapis.com/drive/v3/files'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), [{name: 'file-1'}, {name: 'file-2'}])
    assert.equal(requestsTo(suite.twin, '/drive/v3/files').at(-1)!.url.searchParams.get('pageToken'), 'p2')
  })

  it('refresh on 401 keeps the same refresh token (Google does not rotate)', async () => {
    const before = (await suite.run(['token'])).stdout.trim()
    suite.twin.grants.revoke(before)
    const result = await suite.run(['get', 'https://openidconnect.googleapis.com/v1/userinfo'])
    assert.equal(result.code, 0, result.stderr)
    const [refresh] = requestsTo(suite.twin, '/token').filter((r) => r.form.get('grant_type') === 'refresh_token')
    assert.ok(suite.twin.grants.refresh.has(refresh.form.get('refresh_token')!))
  })

  it('login --device: Google names the field verification_url; the login works and prints it', async () => {
    const result = await suite.run(['login', 'google', '--profile', 'tv', '--device', '--client-id', app.clientId, '--client-secret', app.clientSecret], undefined, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.05'})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /https:\/\/www\.google\.com\/device/)
    assert.match(result.stderr, /GQVQ-JKEC/)
  })

  it('a missing desktop secret (Google checks it) is exit 3 before any browser opens', async () => {
    const result = await suite.run(['login', 'google', '--profile', 'nosecret', '--client-id', 'other-client'], undefined, {OAUTHCTL_CLIENT_SECRET: ''})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /needs a client secret/)
  })

  it('logout revokes at oauth2.googleapis.com/revoke', async () => {
    const result = await suite.run(['logout', 'google'])
    assert.equal(result.code, 0, result.stderr)
    const revoked = requestsTo(suite.twin, '/revoke').map((r) => r.form.get('token')!)
    assert.ok(revoked.length >= 1)
    for (const token of revoked) assert.ok(suite.twin.grants.revoked.has(token))
    assert.ok(revoked.some((token) => token.startsWith('ya29-rt-')), 'the refresh token is revoked')
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})
