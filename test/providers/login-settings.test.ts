import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {ConfigError, ExitCode} from '../../src/errors.js'
import {runApiRequest} from '../../src/http/api-request.js'
import {clientSecretKey} from '../../src/providers/client-secret.js'
import {login, type LoginInput} from '../../src/login/login.js'
import {resolveTarget} from '../../src/session/session.js'
import {updateConfig} from '../../src/config.js'
import {fakeIdToken, makeTestContext, sendJson, startFake, type FakeServer} from './helpers.js'

const servers: FakeServer[] = []
after(() => Promise.all(servers.map((server) => server.close())))

function input(t: ReturnType<typeof makeTestContext>, provider: string, extra: Partial<LoginInput> = {}): LoginInput {
  return {target: resolveTarget(t.ctx.config(), provider, extra.target?.profile ?? 'default'), timeoutMs: 5000, openBrowser: true, ...extra}
}

/** Points a built-in preset at a fake server through a config override, as a user could. */
async function pointAt(t: ReturnType<typeof makeTestContext>, name: string, fields: Record<string, unknown>): Promise<void> {
  await updateConfig(t.configDir, (config) => {
    config.providers = {...config.providers, [name]: fields}
  })
}

describe('login: your own app', () => {
  it('without a client id: exit 3 naming the console and the redirect URI, before the store or the browser is touched', async () => {
    const t = makeTestContext()
    try {
      await assert.rejects(login(t.ctx, input(t, 'github')), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.exitCode, ExitCode.config)
        assert.match(error.message, /GitHub needs a client id from your own OAuth app/)
        assert.match(error.hint ?? '', /https:\/\/github\.com\/settings\/developers/)
        assert.match(error.hint ?? '', /http:\/\/127\.0\.0\.1\/callback \(any port\)/)
        assert.match(error.hint ?? '', /oauthctl providers show github/)
        return true
      })
      assert.equal(t.browser.opened.length, 0)
      assert.equal(t.storeOpened(), 0)
    } finally {
      t.cleanup()
    }
  })

  it('a client secret given once is kept in the store (never in config.json) and reused with the saved client id', async () => {
    const t = makeTestContext()
    let issued = 0
    const server = await startFake((request, res) => {
      if (request.path === '/login/oauth/access_token') {
        issued++
        res.writeHead(200, {'content-type': 'application/x-www-form-urlencoded'})
        res.end(`access_token=gho_token${issued}&scope=read%3Auser&token_type=bearer`)
      } else if (request.path === '/user') sendJson(res, 200, {login: 'octocat', id: 1, name: 'The Octocat'})
      else sendJson(res, 404, {})
    })
    servers.push(server)
    try {
      await pointAt(t, 'github', {
        authorizationEndpoint: `${server.origin}/login/oauth/authorize`,
        tokenEndpoint: `${server.origin}/login/oauth/access_token`,
        deviceAuthorizationEndpoint: `${server.origin}/login/device/code`,
        apiBase: server.origin,
        apiOrigins: [server.origin],
      })
      // Given: a first login with --client-id and --client-secret
      const first = await login(t.ctx, input(t, 'github', {clientId: 'Iv1.mine', clientSecret: 'gh-secret-1'}))
      assert.equal(first.record.clientId, 'Iv1.mine')
      assert.equal((await t.store.get(clientSecretKey('github', 'Iv1.mine')))?.clientSecret, 'gh-secret-1')
      assert.equal(t.ctx.config().providers?.github?.clientId, 'Iv1.mine')
      // When: a second login (another profile) names neither
      const second = await login(t.ctx, input(t, 'github', {target: resolveTarget(t.ctx.config(), 'github', 'work')}))
      // Then: the saved id and the stored secret were used, and the secret never reached config.json
      assert.equal(second.record.clientId, 'Iv1.mine')
      const exchange = new URLSearchParams(server.requests.filter((r) => r.path === '/login/oauth/access_token')[1].body)
      assert.equal(exchange.get('client_id'), 'Iv1.mine')
      assert.equal(exchange.get('client_secret'), 'gh-secret-1')
      assert.equal((await t.store.get('github:work'))?.clientSecret, 'gh-secret-1')
      const {readFileSync} = await import('node:fs')
      assert.ok(!readFileSync(`${t.configDir}/config.json`, 'utf8').includes('gh-secret-1'))
      assert.match(t.stderr(), /Client secret of Iv1\.mine kept in memory/)
    } finally {
      t.cleanup()
    }
  })

  it('a stored secret is never paired with another client id', async () => {
    const t = makeTestContext()
    try {
      await t.store.set(clientSecretKey('github', 'Iv1.old'), {accessToken: '', clientSecret: 'old-secret'})
      await assert.rejects(login(t.ctx, input(t, 'github', {clientId: 'Iv1.new'})), /needs a client secret/)
      assert.equal(t.browser.opened.length, 0)
    } finally {
      t.cleanup()
    }
  })
})

