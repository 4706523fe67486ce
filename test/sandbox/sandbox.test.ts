import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {after, before, describe, test} from 'node:test'
import {fileURLToPath} from 'node:url'
import * as client from 'openid-client'
import {ConfigError} from '../../src/errors.js'
import {startSandbox, type Sandbox, type SandboxOptions} from '../../src/sandbox/server.js'

/**
 * Records what reaches process.stdout as text. console.* writes strings; node:test's own protocol to
 * its parent process goes through process.stdout as binary (v8-serialized) chunks, which are let through.
 */
function captureStdoutText(): {written: string[]; restore(): void} {
  const written: string[] = []
  const original = process.stdout.write
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
    if (typeof chunk === 'string') {
      written.push(chunk)
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
      callback?.()
      return true
    }
    return original.call(this, chunk, ...(rest as []))
  } as typeof process.stdout.write
  return {written, restore: () => void (process.stdout.write = original)}
}

// Installed for the whole file: the last test asserts that no test's sandbox wrote to stdout.
const fileStdout = captureStdoutText()

// The first test starts the first sandbox of this process, so it also covers oidc-provider's import.
test('writes nothing to stdout while starting and serving a login, and logs through options.log', async () => {
  const logged: string[] = []
  const sandbox = await startSandbox({port: 0, autoApprove: true, log: (line) => logged.push(line)})
  try {
    assert.deepEqual(fileStdout.written, [], 'nothing while importing oidc-provider and starting')
    const config = await discover(sandbox)
    const {callback, verifier} = await authorizeWithoutCookies(sandbox, {scope: 'openid profile offline_access'})
    const tokens = await client.authorizationCodeGrant(config, callback, {pkceCodeVerifier: verifier})
    await client.fetchUserInfo(config, tokens.access_token, 'demo')
    await client.refreshTokenGrant(config, tokens.refresh_token ?? '')
    await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}})
    await fetch(`${sandbox.issuer}/device`)
    await fetch(`${sandbox.issuer}/auth?client_id=nobody`)
  } finally {
    await sandbox.close()
  }
  assert.deepEqual(fileStdout.written, [], 'nothing while serving requests')
  assert.ok(logged.some((line) => line.startsWith('oidc-provider ready at ')), logged.join('\n'))
  assert.ok(!logged.some((line) => line.includes('Unsupported runtime')), 'the Node 20 runtime warning is dropped')
})

test('a fresh process running the sandbox prints nothing on stdout and no oidc-provider warning', () => {
  const fixture = fileURLToPath(new URL('./fixtures/run-once.ts', import.meta.url))
  const result = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(result.stdout, '')
  assert.doesNotMatch(result.stderr, /oidc-provider (WARNING|NOTICE)/)
  assert.match(result.stderr, /^log: oidc-provider ready at http:\/\/127\.0\.0\.1:\d+/m)
  assert.match(result.stderr, /^flow: 303 code$/m)
  assert.match(result.stderr, /^token: 200 refresh; api: 200$/m)
})

