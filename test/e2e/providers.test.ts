import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {makeUserEnv, runCli, sandboxStats, sandboxSuite} from './harness.js'

describe('oauthctl providers / switch, end to end against `oauthctl sandbox`', () => {
  const suite = sandboxSuite(['--auto-approve'])

  it('providers list: the table on stdout, the hint on stderr; --json is data on stdout only', async () => {
    const human = await runCli(['providers', 'list'], suite.user.env)
    assert.equal(human.code, 0, human.stderr)
    assert.equal(human.stderr, 'Details: oauthctl providers show <name>\n')
    assert.match(human.stdout, /^NAME +SOURCE +YOUR APP +DEVICE +REDIRECT URI TO REGISTER$/m)
    assert.match(human.stdout, /^linkedin +built-in +id \+ secret +no +http:\/\/127\.0\.0\.1:8085\/callback$/m)
    const json = await runCli(['providers', 'list', '--json'], suite.user.env)
    assert.equal(json.code, 0, json.stderr)
    assert.equal(json.stderr, '')
    const list = JSON.parse(json.stdout) as {name: string; redirectUri: string; needsOwnApp: boolean}[]
    // The 16 presets of the audit, the sandbox, the 11 added with issue 9 (identity platforms, SaaS APIs), and
    // the 6 OAuth 1.0a ones of issue 12 (sandbox-1a, Trello, Flickr, Tumblr, Discogs, X user context).
    assert.equal(list.length, 34)
    for (const name of ['okta', 'auth0', 'keycloak', 'cognito', 'twitch', 'notion', 'hubspot', 'xero', 'bitbucket', 'figma', 'asana', 'sandbox-1a', 'trello', 'flickr', 'tumblr', 'discogs', 'x-oauth1']) {
      assert.ok(list.some((entry) => entry.name === name), name)
    }
    assert.equal(list.find((entry) => entry.name === 'cognito')?.redirectUri, 'http://localhost:8085/callback')
    const sandboxEntry = list.find((entry) => entry.name === 'sandbox')
    assert.equal(sandboxEntry?.needsOwnApp, false)
    assert.equal(sandboxEntry?.redirectUri, 'http://127.0.0.1/callback')
    assert.equal(list.find((entry) => entry.name === 'salesforce')?.redirectUri, 'http://localhost:1717/OauthRedirect')
  })

  it('providers show: the redirect URI to register, with --port and provider options', async () => {
    const json = await runCli(['providers', 'show', 'microsoft', '--tenant', 'contoso.onmicrosoft.com', '--json'], suite.user.env)
    assert.equal(json.code, 0, json.stderr)
    const details = JSON.parse(json.stdout)
    assert.equal(details.redirectUri, 'http://localhost/callback')
    assert.equal(details.tokenEndpoint, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token')
    assert.equal(details.clientAuth, 'none')
    const port = await runCli(['providers', 'show', 'linkedin', '--port', '9123'], suite.user.env)
    assert.equal(port.stderr, '')
    assert.match(port.stdout, /Redirect URI to register: +http:\/\/127\.0\.0\.1:9123\/callback/)
    const unknown = await runCli(['providers', 'show', 'nope'], suite.user.env)
    assert.equal(unknown.code, 3)
    assert.match(unknown.stderr, /unknown provider "nope"/)
    const foreign = await runCli(['providers', 'show', 'github', '--tenant', 'x'], suite.user.env)
    assert.equal(foreign.code, 3)
    assert.match(foreign.stderr, /--tenant does not apply to GitHub/)
  })

  it('providers show for the added presets: --domain, --audience, --host --realm, headers and when the facts were checked', async () => {
    const auth0 = await runCli(['providers', 'show', 'auth0', '--domain', 'acme.eu.auth0.com', '--audience', 'https://api.acme.test', '--json'], suite.user.env)
    assert.equal(auth0.code, 0, auth0.stderr)
    const details = JSON.parse(auth0.stdout)
    assert.equal(details.authorizationEndpoint, 'https://acme.eu.auth0.com/authorize')
    assert.deepEqual(details.authorizeParams, {audience: 'https://api.acme.test'})
    const keycloak = await runCli(['providers', 'show', 'keycloak', '--host', 'sso.acme.test', '--realm', 'dev'], suite.user.env)
    assert.equal(keycloak.code, 0, keycloak.stderr)
    assert.match(keycloak.stdout, /https:\/\/sso\.acme\.test\/realms\/dev\/protocol\/openid-connect\/token/)
    const twitch = await runCli(['providers', 'show', 'twitch'], suite.user.env)
    assert.equal(twitch.code, 0, twitch.stderr)
    assert.match(twitch.stdout, /Facts last checked: +2026-12-03 against https:\/\/dev\.twitch\.tv\/docs\/authentication\/getting-tokens-oauth\//)
    const realmOnGithub = await runCli(['providers', 'show', 'github', '--realm', 'dev'], suite.user.env)
    assert.equal(realmOnGithub.code, 3)
    assert.match(realmOnGithub.stderr, /--realm does not apply to GitHub/)
  })

  it('providers add --issuer --register discovers and registers; login and get then work', async () => {
    const before = (await sandboxStats(suite.sandbox.issuer)).registrations
    const add = await runCli(['providers', 'add', 'corp', '--issuer', suite.sandbox.issuer, '--api-base', `${suite.sandbox.issuer}/api`, '--register', '--json'], suite.user.env)
    assert.equal(add.code, 0, add.stderr)
    assert.match(add.stderr, new RegExp(`Found OpenID Connect discovery at ${suite.sandbox.issuer}/\\.well-known/openid-configuration`))
    assert.match(add.stderr, new RegExp(`token: +${suite.sandbox.issuer}/token`))
    assert.match(add.stderr, /Registered oauthctl as client \S+ \(public client, no secret\)/)
    assert.match(add.stderr, /Log in with: oauthctl login corp/)
    const details = JSON.parse(add.stdout)
    assert.equal(details.name, 'corp')
    assert.equal(details.source, 'custom')
    assert.equal(details.metadataUrl, `${suite.sandbox.issuer}/.well-known/openid-configuration`)
    assert.equal((await sandboxStats(suite.sandbox.issuer)).registrations, before + 1)
    const config = JSON.parse(readFileSync(join(suite.user.configDir, 'config.json'), 'utf8'))
    assert.equal(config.providers.corp.clientId, details.clientId)

    const login = await runCli(['login', 'corp'], suite.user.env)
    assert.equal(login.code, 0, login.stderr)
    assert.equal(login.stdout, '')
    assert.match(login.stderr, /Logged in to corp as Demo User/)
    const me = await runCli(['get', '/v2/me'], suite.user.env)
    assert.equal(me.code, 0, me.stderr)
    assert.equal(JSON.parse(me.stdout).id, 'demo')
  })

  it('providers add refuses a duplicate (exit 3) and plain http off loopback (exit 3)', async () => {
    const again = await runCli(['providers', 'add', 'corp', '--issuer', suite.sandbox.issuer], suite.user.env)
    assert.equal(again.code, 3)
    assert.match(again.stderr, /provider "corp" already exists/)
    const http = await runCli(['providers', 'add', 'other', '--issuer', 'http://id.example.com'], suite.user.env)
    assert.equal(http.code, 3)
    assert.match(http.stderr, /must use https/)
  })

  it('switch sets the default login; a login that does not exist is exit 4', async () => {
    assert.equal((await runCli(['login', 'sandbox', '--profile', 'work'], suite.user.env)).code, 0)
    const toCorp = await runCli(['switch', 'corp'], suite.user.env)
    assert.equal(toCorp.code, 0, toCorp.stderr)
    assert.equal(toCorp.stdout, '')
    assert.match(toCorp.stderr, /Default is now corp \(profile default\)\./)
    const status = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout) as {provider: string; profile: string; default: boolean}[]
    assert.deepEqual(status.filter((entry) => entry.default).map((entry) => `${entry.provider}:${entry.profile}`), ['corp:default'])
    const missing = await runCli(['switch', 'sandbox', 'home'], suite.user.env)
    assert.equal(missing.code, 4)
    assert.match(missing.stderr, /not logged in to sandbox with profile home/)
    assert.match(missing.stderr, /oauthctl login sandbox --profile home/)
  })

  it('providers remove refuses while logged in (exit 3); --force logs out first', async () => {
    const refused = await runCli(['providers', 'remove', 'corp'], suite.user.env)
    assert.equal(refused.code, 3)
    assert.match(refused.stderr, /still logged in to corp/)
    const forced = await runCli(['providers', 'remove', 'corp', '--force'], suite.user.env)
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stderr, /Logged out of corp \(profile default\)\.\nRemoved provider corp\./)
    const gone = await runCli(['token', 'corp'], suite.user.env)
    assert.ok(gone.code === 3 || gone.code === 4, `token corp after removal exits ${gone.code}`)
    assert.equal(gone.stdout, '')
    const status = JSON.parse((await runCli(['status', '--json'], suite.user.env)).stdout) as {provider: string}[]
    assert.deepEqual(status.map((entry) => entry.provider), ['sandbox'])
  })

  it('a hand-edited provider entry is exit 3 naming the file and the key, and the file is not rewritten', async () => {
    const file = join(suite.user.configDir, 'config.json')
    const config = JSON.parse(readFileSync(file, 'utf8'))
    config.providers = {...config.providers, broken: {authorizationEndpoint: 'https://id.example/auth', tokenEndpiont: 'https://id.example/token', apiBase: 'https://api.example'}}
    const text = JSON.stringify(config, null, 2)
    writeFileSync(file, text)
    for (const args of [['providers', 'list'], ['providers', 'add', 'x', '--issuer', suite.sandbox.issuer], ['login', 'sandbox']]) {
      const result = await runCli(args, suite.user.env)
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`)
      assert.ok(result.stderr.includes(file), result.stderr)
      assert.match(result.stderr, /"providers\.broken\.tokenEndpiont" must be removed: it is not a provider setting/)
    }
    assert.equal(readFileSync(file, 'utf8'), text)
  })
})