describe('login: provider options and API base from the token response', () => {
  it('Salesforce: instance_url becomes the stored API base, and `get` goes there', async () => {
    const t = makeTestContext()
    const instance = await startFake((request, res) => {
      if (request.path === '/services/data/v62.0/limits') sendJson(res, 200, {DailyApiRequests: {Max: 15000}, auth: request.headers.authorization})
      else sendJson(res, 404, {path: request.path})
    })
    const login_ = await startFake((request, res) => {
      if (request.path === '/services/oauth2/token') {
        sendJson(res, 200, {access_token: '00Dxx!token', refresh_token: '5Aep', instance_url: instance.origin, token_type: 'Bearer', scope: 'api refresh_token id'})
      } else if (request.path === '/services/oauth2/userinfo') sendJson(res, 200, {sub: 'https://login/id/00D/005', name: 'Ada Admin', email: 'ada@example.com'})
      else sendJson(res, 404, {})
    })
    servers.push(instance, login_)
    try {
      await pointAt(t, 'salesforce', {
        issuer: login_.origin,
        authorizationEndpoint: `${login_.origin}/services/oauth2/authorize`,
        tokenEndpoint: `${login_.origin}/services/oauth2/token`,
        revocationEndpoint: `${login_.origin}/services/oauth2/revoke`,
        userinfoEndpoint: `${login_.origin}/services/oauth2/userinfo`,
        meEndpoint: `${login_.origin}/services/oauth2/userinfo`,
        apiOrigins: [login_.origin],
        loopback: {host: 'localhost', anyPort: false, defaultPort: 1717, path: '/OauthRedirect'},
      })
      const result = await login(t.ctx, input(t, 'salesforce', {clientId: '3MVG9', clientSecret: 'sf', port: 0}))
      assert.equal(result.record.apiBase, `${instance.origin}/services/data/v62.0`)
      assert.equal(t.ctx.config().logins?.['salesforce:default']?.apiBase, `${instance.origin}/services/data/v62.0`)
      assert.equal(result.identity.name, 'Ada Admin')
      await runApiRequest(t.ctx, {method: 'GET', pathOrUrl: '/limits', headers: [], allowHosts: [], include: false})
      const body = JSON.parse(t.stdout())
      assert.equal(body.DailyApiRequests.Max, 15000)
      assert.equal(body.auth, 'Bearer 00Dxx!token')
    } finally {
      t.cleanup()
    }
  })

  it('--host is used for the login and saved, so that later logins and refreshes go to the same host', async () => {
    // The preset says https://{host}; the test's fetch carries that host to a local plain-http fake.
    // GitLab answers the default `openid` scope with an ID token that carries the login's nonce.
    const idToken = () => fakeIdToken({iss: 'https://git.example.test', aud: 'gl-app', sub: '42', name: 'Ada', nonce: t.browser.opened[0]?.searchParams.get('nonce')})
    const server = await startFake((request, res) => {
      if (request.path === '/oauth/token') sendJson(res, 200, {access_token: 'glpat', refresh_token: 'glrt', token_type: 'Bearer', expires_in: 7200, id_token: idToken()})
      else if (request.path === '/api/v4/user') sendJson(res, 200, {id: 42, username: 'ada', name: 'Ada'})
      else sendJson(res, 404, {})
    })
    servers.push(server)
    const seen: string[] = []
    const t = makeTestContext({}, {
      fetch: (url, init) => {
        seen.push(String(url))
        return fetch(String(url).replace('https://git.example.test', server.origin), init)
      },
    })
    try {
      const result = await login(t.ctx, input(t, 'gitlab', {clientId: 'gl-app', providerFlags: {host: 'git.example.test', tenant: undefined}}))
      assert.equal(t.browser.opened[0].origin, 'https://git.example.test')
      assert.ok(seen.includes('https://git.example.test/oauth/token'))
      assert.equal(result.identity.name, 'Ada')
      assert.deepEqual(t.ctx.config().providers?.gitlab, {clientId: 'gl-app', optionValues: {host: 'git.example.test'}})
      assert.match(t.stderr(), /Saved --host git\.example\.test for gitlab/)
      const {resolveProvider} = await import('../../src/providers/registry.js')
      assert.equal(resolveProvider('gitlab', t.ctx.config(), {}).tokenEndpoint, 'https://git.example.test/oauth/token')
    } finally {
      t.cleanup()
    }
  })

  it('a bad or foreign provider option is exit 3 before the browser opens', async () => {
    const t = makeTestContext()
    try {
      await assert.rejects(
        login(t.ctx, input(t, 'gitlab', {clientId: 'x', providerFlags: {host: 'evil.example/x'}})),
        (error: unknown) => error instanceof ConfigError && /--host/.test(error.message),
      )
      await assert.rejects(
        login(t.ctx, input(t, 'github', {clientId: 'x', clientSecret: 'y', providerFlags: {tenant: 'contoso'}})),
        (error: unknown) => error instanceof ConfigError && /--tenant does not apply to GitHub/.test(error.message),
      )
      assert.equal(t.browser.opened.length, 0)
    } finally {
      t.cleanup()
    }
  })
})