describe('sandbox with auto-approve', () => {
  let sandbox: Sandbox
  let config: client.Configuration
  const logged: string[] = []

  before(async () => {
    sandbox = await startSandbox({port: 0, autoApprove: true, log: (line) => logged.push(line)})
    config = await discover(sandbox)
  })
  after(() => sandbox.close())

  test('serves the same metadata at both well-known URLs', async () => {
    const openid = await getJson(`${sandbox.issuer}/.well-known/openid-configuration`)
    const oauth = await getJson(`${sandbox.issuer}/.well-known/oauth-authorization-server`)
    assert.deepEqual(oauth, openid)
    assert.equal(openid.issuer, sandbox.issuer)
    assert.equal(sandbox.issuer, `http://127.0.0.1:${sandbox.port}`)
    assert.equal(openid.authorization_response_iss_parameter_supported, true)
    assert.deepEqual(openid.code_challenge_methods_supported, ['S256'])
    assert.deepEqual(openid.response_types_supported, ['code'])
    for (const [key, path] of Object.entries({
      authorization_endpoint: '/auth',
      token_endpoint: '/token',
      userinfo_endpoint: '/me',
      revocation_endpoint: '/token/revocation',
      introspection_endpoint: '/token/introspection',
      device_authorization_endpoint: '/device/auth',
      registration_endpoint: '/reg',
      jwks_uri: '/jwks',
    })) {
      assert.equal(openid[key], `${sandbox.issuer}${path}`, key)
    }
    for (const scope of ['openid', 'profile', 'email', 'offline_access']) assert.ok((openid.scopes_supported as string[]).includes(scope))
    assert.equal(config.serverMetadata().issuer, sandbox.issuer)
  })

  test('auth code + PKCE completes without cookies, on any loopback port, with iss in the response', async () => {
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const redirectUri = 'http://127.0.0.1:61234/callback'
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const {callback, hops} = await followWithoutCookies(url)
    assert.equal(hops, 2, 'authorization endpoint -> /interaction/:uid -> redirect URI')
    assert.equal(`${callback.origin}${callback.pathname}`, redirectUri)
    assert.equal(callback.searchParams.get('iss'), sandbox.issuer)
    assert.equal(callback.searchParams.get('state'), state)

    const tokens = await client.authorizationCodeGrant(config, callback, {pkceCodeVerifier: verifier, expectedState: state})
    assert.ok(tokens.access_token)
    assert.ok(tokens.refresh_token)
    assert.ok(tokens.id_token)
    assert.equal(tokens.token_type.toLowerCase(), 'bearer')
    assert.equal(tokens.expires_in, 3600)
    assert.equal(tokens.claims()?.sub, 'demo')
    assert.deepEqual(new Set(tokens.scope?.split(' ')), new Set(['openid', 'profile', 'email', 'offline_access']))

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'demo')
    assert.equal(userinfo.name, 'Demo User')
    assert.equal(userinfo.given_name, 'Demo')
    assert.equal(userinfo.family_name, 'User')
    assert.equal(userinfo.preferred_username, 'demo')
    assert.equal(userinfo.email, 'demo@example.com')
    assert.equal(userinfo.email_verified, true)
  })

  test('issues a refresh token for offline_access without prompt=consent, and none without the scope', async () => {
    const withOffline = await loginWithoutCookies(sandbox, config, 'openid offline_access')
    assert.ok(withOffline.refresh_token)
    assert.match(withOffline.scope ?? '', /\boffline_access\b/)
    const without = await loginWithoutCookies(sandbox, config, 'openid profile')
    assert.equal(without.refresh_token, undefined)
  })

  test('keeps offline_access for pushed authorization requests too', async () => {
    const verifier = client.randomPKCECodeVerifier()
    const url = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: 'http://127.0.0.1:40000/callback',
      scope: 'openid offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const {callback} = await followWithoutCookies(url)
    const tokens = await client.authorizationCodeGrant(config, callback, {pkceCodeVerifier: verifier})
    assert.ok(tokens.refresh_token)
  })

  test('requires PKCE and a registered redirect path', async () => {
    const base = {client_id: 'oauthctl', response_type: 'code', scope: 'openid', state: 's'}
    const noPkce = new URL(`${sandbox.issuer}/auth?${new URLSearchParams({...base, redirect_uri: 'http://127.0.0.1:5000/callback'})}`)
    const response = await fetch(noPkce, {redirect: 'manual'})
    assert.equal(response.status, 303)
    const location = new URL(response.headers.get('location') ?? '')
    assert.equal(location.searchParams.get('error'), 'invalid_request')
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/)

    const wrongPath = new URL(
      `${sandbox.issuer}/auth?${new URLSearchParams({...base, redirect_uri: 'http://127.0.0.1:5000/elsewhere', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256'})}`,
    )
    const refused = await fetch(wrongPath, {redirect: 'manual'})
    assert.equal(refused.status, 400, 'an unregistered redirect URI gets an error page, not a redirect')
  })

  test('rotates refresh tokens: the new one differs, the old one is then invalid_grant, and stats count it', async () => {
    const before = sandbox.stats()
    const first = await loginWithoutCookies(sandbox, config, 'openid offline_access')
    const oldRefresh = first.refresh_token ?? assert.fail('no refresh token')
    const second = await client.refreshTokenGrant(config, oldRefresh)
    assert.ok(second.refresh_token)
    assert.notEqual(second.refresh_token, oldRefresh)
    assert.notEqual(second.access_token, first.access_token)

    await assert.rejects(client.refreshTokenGrant(config, oldRefresh), (error: unknown) => {
      assert.ok(error instanceof client.ResponseBodyError)
      assert.equal(error.error, 'invalid_grant')
      return true
    })

    const after = sandbox.stats()
    assert.equal(after.refreshGrants, before.refreshGrants + 1)
    assert.equal(after.grants.refresh_token, (before.grants.refresh_token ?? 0) + 1)
    assert.equal(after.grants.authorization_code, (before.grants.authorization_code ?? 0) + 1)
    assert.deepEqual(await getJson(`${sandbox.issuer}/sandbox/stats`), after)
  })

  test('/api/v2/me answers 401 without a token, 401 invalid_token for a bad one, and the caller for a good one', async () => {
    const none = await fetch(`${sandbox.issuer}/api/v2/me`)
    assert.equal(none.status, 401)
    assert.equal(none.headers.get('www-authenticate'), 'Bearer')
    assert.equal(((await none.json()) as {error: string}).error, 'unauthorized')

    const bad = await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: 'Bearer not-a-token'}})
    assert.equal(bad.status, 401)
    assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/)
    assert.equal(((await bad.json()) as {error: string}).error, 'invalid_token')

    const basic = await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: 'Basic b2F1dGhjdGw6eA=='}})
    assert.equal(basic.status, 401)
    assert.equal(basic.headers.get('www-authenticate'), 'Bearer')

    const {access_token: token} = await loginWithoutCookies(sandbox, config, 'openid profile')
    const good = await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${token}`}})
    assert.equal(good.status, 200)
    assert.deepEqual(await good.json(), {
      id: 'demo',
      localizedFirstName: 'Demo',
      localizedLastName: 'User',
      firstName: {localized: {en_US: 'Demo'}, preferredLocale: {country: 'US', language: 'en'}},
      lastName: {localized: {en_US: 'User'}, preferredLocale: {country: 'US', language: 'en'}},
    })
  })

  describe('demo API', () => {
    let token: string
    const api = (path: string, init: RequestInit = {}): Promise<Response> =>
      fetch(new URL(path, sandbox.issuer), {...init, redirect: 'manual', headers: {authorization: `Bearer ${token}`, ...init.headers}})

    before(async () => {
      token = (await loginWithoutCookies(sandbox, config, 'openid')).access_token
    })

    test('/api/items pages with absolute Link rel="next" headers until the last page', async () => {
      const ids: number[] = []
      const links: string[] = []
      let next: string | undefined = `${sandbox.issuer}/api/items`
      let pages = 0
      while (next) {
        const response = await api(next)
        assert.equal(response.status, 200)
        const body = (await response.json()) as {items: Array<{id: number}>; page: number}
        pages++
        assert.equal(body.page, pages)
        ids.push(...body.items.map((item) => item.id))
        const link = response.headers.get('link')
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined
        if (link) {
          assert.ok(next, `unexpected Link header: ${link}`)
          links.push(next ?? '')
        }
      }
      assert.equal(pages, 3)
      assert.deepEqual(ids, Array.from({length: 15}, (_, i) => i + 1))
      assert.deepEqual(links, [`${sandbox.issuer}/api/items?page=2`, `${sandbox.issuer}/api/items?page=3`])

      const custom = await api('/api/items?per_page=2&pages=2&page=2')
      assert.equal(custom.headers.get('link'), null)
      assert.deepEqual(((await custom.json()) as {items: Array<{id: number}>}).items.map((item) => item.id), [3, 4])
      assert.equal((await api('/api/items?page=zero')).status, 400)
    })

    test('/api/odata pages with @odata.nextLink', async () => {
      const ids: number[] = []
      let next: string | undefined = `${sandbox.issuer}/api/odata?per_page=4&pages=2`
      while (next) {
        const body = (await (await api(next)).json()) as {value: Array<{id: number}>; '@odata.nextLink'?: string}
        ids.push(...body.value.map((item) => item.id))
        next = body['@odata.nextLink']
        if (next) assert.ok(next.startsWith(`${sandbox.issuer}/api/odata?`))
      }
      assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8])
    })

    test('/api/big answers pages of about the requested size', async () => {
      const response = await api('/api/big?size=50000&pages=2')
      const text = await response.text()
      assert.equal(response.status, 200)
      assert.ok(text.length > 40_000 && text.length <= 50_000, `page of ${text.length} bytes`)
      const body = JSON.parse(text) as Array<{id: number}>
      assert.equal(body[0]?.id, 1)
      assert.equal(response.headers.get('link'), `<${sandbox.issuer}/api/big?size=50000&pages=2&page=2>; rel="next"`)
      const last = await api('/api/big?size=50000&pages=2&page=2')
      assert.equal(last.headers.get('link'), null)
      assert.equal((JSON.parse(await last.text()) as Array<{id: number}>)[0]?.id, body.length + 1)
    })

    test('/api/echo reflects the request but never the token', async () => {
      const response = await api('/api/echo?a=1&b=2&b=3', {
        method: 'POST',
        headers: {'content-type': 'application/json', 'X-Custom': 'yes'},
        body: JSON.stringify({hello: 'world'}),
      })
      const text = await response.text()
      assert.equal(response.status, 200)
      assert.ok(!text.includes(token), 'the access token is not echoed')
      const body = JSON.parse(text) as Record<string, unknown> & {headers: Record<string, string>}
      assert.equal(body.method, 'POST')
      assert.equal(body.path, '/api/echo')
      assert.deepEqual(body.query, {a: '1', b: ['2', '3']})
      assert.equal(body.headers.authorization, 'present')
      assert.equal(body.headers['x-custom'], 'yes')
      assert.equal(body.body, '{"hello":"world"}')
      assert.deepEqual(body.json, {hello: 'world'})

      const plain = (await (await api('/api/echo', {method: 'PUT', body: 'not json'})).json()) as Record<string, unknown>
      assert.equal(plain.method, 'PUT')
      assert.equal(plain.body, 'not json')
      assert.equal('json' in plain, false)
    })

    test('/api/flaky fails N times per key with Retry-After, then succeeds', async () => {
      const url = '/api/flaky?key=flaky-test&fail=2&status=429&retry_after=3'
      for (const attempt of [1, 2]) {
        const response = await api(url)
        assert.equal(response.status, 429)
        assert.equal(response.headers.get('retry-after'), '3')
        assert.equal(((await response.json()) as {attempts: number}).attempts, attempt)
      }
      const ok = await api(url)
      assert.equal(ok.status, 200)
      assert.deepEqual(await ok.json(), {ok: true, attempts: 3})

      const other = await api('/api/flaky?key=flaky-other&fail=1')
      assert.equal(other.status, 503, 'keys count separately; 503 is the default')
      assert.equal(other.headers.get('retry-after'), '0')
    })

    test('/api/redirect redirects and /api/status answers the asked status', async () => {
      const redirect = await api('/api/redirect?to=https%3A%2F%2Fexample.com%2Fx')
      assert.equal(redirect.status, 302)
      assert.equal(redirect.headers.get('location'), 'https://example.com/x')

      const status = await api('/api/status/418')
      assert.equal(status.status, 418)
      assert.deepEqual(await status.json(), {status: 418})
      assert.equal((await api('/api/status/204')).status, 204)
      assert.equal((await api('/api/nowhere')).status, 404)
    })
  })

  test('a revoked access token is rejected by the API; revocations are counted', async () => {
    const tokens = await loginWithoutCookies(sandbox, config, 'openid')
    const me = (): Promise<Response> => fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}})
    assert.equal((await me()).status, 200)
    const before = sandbox.stats().revocations
    await client.tokenRevocation(config, tokens.access_token)
    const response = await me()
    assert.equal(response.status, 401)
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    assert.equal(sandbox.stats().revocations, before + 1)
  })

  test('the public client can introspect its own tokens', async () => {
    const tokens = await loginWithoutCookies(sandbox, config, 'openid offline_access')
    const active = await client.tokenIntrospection(config, tokens.access_token)
    assert.equal(active.active, true)
    assert.equal(active.sub, 'demo')
    assert.equal(active.client_id, 'oauthctl')
    assert.equal(active.token_type, 'Bearer')
    const refresh = await client.tokenIntrospection(config, tokens.refresh_token ?? '')
    assert.equal(refresh.active, true)
    assert.match(refresh.scope ?? '', /\boffline_access\b/)
    await client.tokenRevocation(config, tokens.access_token)
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false)
  })

  test('dynamic registration accepts a native client that can then log in', async () => {
    const before = sandbox.stats().registrations
    const registered = await client.dynamicClientRegistration(
      new URL(sandbox.issuer),
      {
        client_name: 'registered in a test',
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      client.None(),
      {execute: [client.allowInsecureRequests]},
    )
    const clientId = registered.clientMetadata().client_id
    assert.ok(clientId && clientId !== 'oauthctl')
    assert.equal(sandbox.stats().registrations, before + 1)

    const verifier = client.randomPKCECodeVerifier()
    const url = client.buildAuthorizationUrl(registered, {
      redirect_uri: 'http://127.0.0.1:45678/cb',
      scope: 'openid offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const {callback} = await followWithoutCookies(url)
    const tokens = await client.authorizationCodeGrant(registered, callback, {pkceCodeVerifier: verifier})
    assert.ok(tokens.refresh_token)
  })

  test('the machine client gets tokens with client_credentials (basic and post), usable on the API', async () => {
    const before = sandbox.stats().grants.client_credentials ?? 0
    for (const auth of [client.ClientSecretBasic('sandbox-secret'), client.ClientSecretPost('sandbox-secret')]) {
      const machine = await client.discovery(new URL(sandbox.issuer), 'oauthctl-machine', undefined, auth, {
        execute: [client.allowInsecureRequests],
      })
      const tokens = await client.clientCredentialsGrant(machine, {scope: 'api'})
      assert.equal(tokens.scope, 'api')
      assert.equal(tokens.refresh_token, undefined)
      const me = await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}})
      assert.equal(me.status, 200)
      assert.equal(((await me.json()) as {id: string}).id, 'oauthctl-machine')
    }
    assert.equal(sandbox.stats().grants.client_credentials, before + 2)

    const wrong = await client.discovery(new URL(sandbox.issuer), 'oauthctl-machine', undefined, client.ClientSecretBasic('nope'), {
      execute: [client.allowInsecureRequests],
    })
    await assert.rejects(client.clientCredentialsGrant(wrong, {scope: 'api'}), (error: unknown) => {
      // A 401 with a Basic challenge: openid-client reports the challenge, not the body.
      assert.ok(error instanceof client.WWWAuthenticateChallengeError)
      assert.equal(error.cause[0]?.parameters.error, 'invalid_client')
      return true
    })
  })

  test('device flow: pending until approved through /sandbox/device/approve, then tokens', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, {scope: 'openid offline_access'})
    assert.equal(authorization.verification_uri, `${sandbox.issuer}/device`)
    const poll = async (): Promise<Response> =>
      fetch(`${sandbox.issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: authorization.device_code,
          client_id: 'oauthctl',
        }),
      })
    const pending = await poll()
    assert.equal(pending.status, 400)
    assert.equal(((await pending.json()) as {error: string}).error, 'authorization_pending')

    const approve = await fetch(`${sandbox.issuer}/sandbox/device/approve`, {
      method: 'POST',
      body: new URLSearchParams({user_code: authorization.user_code}),
    })
    assert.equal(approve.status, 200)
    const granted = await poll()
    assert.equal(granted.status, 200)
    const tokens = (await granted.json()) as {access_token: string; refresh_token?: string; id_token?: string}
    assert.ok(tokens.refresh_token)
    assert.ok(tokens.id_token)
    const again = await fetch(`${sandbox.issuer}/sandbox/device/approve`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({user_code: authorization.user_code}),
    })
    assert.equal(again.status, 409)
  })

  test('device flow: a denied user code ends with access_denied', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, {scope: 'openid'})
    await fetch(`${sandbox.issuer}/sandbox/device/approve`, {
      method: 'POST',
      body: new URLSearchParams({user_code: authorization.user_code, action: 'deny'}),
    })
    const response = await fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: authorization.device_code,
        client_id: 'oauthctl',
      }),
    })
    assert.equal(response.status, 400)
    assert.equal(((await response.json()) as {error: string}).error, 'access_denied')
  })

  test('logs what happened for people, without tokens', () => {
    assert.ok(logged.some((line) => line.startsWith('auto-approved "demo" for client oauthctl')))
    assert.ok(logged.some((line) => line === 'token issued: refresh_token for client oauthctl'))
    assert.ok(!logged.some((line) => /Bearer [\w-]{20,}/.test(line)))
  })
})

