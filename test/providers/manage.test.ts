import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {ConfigData} from '../../src/config.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {addProvider} from '../../src/providers/add-provider.js'
import {runApiRequest} from '../../src/http/api-request.js'
import {clientSecretKey} from '../../src/providers/client-secret.js'
import {login} from '../../src/login/login.js'
import {formatProviderDetails, formatProviderTable, listProviderDetails, showProvider} from '../../src/providers/provider-report.js'
import {removeProvider} from '../../src/providers/remove-provider.js'
import {resolveTarget} from '../../src/session/session.js'
import {switchDefault} from '../../src/session/switch.js'
import {startSandbox, type Sandbox} from '../../src/sandbox/server.js'
import {makeTestContext, sandboxBrowser, sendJson, startFake, type FakeServer, type TestContext} from './helpers.js'

let sandbox: Sandbox
const servers: FakeServer[] = []
before(async () => {
  sandbox = await startSandbox({port: 0, autoApprove: true})
})
after(async () => {
  await Promise.all(servers.map((server) => server.close()))
  await sandbox.close()
})

const exits = (code: number, pattern: RegExp) => (error: unknown) =>
  error instanceof OauthctlError && error.exitCode === code && pattern.test(`${error.message} ${error.hint ?? ''}`)

function context(): TestContext {
  return makeTestContext({OAUTHCTL_SANDBOX_ISSUER: sandbox.issuer}, {browser: sandboxBrowser()})
}

async function loginTo(t: TestContext, provider: string, profile = 'default', extra: {clientId?: string; scopes?: string[]} = {}) {
  return login(t.ctx, {target: resolveTarget(t.ctx.config(), provider, profile), timeoutMs: 10_000, openBrowser: true, ...extra})
}

describe('providers add --issuer --register, then login and get (sandbox, in process)', () => {
  let t: TestContext
  before(() => {
    t = context()
  })
  after(() => t.cleanup())

  it('discovers, registers a public client, stores endpoints and client id in the config', async () => {
    const result = await addProvider(t.ctx, {name: 'corp', issuer: sandbox.issuer, apiBase: `${sandbox.issuer}/api`, register: true})
    assert.equal(result.discovered?.kind, 'openid-configuration')
    assert.equal(result.registered?.hasSecret, false)
    const entry = t.ctx.config().providers?.corp as Record<string, unknown>
    assert.equal(entry.issuer, sandbox.issuer)
    assert.equal(entry.tokenEndpoint, `${sandbox.issuer}/token`)
    assert.equal(entry.clientId, result.registered?.clientId)
    assert.equal(entry.clientAuth, 'none')
    assert.equal(entry.issParameterSupported, true)
    assert.deepEqual(entry.defaultScopes, ['openid', 'profile', 'email', 'offline_access'])
    assert.equal(result.details.source, 'custom')
    assert.equal(result.details.needsOwnApp, false)
    assert.equal(result.details.redirectUri, 'http://127.0.0.1/callback')
    assert.equal(t.store.keys().length, 0, 'a public client has no secret to store')
  })

  it('logs in with the registered client and calls the API', async () => {
    const result = await loginTo(t, 'corp')
    assert.equal(result.record.subject, 'demo')
    assert.equal(result.record.clientId, t.ctx.config().providers?.corp?.clientId)
    await runApiRequest(t.ctx, {method: 'GET', pathOrUrl: '/v2/me', headers: [], allowHosts: [], include: false})
    assert.equal(JSON.parse(t.stdout()).id, 'demo')
  })

  it('refuses to remove it while logged in (exit 3), then --force logs out and removes it', async () => {
    await assert.rejects(removeProvider(t.ctx, {name: 'corp', force: false}), exits(ExitCode.config, /still logged in to corp.*--force/s))
    assert.ok(t.ctx.config().providers?.corp)
    const removed = await removeProvider(t.ctx, {name: 'corp', force: true})
    assert.deepEqual(removed, {name: 'corp', removed: 'custom', loggedOut: ['default']})
    assert.equal(t.ctx.config().providers?.corp, undefined)
    assert.equal(t.ctx.config().logins?.['corp:default'], undefined)
    assert.equal(await t.store.get('corp:default'), undefined)
  })
})

