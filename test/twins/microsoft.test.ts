import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createMicrosoftTwin} from './providers/microsoft.js'
import {requestsTo, twinSuite} from './twin-harness.js'

const clientId = '11111111-2222-3333-4444-555555555555'

describe('microsoft preset against the Entra ID twin (public client, public client flows on)', () => {
  const suite = twinSuite(() => createMicrosoftTwin({clientId, allowPublicClientFlows: true}))

  it('login: http://localhost on an ephemeral port (port ignored), PKCE, no secret at all', async () => {
    const result = await suite.run(['login', 'microsoft', '--client-id', clientId])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Logged in to microsoft as Megan Bowen \(87d349ed-44d7-43e1-9a83-5f2406dee5bd\)/)
    const authorize = requestsTo(suite.twin, '/common/oauth2/v2.0/authorize')[0].url.searchParams
    assert.match(authorize.get('redirect_uri')!, /^http:\/\/localhost:\d+\/callback$/)
    const tokenRequest = requestsTo(suite.twin, '/common/oauth2/v2.0/token')[0]
    assert.equal(tokenRequest.form.has('client_secret'), false)
    assert.equal(tokenRequest.headers.authorization, undefined)
  })

  it('token, and get --paginate follows @odata.nextLink', async () => {
    assert.equal((await suite.run(['token'])).code, 0)
    const result = await suite.run(['get', '--paginate', '--slurp', '/me/messages'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), [{subject: 'message 0'}, {subject: 'message 1'}])
  })

  it('refresh on 401 stores the new (rotated) refresh token', async () => {
    const before = (await suite.run(['token'])).stdout.trim()
    suite.twin.grants.revoke(before)
    assert.equal((await suite.run(['get', '/me'])).code, 0)
    const refreshes = requestsTo(suite.twin, '/common/oauth2/v2.0/token').filter((r) => r.form.get('grant_type') === 'refresh_token')
    assert.equal(refreshes.length, 1)
    // The next refresh must use the refresh token the last one returned.
    suite.twin.grants.revoke((await suite.run(['token'])).stdout.trim())
    assert.equal((await suite.run(['get', '/me'])).code, 0)
    const second = requestsTo(suite.twin, '/common/oauth2/v2.0/token').filter((r) => r.form.get('grant_type') === 'refresh_token')[1]
    assert.notEqual(second.form.get('refresh_token'), refreshes[0].form.get('refresh_token'))
  })

  it('a client secret given anyway is never sent to the public client (Entra would answer AADSTS700025)', async () => {
    const result = await suite.run(['login', 'microsoft', '--profile', 'secret', '--client-id', clientId, '--client-secret', 'nope'])
    assert.equal(result.code, 0, result.stderr)
    const last = requestsTo(suite.twin, '/common/oauth2/v2.0/token').at(-1)!
    assert.equal(last.form.has('client_secret'), false)
    assert.equal(last.headers.authorization, undefined)
  })

  it('login --device works when public client flows are allowed', async () => {
    const result = await suite.run(['login', 'microsoft', '--profile', 'device', '--device', '--client-id', clientId], undefined, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.05'})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /https:\/\/microsoft\.com\/devicelogin/)
  })

  it('logout: no revocation endpoint, the login is only forgotten', async () => {
    const result = await suite.run(['logout', 'microsoft'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(requestsTo(suite.twin, '/revoke').length, 0)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})

describe('microsoft: each login keeps its own --tenant for refreshes, API calls and a wider-scope re-consent', () => {
  const suite = twinSuite(() => createMicrosoftTwin({clientId, allowPublicClientFlows: true}))
  const tenantOf = (path: string) => path.split('/')[1]

  it('refresh --scope wider re-consents at the login\'s tenant, not the one another login saved since', async () => {
    assert.equal((await suite.run(['login', 'microsoft', '--profile', 'contoso', '--tenant', 'contoso.onmicrosoft.com', '--client-id', clientId])).code, 0)
    assert.equal((await suite.run(['login', 'microsoft', '--profile', 'fabrikam', '--tenant', 'fabrikam.onmicrosoft.com', '--client-id', clientId])).code, 0)
    const before = suite.twin.log.length
    const result = await suite.run(['refresh', 'microsoft', '--profile', 'contoso', '--scope', 'openid profile offline_access User.Read Mail.Read', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).how, 'reconsent')
    const oauth = suite.twin.log.slice(before).filter((r) => r.host === 'login.microsoftonline.com')
    assert.deepEqual([...new Set(oauth.map((r) => tenantOf(r.url.pathname)))], ['contoso.onmicrosoft.com'])
    assert.match(oauth.find((r) => r.url.pathname.endsWith('/authorize'))!.url.searchParams.get('scope')!, /Mail\.Read/)
  })

  it('a plain refresh and a 401 refresh of each login go to its own tenant', async () => {
    for (const tenant of ['contoso', 'fabrikam']) {
      const before = suite.twin.log.length
      assert.equal((await suite.run(['refresh', 'microsoft', '--profile', tenant])).code, 0)
      suite.twin.grants.revoke((await suite.run(['token', 'microsoft', '--profile', tenant])).stdout.trim())
      assert.equal((await suite.run(['get', '-p', 'microsoft', '--profile', tenant, '/me'])).code, 0)
      const refreshes = suite.twin.log.slice(before).filter((r) => r.form.get('grant_type') === 'refresh_token')
      assert.equal(refreshes.length, 2)
      assert.deepEqual(refreshes.map((r) => tenantOf(r.url.pathname)), [`${tenant}.onmicrosoft.com`, `${tenant}.onmicrosoft.com`])
    }
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})

describe('microsoft preset against the Entra ID twin ("Allow public client flows" off)', () => {
  const suite = twinSuite(() => createMicrosoftTwin({clientId, allowPublicClientFlows: false}))

  it('login --device fails with AADSTS7000218: exit 5 and the hint to allow public client flows', async () => {
    const result = await suite.run(['login', 'microsoft', '--device', '--client-id', clientId], undefined, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.05'})
    assert.equal(result.code, 5)
    assert.match(result.stderr, /AADSTS7000218/)
    assert.match(result.stderr, /"Allow public client flows" to Yes/)
  })

  it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
})