describe('sandbox with the login and consent pages', () => {
  let sandbox: Sandbox
  let config: client.Configuration

  before(async () => {
    sandbox = await startSandbox({port: 0})
    config = await discover(sandbox)
  })
  after(() => sandbox.close())

  test('the login form rejects a wrong password, accepts "sandbox", then consent issues tokens for that user', async () => {
    const browser = new CookieBrowser()
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50505/callback',
      scope: 'openid profile email offline_access',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const loginPage = await browser.follow(url)
    assert.equal(loginPage.status, 200)
    assert.match(loginPage.body, /<input [^>]*name="login"/)
    assert.match(loginPage.body, /<input [^>]*type="password"[^>]*name="password"|<input [^>]*name="password"[^>]*type="password"/)
    assert.match(loginPage.body, /<button type="submit">Sign in<\/button>/)
    assertNoExternalResources(loginPage.body)
    const loginAction = formAction(loginPage)

    const wrong = await browser.post(loginAction, {login: 'alice', password: 'wrong'})
    assert.equal(wrong.status, 401)
    assert.match(wrong.body, /Wrong password/)
    assert.match(wrong.body, /value="alice"/)

    const consentPage = await browser.follow(await browser.postForRedirect(loginAction, {login: 'alice', password: 'sandbox'}))
    assert.equal(consentPage.status, 200)
    for (const scope of ['openid', 'profile', 'email', 'offline_access']) assert.match(consentPage.body, new RegExp(`<code>${scope}</code>`))
    assert.match(consentPage.body, /<button type="submit" name="decision" value="allow"[^>]*>Allow<\/button>/)
    assert.match(consentPage.body, /<button type="submit" name="decision" value="deny"[^>]*>Deny<\/button>/)
    assertNoExternalResources(consentPage.body)

    const callback = await browser.follow(await browser.postForRedirect(formAction(consentPage), {decision: 'allow'}))
    assert.equal(callback.status, 'callback')
    assert.equal(callback.url.searchParams.get('iss'), sandbox.issuer)
    const tokens = await client.authorizationCodeGrant(config, callback.url, {pkceCodeVerifier: verifier, expectedState: state})
    assert.equal(tokens.claims()?.sub, 'alice')
    assert.ok(tokens.refresh_token)
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'alice')
    assert.equal(userinfo.email, 'alice@example.com')
    assert.equal(userinfo.preferred_username, 'alice')
  })

  test('Deny ends the authorization with access_denied at the redirect URI', async () => {
    const browser = new CookieBrowser()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50506/callback',
      scope: 'openid',
      state: 'deny-state',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    const loginPage = await browser.follow(url)
    const consentPage = await browser.follow(await browser.postForRedirect(formAction(loginPage), {login: 'bob', password: 'sandbox'}))
    const callback = await browser.follow(await browser.postForRedirect(formAction(consentPage), {decision: 'deny'}))
    assert.equal(callback.status, 'callback')
    assert.equal(callback.url.searchParams.get('error'), 'access_denied')
    assert.equal(callback.url.searchParams.get('state'), 'deny-state')
    assert.equal(callback.url.searchParams.get('iss'), sandbox.issuer)
  })

  test('device flow through the verification pages: code entry, confirmation, sign-in, consent', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, {scope: 'openid offline_access'})
    const browser = new CookieBrowser()
    const entry = await browser.follow(new URL(authorization.verification_uri))
    assert.equal(entry.status, 200)
    assert.match(entry.body, /Device sign-in/)
    assertNoExternalResources(entry.body)

    const confirm = await browser.post(formAction(entry), {...hiddenInputs(entry), user_code: authorization.user_code})
    assert.equal(confirm.status, 200)
    assert.match(confirm.body, new RegExp(authorization.user_code))
    const loginUrl = await browser.postForRedirect(formAction(confirm), hiddenInputs(confirm))
    const loginPage = await browser.follow(loginUrl)
    assert.match(loginPage.body, /Sign in/)
    const consentPage = await browser.follow(await browser.postForRedirect(formAction(loginPage), {login: 'carol', password: 'sandbox'}))
    const done = await browser.follow(await browser.postForRedirect(formAction(consentPage), {decision: 'allow'}))
    assert.equal(done.status, 200)
    assert.match(done.body, /Device signed in/)

    const response = await fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: authorization.device_code,
        client_id: 'oauthctl',
      }),
    })
    assert.equal(response.status, 200)
    const tokens = (await response.json()) as {access_token: string; refresh_token?: string}
    assert.ok(tokens.refresh_token)
    const me = await fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}})
    assert.equal(((await me.json()) as {id: string}).id, 'carol')
  })

  test('without its cookies the interaction page is an error page, not a login', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50507/callback',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    const first = await fetch(url, {redirect: 'manual'})
    const page = await fetch(new URL(first.headers.get('location') ?? '', sandbox.issuer), {redirect: 'manual'})
    assert.equal(page.status, 400)
    assert.match(await page.text(), /expired/)
  })
})

