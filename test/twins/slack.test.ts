import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createSlackTwin} from './providers/slack.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const app = {clientId: '1234567890.0987654321', redirectUri: 'http://localhost:18095/callback', pkceEnabled: true}

describe('slack preset against the Slack twin (PKCE-enabled app, localhost redirect)', () => {
  const suite = twinSuite(() => createSlackTwin(app))

  it('login without a secret: user_scope with commas, PKCE, the user token lifted from authed_user', async () => {
    const result = await suite.run(['login', 'slack', '--client-id', app.clientId, '--port', '18095', '--scope', 'users:read', '--scope', 'chat:write'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Logged in to slack as U0KRQLJ9H/)
    const authorize = requestsTo(suite.twin, '/oauth/v2/authorize')[0].url.searchParams
    assert.equal(authorize.get('user_scope'), 'users:read,chat:write')
    assert.equal(authorize.get('scope'), null)
    const access = requestsTo(suite.twin, '/api/oauth.v2.access')[0]
    assert.equal(access.form.has('client_secret'), false)
  })

  it('token prints the xoxp user token', async () => {
    const result = await suite.run(['token'])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(suite.twin.grants.accessGrant(result.stdout.trim()))
  })

  it('get --paginate follows response_metadata.next_cursor', async () => {
    const result = await suite.run(['get', '--paginate', '--slurp', '/users.list'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(requestsTo(suite.twin, '/api/users.list').at(-1)!.url.searchParams.get('cursor'), 'dXNlcjpVMg==')
  })

  it('an API error is HTTP 200 {"ok": false}: the body on stdout, exit 7 with Slack\'s error', async () => {
    const result = await suite.run(['get', '/conversations.list'])
    assert.equal(result.code, 7)
    assert.equal(JSON.parse(result.stdout).error, 'missing_scope')
    assert.match(result.stderr, /HTTP 200 OK, but Slack answered "ok": false, "error": "missing_scope"/)
  })

  it('--paginate: a page answering HTTP 200 {"ok": false} stops with exit 7; the pages before it are on stdout', async () => {
    const plain = await suite.run(['get', '--paginate', '/conversations.members', '-q', 'channel=C1'])
    assert.equal(plain.code, 7)
    assert.equal(plain.stdout, '{"ok":true,"members":["U1"],"response_metadata":{"next_cursor":"bad"}}\n{"ok":false,"error":"invalid_cursor"}\n')
    assert.match(plain.stderr, /HTTP 200 OK, but Slack answered "ok": false, "error": "invalid_cursor"/)
    assert.match(plain.stderr, /Pages 1-1 were written before it/)
    const slurped = await suite.run(['get', '--paginate', '--slurp', '/conversations.members', '-q', 'channel=C1'])
    assert.equal(slurped.code, 7)
    assert.equal(slurped.stdout, '["U1"]\n{"ok":false,"error":"invalid_cursor"}')
    const first = await suite.run(['get', '--paginate', '/conversations.list'])
    assert.equal(first.code, 7)
    assert.match(first.stderr, /"error": "missing_scope"/)
  })

  it('an unknown client id: Slack shows an error page at authorize and nothing comes back (exit 5 on timeout)', async () => {
    const result = await suite.run(['login', 'slack', '--profile', 'x', '--client-id', 'someone-else', '--port', '18095', '--timeout', '2'])
    assert.equal(result.code, 5)
    assert.match(result.stderr, /400 https:\/\/slack\.com\/oauth\/v2\/authorize: invalid_client_id/)
  })

  it('status --check: a token Slack no longer accepts (HTTP 200 "ok": false, invalid_auth) is a failed check, exit 4', async () => {
    const token = (await suite.run(['token'])).stdout.trim()
    suite.twin.grants.revoke(token)
    const result = await suite.run(['status', '--check'])
    assert.equal(result.code, 4, result.stderr)
    // The per-login check is part of the listing (stdout); the summary is on stderr.
    assert.match(result.stdout, /"ok": false, "error": "invalid_auth"/)
    assert.match(result.stderr, /1 of 1 login failed the check: slack \[default\]/)
  })

  it('login --with-token: a token Slack rejects with HTTP 200 "ok": false is exit 5, nothing stored', async () => {
    const result = await suite.run(['login', 'slack', '--profile', 'imported', '--with-token'], 'xoxp-not-a-real-token\n')
    assert.equal(result.code, 5)
    assert.match(result.stderr, /Slack rejected the token \("ok": false, "error": "invalid_auth" from https:\/\/slack\.com\/api\/auth\.test\); nothing was stored/)
    const good = suite.twin.grants.issueTokens({clientId: app.clientId, scope: 'users:read', user: 'U0KRQLJ9H'}, false).access_token
    const ok = await suite.run(['login', 'slack', '--profile', 'imported', '--with-token'], `${good}\n`)
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stderr, /Logged in to slack as U0KRQLJ9H/)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})
