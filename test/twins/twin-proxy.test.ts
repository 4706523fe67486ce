import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createLinkedinTwin} from './providers/linkedin.js'
import {requestsTo, twinSuite} from './twin-harness.js'

describe('twin infrastructure: the TLS-terminating proxy in front of a provider twin', () => {
  const suite = twinSuite(() => createLinkedinTwin({clientId: 'li-client', clientSecret: 'li-secret', redirectUri: 'http://127.0.0.1:8085/callback'}))

  it('an API call to the real host name reaches the twin through HTTPS_PROXY, TLS verified against the test CA', async () => {
    const token = suite.twin.grants.issueTokens({clientId: 'li-client', scope: 'openid profile email', user: 'x'}, false).access_token
    const result = await suite.run(['get', '-p', 'linkedin', '/v2/userinfo'], undefined, {OAUTHCTL_TOKEN: token})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).sub, 'li-782bbtaQ')
    const [request] = requestsTo(suite.twin, '/v2/userinfo')
    assert.equal(request.host, 'api.linkedin.com')
    assert.equal(request.bearer, token)
  })

  it('without the test CA the CLI refuses the twin certificate: TLS is really verified', async () => {
    const result = await suite.run(['get', '-p', 'linkedin', '/v2/userinfo'], undefined, {OAUTHCTL_TOKEN: 'x', NODE_EXTRA_CA_CERTS: ''})
    assert.equal(result.code, 7)
    assert.match(result.stderr, /certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i)
  })

  it('a host no twin claims is refused at CONNECT and recorded', async () => {
    const result = await suite.run(['get', '-p', 'linkedin', 'https://elsewhere.example/x', '--allow-host', 'elsewhere.example'], undefined, {OAUTHCTL_TOKEN: 'x'})
    assert.equal(result.code, 7)
    assert.deepEqual(suite.proxy.refused.splice(0), ['CONNECT elsewhere.example:443'])
  })

  it('nothing else was meant for the network', () => assert.deepEqual(suite.proxy.refused, []))
})
