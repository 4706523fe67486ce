import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import * as client from 'openid-client'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {authorizationParameters, redirectUriFor} from '../../src/login/loopback-login.js'
import {createOAuthConfig, endpointsOf} from '../../src/oauth/oauth-client.js'
import {originAllowed} from '../../src/http/api-client.js'
import {isLoopbackUrl, type ClientAuthMethod, type PaginationStyle, type ProviderPreset} from '../../src/providers/preset.js'
import {BUILTIN_NAMES, builtinPresets} from '../../src/providers/presets.js'
import {listProviders, resolveProvider} from '../../src/providers/registry.js'

const env = {OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'}

/** The facts of shared docs/providers.md, one row per provider, as the presets must encode them. */
interface Expected {
  authorize: string
  token: string
  apiBase: string
  separator: ' ' | ','
  scopeParameter?: string
  host: '127.0.0.1' | 'localhost' | '[::1]'
  /** 'any' or the default fixed port. */
  port: 'any' | number
  path?: string
  clientAuth: ClientAuthMethod
  secretRequired: boolean
  extra?: Record<string, string>
  rotates: boolean
  pagination: PaginationStyle
  device?: boolean
}

const expected: Record<string, Expected> = {
  sandbox: {authorize: 'http://127.0.0.1:9000/auth', token: 'http://127.0.0.1:9000/token', apiBase: 'http://127.0.0.1:9000/api', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'none', secretRequired: false, rotates: true, pagination: 'link-header', device: true},
  linkedin: {authorize: 'https://www.linkedin.com/oauth/v2/authorization', token: 'https://www.linkedin.com/oauth/v2/accessToken', apiBase: 'https://api.linkedin.com', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, rotates: false, pagination: 'none'},
  github: {authorize: 'https://github.com/login/oauth/authorize', token: 'https://github.com/login/oauth/access_token', apiBase: 'https://api.github.com', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_post', secretRequired: true, rotates: true, pagination: 'link-header', device: true},
  google: {authorize: 'https://accounts.google.com/o/oauth2/v2/auth', token: 'https://oauth2.googleapis.com/token', apiBase: 'https://www.googleapis.com', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_post', secretRequired: true, extra: {access_type: 'offline', prompt: 'consent'}, rotates: false, pagination: 'next-page-token', device: true},
  microsoft: {authorize: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', token: 'https://login.microsoftonline.com/common/oauth2/v2.0/token', apiBase: 'https://graph.microsoft.com/v1.0', separator: ' ', host: 'localhost', port: 'any', clientAuth: 'none', secretRequired: false, rotates: true, pagination: 'odata-next-link', device: true},
  gitlab: {authorize: 'https://gitlab.com/oauth/authorize', token: 'https://gitlab.com/oauth/token', apiBase: 'https://gitlab.com/api/v4', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'link-header', device: true},
  slack: {authorize: 'https://slack.com/oauth/v2/authorize', token: 'https://slack.com/api/oauth.v2.access', apiBase: 'https://slack.com/api', separator: ',', scopeParameter: 'user_scope', host: 'localhost', port: 8085, clientAuth: 'client_secret_post', secretRequired: false, rotates: true, pagination: 'next-cursor'},
  spotify: {authorize: 'https://accounts.spotify.com/authorize', token: 'https://accounts.spotify.com/api/token', apiBase: 'https://api.spotify.com/v1', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'none', secretRequired: false, rotates: true, pagination: 'next-url'},
  dropbox: {authorize: 'https://www.dropbox.com/oauth2/authorize', token: 'https://api.dropboxapi.com/oauth2/token', apiBase: 'https://api.dropboxapi.com/2', separator: ' ', host: 'localhost', port: 53682, clientAuth: 'client_secret_basic', secretRequired: false, extra: {token_access_type: 'offline'}, rotates: false, pagination: 'cursor-has-more'},
  discord: {authorize: 'https://discord.com/oauth2/authorize', token: 'https://discord.com/api/oauth2/token', apiBase: 'https://discord.com/api/v10', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'none'},
  x: {authorize: 'https://x.com/i/oauth2/authorize', token: 'https://api.x.com/2/oauth2/token', apiBase: 'https://api.x.com/2', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'meta-next-token'},
  strava: {authorize: 'https://www.strava.com/oauth/authorize', token: 'https://www.strava.com/oauth/token', apiBase: 'https://www.strava.com/api/v3', separator: ',', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_post', secretRequired: true, extra: {approval_prompt: 'auto'}, rotates: true, pagination: 'none'},
  zoom: {authorize: 'https://zoom.us/oauth/authorize', token: 'https://zoom.us/oauth/token', apiBase: 'https://api.zoom.us/v2', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'next-page-token-snake'},
  salesforce: {authorize: 'https://login.salesforce.com/services/oauth2/authorize', token: 'https://login.salesforce.com/services/oauth2/token', apiBase: 'https://login.salesforce.com/services/data/v62.0', separator: ' ', host: 'localhost', port: 1717, path: '/OauthRedirect', clientAuth: 'client_secret_post', secretRequired: false, rotates: false, pagination: 'none'},
  atlassian: {authorize: 'https://auth.atlassian.com/authorize', token: 'https://auth.atlassian.com/oauth/token', apiBase: 'https://api.atlassian.com', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, extra: {audience: 'api.atlassian.com', prompt: 'consent'}, rotates: true, pagination: 'none'},
  reddit: {authorize: 'https://www.reddit.com/api/v1/authorize', token: 'https://www.reddit.com/api/v1/access_token', apiBase: 'https://oauth.reddit.com', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, extra: {duration: 'permanent'}, rotates: false, pagination: 'none'},
  box: {authorize: 'https://account.box.com/api/oauth2/authorize', token: 'https://api.box.com/oauth2/token', apiBase: 'https://api.box.com/2.0', separator: ' ', host: '127.0.0.1', port: 'any', clientAuth: 'client_secret_post', secretRequired: true, rotates: true, pagination: 'offset-limit'},
  okta: {authorize: 'https://example.okta.com/oauth2/default/v1/authorize', token: 'https://example.okta.com/oauth2/default/v1/token', apiBase: 'https://example.okta.com', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'link-header', device: true},
  auth0: {authorize: 'https://example.us.auth0.com/authorize', token: 'https://example.us.auth0.com/oauth/token', apiBase: 'https://example.us.auth0.com', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, extra: {audience: ''}, rotates: true, pagination: 'none', device: true},
  keycloak: {authorize: 'https://keycloak.example.com/realms/master/protocol/openid-connect/auth', token: 'https://keycloak.example.com/realms/master/protocol/openid-connect/token', apiBase: 'https://keycloak.example.com', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'none', device: true},
  cognito: {authorize: 'https://example.auth.us-east-1.amazoncognito.com/oauth2/authorize', token: 'https://example.auth.us-east-1.amazoncognito.com/oauth2/token', apiBase: 'https://example.auth.us-east-1.amazoncognito.com', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'none'},
  twitch: {authorize: 'https://id.twitch.tv/oauth2/authorize', token: 'https://id.twitch.tv/oauth2/token', apiBase: 'https://api.twitch.tv/helix', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, rotates: true, pagination: 'none'},
  notion: {authorize: 'https://api.notion.com/v1/oauth/authorize', token: 'https://api.notion.com/v1/oauth/token', apiBase: 'https://api.notion.com/v1', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_basic', secretRequired: true, extra: {owner: 'user'}, rotates: true, pagination: 'none'},
  hubspot: {authorize: 'https://app.hubspot.com/oauth/authorize', token: 'https://api.hubapi.com/oauth/v1/token', apiBase: 'https://api.hubapi.com', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, rotates: true, pagination: 'none'},
  xero: {authorize: 'https://login.xero.com/identity/connect/authorize', token: 'https://identity.xero.com/connect/token', apiBase: 'https://api.xero.com', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_basic', secretRequired: false, rotates: true, pagination: 'none'},
  bitbucket: {authorize: 'https://bitbucket.org/site/oauth2/authorize', token: 'https://bitbucket.org/site/oauth2/access_token', apiBase: 'https://api.bitbucket.org/2.0', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_basic', secretRequired: true, rotates: true, pagination: 'next-url'},
  figma: {authorize: 'https://www.figma.com/oauth', token: 'https://api.figma.com/v1/oauth/token', apiBase: 'https://api.figma.com/v1', separator: ' ', host: '127.0.0.1', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, rotates: false, pagination: 'none'},
  asana: {authorize: 'https://app.asana.com/-/oauth_authorize', token: 'https://app.asana.com/-/oauth_token', apiBase: 'https://app.asana.com/api/1.0', separator: ' ', host: 'localhost', port: 8085, clientAuth: 'client_secret_post', secretRequired: true, rotates: true, pagination: 'none'},
}

// OAuth 2.0 presets; the OAuth 1.0a ones (issue 12) have no PKCE, client authentication or token endpoint in
// this sense and are checked in oauth1-entries.test.ts.
const OAUTH1_NAMES = ['sandbox-1a', 'trello', 'flickr', 'tumblr', 'discogs', 'x-oauth1']
const presets = listProviders({}, env).filter((preset) => !preset.oauth1)

/** Every URL a preset names: the server's endpoints plus issuer, keys, API base and documentation. */
function urlsOf(preset: ProviderPreset): string[] {
  return [...endpointsOf(preset), preset.issuer, preset.jwksUri, preset.apiBase, preset.consoleUrl, preset.docsUrl].filter(
    (url): url is string => url !== undefined,
  )
}

describe('built-in presets', () => {
  it('cover every provider of docs/providers.md plus the sandbox, and nothing unexpected', () => {
    assert.deepEqual([...BUILTIN_NAMES].sort(), [...Object.keys(expected), ...OAUTH1_NAMES].sort())
    assert.deepEqual(presets.map((preset) => preset.name).sort(), Object.keys(expected).sort())
    assert.deepEqual(listProviders({}, env).filter((preset) => preset.oauth1).map((preset) => preset.name).sort(), [...OAUTH1_NAMES].sort())
  })

  for (const preset of presets) {
    const facts = expected[preset.name]
    describe(preset.name, () => {
      it('has the documented endpoints, API base, client authentication and refresh behaviour', () => {
        assert.equal(preset.authorizationEndpoint, facts.authorize)
        assert.equal(preset.tokenEndpoint, facts.token)
        assert.equal(preset.apiBase, facts.apiBase)
        assert.equal(preset.scopeSeparator, facts.separator)
        assert.equal(preset.scopeParameter ?? 'scope', facts.scopeParameter ?? 'scope')
        assert.equal(preset.clientAuth, facts.clientAuth)
        assert.equal(preset.clientSecretRequired, facts.secretRequired)
        assert.equal(preset.rotatesRefreshTokens, facts.rotates)
        assert.equal(preset.pagination, facts.pagination)
        assert.deepEqual(preset.authorizeParams ?? {}, facts.extra ?? {})
        assert.equal(Boolean(preset.supportsDeviceFlow), Boolean(facts.device))
        assert.equal(Boolean(preset.deviceAuthorizationEndpoint), Boolean(facts.device))
      })

      it('uses https everywhere (plain http only for the loopback sandbox) and no placeholder is left', () => {
        for (const url of urlsOf(preset)) {
          assert.doesNotMatch(url, /\{\w+\}/, url)
          const parsed = new URL(url)
          if (preset.name === 'sandbox') assert.ok(isLoopbackUrl(parsed), url)
          else assert.equal(parsed.protocol, 'https:', url)
        }
        for (const origin of preset.apiOrigins) assert.match(origin, preset.name === 'sandbox' ? /^http:\/\/127\.0\.0\.1:\d+$/ : /^https:\/\/[^/]+$/)
      })

      it('lets the token reach its own API base and nothing outside its origins', () => {
        const apiOrigin = new URL(preset.apiBase).origin
        assert.ok(preset.apiOrigins.some((allowed) => originAllowed(apiOrigin, allowed)), `${apiOrigin} not in ${preset.apiOrigins}`)
        assert.ok(!preset.apiOrigins.some((allowed) => originAllowed('https://evil.example', allowed)))
      })

      it('states its loopback rules: host, any port or a default fixed port, path', () => {
        assert.equal(preset.loopback.host, facts.host)
        assert.equal(preset.loopback.anyPort ? 'any' : preset.loopback.defaultPort, facts.port)
        assert.equal(preset.loopback.path, facts.path ?? '/callback')
        const registered = redirectUriFor(preset)
        const port = facts.port === 'any' ? '' : `:${facts.port}`
        assert.equal(registered, `http://${facts.host}${port}${facts.path ?? '/callback'}`)
      })

      it('says who must bring an app: only the sandbox has a client id, the others name their console', () => {
        if (preset.name === 'sandbox') assert.equal(preset.clientId, 'oauthctl')
        else {
          assert.equal(preset.clientId, undefined)
          assert.ok(preset.consoleUrl, 'consoleUrl')
          assert.ok(preset.docsUrl, 'docsUrl')
        }
        assert.ok(preset.displayName)
      })

      it('builds an authorization URL with client_id, redirect_uri, scopes, extras and PKCE S256', async () => {
        const config = await createOAuthConfig(preset, {clientId: 'client-123', clientSecret: facts.secretRequired ? 's3cret' : undefined})
        const redirectUri = redirectUriFor(preset, preset.loopback.anyPort ? 54321 : undefined)
        const url = client.buildAuthorizationUrl(
          config,
          authorizationParameters(preset, {redirectUri, scopes: ['one', 'two:read'], state: 'st4te', codeChallenge: 'ch4llenge'}),
        )
        assert.equal(`${url.origin}${url.pathname}`, facts.authorize)
        const params = url.searchParams
        assert.equal(params.get('client_id'), 'client-123')
        assert.equal(params.get('response_type'), 'code')
        assert.equal(params.get('state'), 'st4te')
        assert.equal(params.get('code_challenge'), 'ch4llenge')
        assert.equal(params.get('code_challenge_method'), 'S256')
        const redirect = new URL(params.get('redirect_uri') ?? '')
        assert.equal(redirect.hostname, facts.host)
        assert.equal(redirect.port, facts.port === 'any' ? '54321' : String(facts.port))
        assert.equal(redirect.pathname, facts.path ?? '/callback')
        const scopeParameter = facts.scopeParameter ?? 'scope'
        assert.equal(params.get(scopeParameter), `one${facts.separator}two:read`)
        if (scopeParameter !== 'scope') assert.equal(params.has('scope'), false)
        // An extra left empty (Auth0 without --audience) is not sent at all.
        for (const [key, value] of Object.entries(facts.extra ?? {})) assert.equal(params.get(key), value === '' ? null : value)
        assert.ok(!params.has('client_secret'), 'a secret never goes into the authorization URL')
      })

      it('joins its default scopes with its separator, and sends no scope parameter when it has none', async () => {
        const config = await createOAuthConfig(preset, {clientId: 'c'})
        const url = client.buildAuthorizationUrl(
          config,
          authorizationParameters(preset, {redirectUri: redirectUriFor(preset, 1234), scopes: preset.defaultScopes, state: 's', codeChallenge: 'c'}),
        )
        const sent = url.searchParams.get(preset.scopeParameter ?? 'scope')
        if (preset.defaultScopes.length === 0) assert.equal(sent, null)
        else {
          assert.equal(sent, preset.defaultScopes.join(facts.separator))
          if (preset.defaultScopes.length > 1) assert.ok(sent?.includes(facts.separator))
        }
      })
    })
  }

  it('encode the documented quirks as data', () => {
    const byName = new Map(presets.map((preset) => [preset.name, preset]))
    assert.equal(byName.get('github')?.quirks?.tokenErrorsAsOk, true)
    assert.equal(byName.get('slack')?.quirks?.tokenResponsePath, 'authed_user')
    assert.equal(byName.get('salesforce')?.quirks?.apiBaseFromTokenResponse, 'instance_url')
    assert.match(byName.get('salesforce')?.quirks?.apiBaseSuffix ?? '', /^\/services\/data\/v\d+\.\d$/)
    assert.equal(byName.get('reddit')?.quirks?.requiresUserAgent, true)
    assert.equal(byName.get('reddit')?.quirks?.basicAuthWithEmptySecret, true)
    assert.ok(byName.get('microsoft')?.defaultScopes.includes('offline_access'))
    assert.ok(byName.get('x')?.defaultScopes.includes('offline.access'))
    assert.ok(byName.get('salesforce')?.defaultScopes.includes('refresh_token'))
    assert.ok(byName.get('atlassian')?.defaultScopes.includes('offline_access'))
  })

  it('keep builtinPresets(env) and the sandbox issuer from OAUTHCTL_SANDBOX_ISSUER', () => {
    const sandbox = builtinPresets({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9100/'}).find((preset) => preset.name === 'sandbox')
    assert.equal(sandbox?.issuer, 'http://127.0.0.1:9100')
    assert.equal(sandbox?.registrationEndpoint, 'http://127.0.0.1:9100/reg')
  })
})

describe('parameterised presets', () => {
  it('microsoft --tenant fills every endpoint (default common)', () => {
    const preset = resolveProvider('microsoft', {}, env, {tenant: 'contoso.onmicrosoft.com'})
    assert.equal(preset.authorizationEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize')
    assert.equal(preset.tokenEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token')
    assert.equal(preset.deviceAuthorizationEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode')
    assert.equal(preset.issuer, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0')
    assert.equal(resolveProvider('microsoft', {}, env).issuer, 'https://login.microsoftonline.com/common/v2.0')
  })

  it('gitlab --host points endpoints, API base, allowed origins and console at a self-managed instance', () => {
    const preset = resolveProvider('gitlab', {}, env, {host: 'git.example.com:8443'})
    assert.equal(preset.authorizationEndpoint, 'https://git.example.com:8443/oauth/authorize')
    assert.equal(preset.tokenEndpoint, 'https://git.example.com:8443/oauth/token')
    assert.equal(preset.apiBase, 'https://git.example.com:8443/api/v4')
    assert.deepEqual(preset.apiOrigins, ['https://git.example.com:8443'])
    assert.equal(preset.consoleUrl, 'https://git.example.com:8443/-/user_settings/applications')
  })

  it('salesforce --login-host serves sandboxes and My Domains', () => {
    const preset = resolveProvider('salesforce', {}, env, {loginHost: 'test.salesforce.com'})
    assert.equal(preset.tokenEndpoint, 'https://test.salesforce.com/services/oauth2/token')
    assert.equal(preset.issuer, 'https://test.salesforce.com')
  })

  it('uses option values saved in the config, under the ones given on the command line', () => {
    const config = {providers: {gitlab: {optionValues: {host: 'saved.example'}}}}
    assert.equal(resolveProvider('gitlab', config, env).apiBase, 'https://saved.example/api/v4')
    assert.equal(resolveProvider('gitlab', config, env, {host: 'given.example'}).apiBase, 'https://given.example/api/v4')
  })

  for (const [name, key, value] of [
    ['gitlab', 'host', 'evil.example/@gitlab.com'],
    ['gitlab', 'host', 'a b'],
    ['microsoft', 'tenant', '../common'],
    ['microsoft', 'tenant', 'x?y=1'],
    ['salesforce', 'loginHost', 'https://login.salesforce.com'],
  ] as const) {
    it(`refuses ${name} ${key}=${JSON.stringify(value)} (exit 3): it would rewrite the URL`, () => {
      assert.throws(
        () => resolveProvider(name, {}, env, {[key]: value}),
        (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config,
      )
    })
  }

  it('refuses an option the preset does not declare, naming the ones it has', () => {
    assert.throws(
      () => resolveProvider('github', {}, env, {tenant: 'x'}),
      (error: unknown) => error instanceof OauthctlError && error.exitCode === ExitCode.config && /no "tenant" option/.test(error.message),
    )
    assert.throws(
      () => resolveProvider('microsoft', {}, env, {host: 'x'}),
      (error: unknown) => error instanceof OauthctlError && /--tenant/.test(error.hint ?? ''),
    )
  })
})