describe('providers add with endpoints by hand (sandbox, no metadata read)', () => {
  it('logs in with the given client id and scopes', async () => {
    const t = context()
    try {
      const result = await addProvider(t.ctx, {
        name: 'manual',
        authorizeUrl: `${sandbox.issuer}/auth`,
        tokenUrl: `${sandbox.issuer}/token`,
        revocationUrl: `${sandbox.issuer}/token/revocation`,
        apiBase: `${sandbox.issuer}/api/`,
        clientId: 'oauthctl',
        // No openid: without metadata oauthctl cannot know the ID token algorithm (the sandbox signs ES256).
        scopes: ['profile', 'offline_access'],
      })
      assert.equal(result.discovered, undefined)
      assert.equal(result.details.apiBase, `${sandbox.issuer}/api`)
      assert.deepEqual(result.details.apiOrigins, [sandbox.issuer])
      const logged = await loginTo(t, 'manual')
      assert.ok(logged.record.hasRefreshToken)
      assert.equal(logged.record.clientId, 'oauthctl')
      await runApiRequest(t.ctx, {method: 'GET', pathOrUrl: '/v2/me', headers: [], allowHosts: [], include: false})
      assert.equal(JSON.parse(t.stdout()).id, 'demo')
    } finally {
      t.cleanup()
    }
  })

  it('needs --authorize-url, --token-url and --api-base (exit 2)', async () => {
    const t = context()
    try {
      await assert.rejects(addProvider(t.ctx, {name: 'x1', authorizeUrl: 'https://id.example/auth'}), exits(ExitCode.usage, /--token-url/))
      await assert.rejects(
        addProvider(t.ctx, {name: 'x1', authorizeUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token'}),
        exits(ExitCode.usage, /--api-base/),
      )
      await assert.rejects(
        addProvider(t.ctx, {name: 'x1', authorizeUrl: 'http://id.example/auth', tokenUrl: 'https://id.example/token', apiBase: 'https://api.example'}),
        exits(ExitCode.config, /--authorize-url .* must use https/),
      )
      assert.equal(t.ctx.config().providers, undefined)
    } finally {
      t.cleanup()
    }
  })
})

describe('providers add: RFC 8414-only server, confidential registration', () => {
  it('stores the issued secret in the store only and sets Basic client authentication', async () => {
    const server = await startFake((request, res, origin) => {
      if (request.path === '/.well-known/oauth-authorization-server') {
        sendJson(res, 200, {
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          registration_endpoint: `${origin}/register`,
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        })
      } else if (request.path === '/register') sendJson(res, 201, {client_id: 'issued-id', client_secret: 'issued-secret-123', token_endpoint_auth_method: 'client_secret_basic'})
      else sendJson(res, 404, {})
    })
    servers.push(server)
    const t = context()
    try {
      const result = await addProvider(t.ctx, {name: 'legacy', issuer: server.origin, register: true})
      assert.equal(result.discovered?.kind, 'oauth-authorization-server')
      assert.equal(result.details.apiBase, server.origin)
      assert.equal(result.details.clientAuth, 'client_secret_basic')
      assert.equal(result.registered?.hasSecret, true)
      assert.equal((await t.store.get(clientSecretKey('legacy', 'issued-id')))?.clientSecret, 'issued-secret-123')
      const file = readFileSync(join(t.configDir, 'config.json'), 'utf8')
      assert.ok(file.includes('issued-id'))
      assert.ok(!file.includes('issued-secret-123'))
      // Removing the provider removes its secret too.
      await removeProvider(t.ctx, {name: 'legacy', force: false})
      assert.equal(await t.store.get(clientSecretKey('legacy', 'issued-id')), undefined)
    } finally {
      t.cleanup()
    }
  })
})

describe('providers add: names, built-ins, variants', () => {
  it('refuses built-in names for new providers, duplicates without --force, and bad names', async () => {
    const t = context()
    try {
      const manual = {authorizeUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token', apiBase: 'https://api.example'}
      await assert.rejects(addProvider(t.ctx, {name: 'github', ...manual}), exits(ExitCode.config, /built-in preset/))
      await assert.rejects(addProvider(t.ctx, {name: 'Bad Name', ...manual}), exits(ExitCode.usage, /lower-case/))
      await addProvider(t.ctx, {name: 'mine', ...manual})
      await assert.rejects(addProvider(t.ctx, {name: 'mine', ...manual}), exits(ExitCode.config, /already exists.*--force/s))
      await addProvider(t.ctx, {name: 'mine', ...manual, apiBase: 'https://api2.example', force: true})
      assert.equal(showProvider(t.ctx.config(), t.ctx.env, 'mine').apiBase, 'https://api2.example')
      await assert.rejects(addProvider(t.ctx, {name: 'mine', ...manual, register: true, force: true}), exits(ExitCode.config, /no dynamic client registration/))
      await assert.rejects(addProvider(t.ctx, {name: 'nope'}), exits(ExitCode.usage, /not a known provider/))
      await assert.rejects(addProvider(t.ctx, {name: 'github'}), exits(ExitCode.usage, /nothing to change/))
    } finally {
      t.cleanup()
    }
  })

  it('sets your app for a built-in preset (client id in the config, secret in the store) and remove resets it', async () => {
    const t = context()
    try {
      const result = await addProvider(t.ctx, {name: 'github', clientId: 'Iv1.abc', clientSecret: 'gh-s3cret', scopes: ['repo']})
      assert.equal(result.updated, true)
      assert.equal(result.details.source, 'override')
      assert.equal(result.details.clientId, 'Iv1.abc')
      assert.deepEqual(result.details.defaultScopes, ['repo'])
      assert.equal(result.details.tokenEndpoint, 'https://github.com/login/oauth/access_token')
      assert.equal((await t.store.get(clientSecretKey('github', 'Iv1.abc')))?.clientSecret, 'gh-s3cret')
      assert.deepEqual(t.ctx.config().providers?.github, {clientId: 'Iv1.abc', defaultScopes: ['repo']})
      const removed = await removeProvider(t.ctx, {name: 'github', force: false})
      assert.equal(removed.removed, 'override')
      assert.equal(showProvider(t.ctx.config(), t.ctx.env, 'github').clientId, undefined)
      await assert.rejects(removeProvider(t.ctx, {name: 'github', force: false}), exits(ExitCode.config, /nothing to remove/))
      await assert.rejects(removeProvider(t.ctx, {name: 'nope', force: false}), exits(ExitCode.config, /unknown provider/))
    } finally {
      t.cleanup()
    }
  })

  it('makes a named variant of a parameterised preset (--preset gitlab --host)', async () => {
    const t = context()
    try {
      const result = await addProvider(t.ctx, {name: 'work-gitlab', preset: 'gitlab', presetFlags: {host: 'git.corp.example'}, clientId: 'gl'})
      assert.equal(result.details.tokenEndpoint, 'https://git.corp.example/oauth/token')
      assert.equal(result.details.displayName, 'GitLab')
      assert.equal(result.details.name, 'work-gitlab')
      assert.deepEqual(result.details.optionValues, {host: 'git.corp.example'})
      assert.equal(showProvider(t.ctx.config(), t.ctx.env, 'gitlab').tokenEndpoint, 'https://gitlab.com/oauth/token')
      await assert.rejects(
        addProvider(t.ctx, {name: 'bad-ms', preset: 'microsoft', presetFlags: {host: 'x.example'}}),
        exits(ExitCode.config, /--host does not apply/),
      )
    } finally {
      t.cleanup()
    }
  })
})

describe('providers list / show', () => {
  it('show states the redirect URI to register and whether you bring your own app', () => {
    const t = context()
    try {
      const linkedin = showProvider({}, t.ctx.env, 'linkedin')
      assert.equal(linkedin.redirectUri, 'http://127.0.0.1:8085/callback')
      assert.equal(linkedin.redirectPort, 8085)
      assert.equal(linkedin.needsOwnApp, true)
      assert.equal(showProvider({}, t.ctx.env, 'linkedin', {port: 9001}).redirectUri, 'http://127.0.0.1:9001/callback')
      assert.equal(showProvider({}, t.ctx.env, 'microsoft').redirectUri, 'http://localhost/callback')
      assert.equal(showProvider({}, t.ctx.env, 'salesforce').redirectUri, 'http://localhost:1717/OauthRedirect')
      assert.equal(showProvider({}, t.ctx.env, 'sandbox').needsOwnApp, false)
      const text = formatProviderDetails(showProvider({}, t.ctx.env, 'slack')).join('\n')
      assert.match(text, /Redirect URI to register: *http:\/\/localhost:8085\/callback \(port 8085; --port to change\)/)
      // A PKCE-enabled Slack app (the only kind a localhost redirect works with) is a public client.
      assert.match(text, /You need your own app at https:\/\/api\.slack\.com\/apps: pass --client-id to login/)
      assert.match(text, /Note: +A http:\/\/localhost redirect works only once PKCE is enabled in the app settings/)
      assert.match(text, /API errors as HTTP 200 \{"ok": false\} \(exit 7\)/)
      assert.match(text, /Facts last checked: +2026-12-03 against https:\/\/docs\.slack\.dev\/authentication\/using-pkce/)
      const linkedinText = formatProviderDetails(showProvider({}, t.ctx.env, 'linkedin')).join('\n')
      assert.match(linkedinText, /pass --client-id and --client-secret/)
      assert.match(linkedinText, /PKCE: +not sent \(login --pkce sends it\)/)
      assert.match(linkedinText, /API headers: +LinkedIn-Version: 202603, X-Restli-Protocol-Version: 2\.0\.0 \(-H overrides\)/)
      assert.match(linkedinText, /Facts last checked: +2026-12-03 against https:\/\/learn\.microsoft\.com\/linkedin\/shared\/authentication\/authorization-code-flow/)
      assert.match(text, /parameter "user_scope", separator ","/)
      assert.match(text, /user token nested in "authed_user"/)
      const ms = formatProviderDetails(showProvider({}, t.ctx.env, 'microsoft', {optionValues: {tenant: 'contoso'}})).join('\n')
      assert.match(ms, /--tenant: +contoso \(default common\)/)
      assert.match(ms, /login\.microsoftonline\.com\/contoso\/oauth2\/v2\.0\/token/)
    } finally {
      t.cleanup()
    }
  })

  it('show says what each client authentication method sends: JWT methods are assertions, not "form body"', () => {
    // Regression: private_key_jwt and client_secret_jwt were labelled "form body (...)" like client_secret_post.
    const base = {authorizeUrl: 'https://sso.example/authorize', tokenUrl: 'https://sso.example/token', apiBase: 'https://api.example', clientId: 'x'}
    const expected: Array<[string, string]> = [
      ['none', 'none (public client, no secret is ever sent)'],
      ['client_secret_basic', 'HTTP Basic (client_secret_basic), only when you give a secret'],
      ['client_secret_post', 'form body (client_secret_post), only when you give a secret'],
      ['private_key_jwt', 'a signed JWT assertion (private_key_jwt, RFC 7523 §2.2): login --client-key'],
      ['client_secret_jwt', 'an HMAC-signed JWT assertion (client_secret_jwt, RFC 7523 §2.2; the secret signs it and is never sent): login --client-secret'],
      ['tls_client_auth', 'TLS client certificate (tls_client_auth, RFC 8705): login --cert/--key'],
      ['self_signed_tls_client_auth', 'TLS client certificate (self_signed_tls_client_auth, RFC 8705): login --cert/--key'],
    ]
    for (const [clientAuth, label] of expected) {
      const config = {providers: {corp: {...base, clientAuth}}} as ConfigData
      const lines = formatProviderDetails(showProvider(config, {}, 'corp'))
      const line = lines.find((text) => text.startsWith('  Client authentication:'))
      assert.equal(line, `  ${'Client authentication:'.padEnd(26)}${label}`, clientAuth)
    }
  })

  it('list has every provider with its redirect URI; the table marks overrides', () => {
    const list = listProviderDetails({providers: {github: {clientId: 'Iv1.x'}}}, {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
    // 17 presets of the audit (sandbox included), the 11 added with issue 9 and the 6 OAuth 1.0a ones of issue 12.
    assert.equal(list.length, 34)
    const table = formatProviderTable(list)
    assert.match(table[0], /^NAME +SOURCE +YOUR APP +DEVICE +REDIRECT URI TO REGISTER$/)
    assert.ok(table.some((line) => /^github +built-in\* +saved +yes +http:\/\/127\.0\.0\.1\/callback \(any port\)$/.test(line)))
    assert.ok(table.some((line) => /^sandbox +built-in +not needed +yes/.test(line)))
    assert.ok(table.some((line) => line.startsWith('* built-in preset with your settings')))
    for (const line of table) assert.ok(line.length <= 80, `${line.length}: ${line}`)
  })

  it('no built-in name is ever cut in the 80-column list (`providers list | grep NAME` finds every preset)', () => {
    // Regression: the OAuth 1.0a sandbox preset was named sandbox-oauth1 and listed as "sandbox-o…".
    const list = listProviderDetails({}, {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
    const table = formatProviderTable(list)
    for (const details of list) assert.ok(table.some((line) => line.startsWith(`${details.name} `)), `${details.name} is cut:\n${table.join('\n')}`)
  })

  it('the list fits 80 columns even with a long custom name (cut with …; details in show and --json)', () => {
    const name = 'a-very-long-company-identity-provider-name'
    const entry = {authorizeUrl: 'https://sso.example/authorize', tokenUrl: 'https://sso.example/token', apiBase: 'https://api.example', clientId: 'x'}
    const list = listProviderDetails({providers: {[name]: entry}}, {})
    const table = formatProviderTable(list)
    for (const line of table) assert.ok([...line].length <= 80, `${line.length}: ${line}`)
    assert.ok(table.some((line) => /^a-very-lon… +custom +saved +no +http:\/\/127\.0\.0\.1\/callback \(any port\)$/.test(line)), table.join('\n'))
    const narrow = formatProviderTable(list, 60).slice(0, list.length + 1)
    for (const line of narrow) assert.ok([...line].length <= 60, `${line.length}: ${line}`)
    assert.ok(narrow.some((line) => line.endsWith('…')), 'at 60 columns the redirect URIs are cut')
  })
})

describe('switch', () => {
  it('makes a login the default, and is exit 4 for a login that does not exist', async () => {
    const t = context()
    try {
      await loginTo(t, 'sandbox', 'default')
      await loginTo(t, 'sandbox', 'work')
      assert.equal(t.ctx.config().defaultProfiles?.sandbox, 'work')
      const target = await switchDefault(t.ctx, {provider: 'sandbox', profile: 'default'})
      assert.equal(target.key, 'sandbox:default')
      assert.equal(t.ctx.config().defaultProfiles?.sandbox, 'default')
      assert.equal(resolveTarget(t.ctx.config()).key, 'sandbox:default')
      await switchDefault(t.ctx, {provider: 'sandbox', profile: 'work'})
      assert.equal(resolveTarget(t.ctx.config()).key, 'sandbox:work')
      // Without a profile: the provider's current default profile is kept.
      assert.equal((await switchDefault(t.ctx, {provider: 'sandbox'})).profile, 'work')
      await assert.rejects(switchDefault(t.ctx, {provider: 'sandbox', profile: 'home'}), exits(ExitCode.notLoggedIn, /profile home.*default, work/s))
      await assert.rejects(switchDefault(t.ctx, {provider: 'github'}), exits(ExitCode.notLoggedIn, /oauthctl login github/))
    } finally {
      t.cleanup()
    }
  })
})