test('a short access-token lifetime makes the API answer 401 invalid_token after expiry', async () => {
  // 2 s, not 1: expiry is counted in whole seconds, so a 1 s token can be dead within milliseconds.
  const sandbox = await startSandbox({port: 0, autoApprove: true, accessTokenTtl: 2})
  try {
    const config = await discover(sandbox)
    const tokens = await loginWithoutCookies(sandbox, config, 'openid')
    assert.equal(tokens.expires_in, 2)
    const me = (): Promise<Response> => fetch(`${sandbox.issuer}/api/v2/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}})
    assert.equal((await me()).status, 200)
    await new Promise((resolve) => setTimeout(resolve, 3100))
    const expired = await me()
    assert.equal(expired.status, 401)
    assert.match(expired.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/)
  } finally {
    await sandbox.close()
  }
})

test('refuses a non-loopback host with a ConfigError', async () => {
  await assert.rejects(startSandbox({port: 0, host: '0.0.0.0'}), (error: unknown) => {
    assert.ok(error instanceof ConfigError)
    assert.match(error.message, /loopback/)
    return true
  })
})

test('passes the listen error through when the port is taken', async () => {
  const first = await startSandbox({port: 0})
  try {
    await assert.rejects(startSandbox({port: first.port}), {code: 'EADDRINUSE'})
  } finally {
    await first.close()
  }
})

test('close() ends open keep-alive connections and stops listening', async () => {
  const sandbox = await startSandbox({port: 0})
  const response = await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)
  assert.equal(response.status, 200)
  await response.arrayBuffer()
  await sandbox.close()
  await assert.rejects(fetch(`${sandbox.issuer}/.well-known/openid-configuration`))
})

test('a custom issuer is used as given', async () => {
  const options: SandboxOptions = {port: 0, issuer: 'http://localhost:1/'}
  const sandbox = await startSandbox(options)
  try {
    const metadata = await getJson(`http://127.0.0.1:${sandbox.port}/.well-known/openid-configuration`)
    assert.equal(sandbox.issuer, 'http://localhost:1/')
    assert.equal(metadata.issuer, 'http://localhost:1/')
  } finally {
    await sandbox.close()
  }
})

test('no sandbox in this file wrote anything to stdout', () => {
  fileStdout.restore()
  assert.deepEqual(fileStdout.written, [])
})

// ---------------------------------------------------------------------------------------------------

async function discover(sandbox: Sandbox): Promise<client.Configuration> {
  return client.discovery(new URL(sandbox.issuer), 'oauthctl', undefined, client.None(), {execute: [client.allowInsecureRequests]})
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url)
  assert.equal(response.status, 200, url)
  return (await response.json()) as Record<string, unknown>
}

/** Follows redirects by hand and without a cookie jar until one points at a loopback client callback. */
async function followWithoutCookies(start: URL): Promise<{callback: URL; hops: number}> {
  let url = start
  for (let hops = 0; hops < 10; hops++) {
    const response = await fetch(url, {redirect: 'manual'})
    const location = response.headers.get('location')
    if (!location) assert.fail(`no redirect from ${url.pathname}: ${response.status} ${await response.text()}`)
    const next = new URL(location, url)
    if (next.origin !== start.origin) return {callback: next, hops: hops + 1}
    url = next
  }
  assert.fail('too many redirects')
}

async function authorizeWithoutCookies(sandbox: Sandbox, {scope}: {scope: string}): Promise<{callback: URL; verifier: string}> {
  const config = await discover(sandbox)
  const verifier = client.randomPKCECodeVerifier()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:43210/callback',
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })
  return {...(await followWithoutCookies(url)), verifier}
}

async function loginWithoutCookies(
  sandbox: Sandbox,
  config: client.Configuration,
  scope: string,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const {callback, verifier} = await authorizeWithoutCookies(sandbox, {scope})
  return client.authorizationCodeGrant(config, callback, {pkceCodeVerifier: verifier})
}

function assertNoExternalResources(html: string): void {
  assert.doesNotMatch(html, /\b(src|href)=|@import|url\(/, 'the page loads nothing from elsewhere')
}

interface Page {
  status: number | 'callback'
  url: URL
  body: string
}

function formAction(page: Page): URL {
  const action = /<form\b[^>]*\baction="([^"]+)"/.exec(page.body)?.[1]
  assert.ok(action, 'the page has a form')
  return new URL(action.replace(/&amp;/g, '&'), page.url)
}

function hiddenInputs(page: Page): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const match of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    inputs[match[1] ?? ''] = (match[2] ?? '').replace(/&amp;/g, '&')
  }
  return inputs
}

/** A browser reduced to what these tests need: cookies per path, manual redirects, form posts. */
class CookieBrowser {
  readonly #cookies = new Map<string, {value: string; path: string}>()

  async follow(start: URL): Promise<Page> {
    let url = start
    for (let hops = 0; hops < 10; hops++) {
      if (url.port === '' || !['127.0.0.1'].includes(url.hostname)) assert.fail(`unexpected redirect to ${url.href}`)
      if (url.pathname === '/callback') return {status: 'callback', url, body: ''}
      const response = await fetch(url, {redirect: 'manual', headers: this.#headerFor(url)})
      this.#store(response)
      const location = response.headers.get('location')
      if (!location) return {status: response.status, url, body: await response.text()}
      url = new URL(location, url)
    }
    assert.fail('too many redirects')
  }

  async post(url: URL, form: Record<string, string>): Promise<Page> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {...this.#headerFor(url), 'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(form),
    })
    this.#store(response)
    return {status: response.status, url, body: await response.text()}
  }

  async postForRedirect(url: URL, form: Record<string, string>): Promise<URL> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {...this.#headerFor(url), 'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(form),
    })
    this.#store(response)
    assert.equal(response.status, 303, await response.clone().text())
    return new URL(response.headers.get('location') ?? '', url)
  }

  #headerFor(url: URL): Record<string, string> {
    const pairs = [...this.#cookies]
      .filter(([, cookie]) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
    return pairs.length ? {cookie: pairs.join('; ')} : {}
  }

  #store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const path = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/'
      const expired = /expires=Thu, 01 Jan 1970/i.test(header) || value === ''
      if (expired) this.#cookies.delete(name)
      else this.#cookies.set(name, {value, path})
    }
  }
}
