// Every place that builds objects from user, file or server input, fed the keys an attacker would use:
// nothing may reach Object.prototype, and the exploit from issue 8 (`-f '__proto__[apiBase]=...'`, which
// made every login record inherit another API base) is refused with exit 2.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, afterEach, describe, it} from 'node:test'
import {readConfig} from '../../src/config.js'
import {ConfigError, CredentialStoreError, ExitCode, UsageError} from '../../src/errors.js'
import {discoverServer} from '../../src/providers/discovery.js'
import {parseImportedToken} from '../../src/login/import-token.js'
import {login} from '../../src/login/login.js'
import {resolveTarget} from '../../src/session/session.js'
import {secretsFromTokenResponse} from '../../src/oauth/token-response.js'
import {appendFieldsToQuery, buildJsonBody, parseFields, type FieldSources} from '../../src/http/fields.js'
import {nextFromBody, slurpElements} from '../../src/http/pagination.js'
import {parseUmaChallenge} from '../../src/http/uma.js'
import {resolveOptionValues} from '../../src/providers/options.js'
import {gitlabPreset, slackPreset} from '../../src/providers/presets.js'
import {normalizeTokenResponse} from '../../src/providers/quirks.js'
import {resolveProvider} from '../../src/providers/registry.js'
import {encodeKeyAsFileName, FileTokenStore} from '../../src/store/file-store.js'
import {KeyringTokenStore} from '../../src/store/keyring-store.js'
import {KEYRING_SERVICE} from '../../src/store/token-store.js'
import {makeTestContext, sendJson, startFake, type FakeServer} from '../providers/helpers.js'
import {fakeKeyring} from '../store/helpers.js'

const EVIL = 'http://127.0.0.1:18099'
const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort()

/** After every test: Object.prototype has exactly its own members, and a fresh object inherits nothing. */
afterEach(() => {
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((name) => !PROTOTYPE_MEMBERS.includes(name))
  for (const name of polluted) delete (Object.prototype as Record<string, unknown>)[name]
  assert.deepEqual(polluted, [], 'Object.prototype was polluted')
})

const noSources: FieldSources = {
  readFile: async () => assert.fail('unexpected file read'),
  readStdin: async () => assert.fail('unexpected stdin read'),
}
const isUsageError = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && error.exitCode === ExitCode.usage && pattern.test(error.message)

describe('request fields (-f, -F): prototype keys are refused with exit 2', () => {
  const keys = [
    '__proto__[apiBase]',
    '__proto__',
    'constructor[prototype][apiBase]',
    'constructor',
    'prototype',
    'a[__proto__][b]',
    'a[constructor][prototype]',
    'a[b][prototype]',
    'list[][__proto__]',
    'list[][constructor][x]',
  ]
  for (const key of keys) {
    it(`${key}=... (-f and -F, body and query)`, async () => {
      await assert.rejects(parseFields([`${key}=${EVIL}`, 'a=1'], [], noSources), isUsageError(/cannot be a key/))
      await assert.rejects(parseFields([], [`${key}=1`], noSources), isUsageError(/cannot be a key/))
      assert.equal(({} as {apiBase?: string}).apiBase, undefined)
    })
  }

  it('a bare list key with a prototype name is refused too', async () => {
    await assert.rejects(parseFields(['__proto__[]'], [], noSources), isUsageError(/"__proto__" cannot be a key/))
  })

  it('keys that only contain the words are fine', async () => {
    const fields = await parseFields(['proto=1', '__proto=2', 'my_constructor[prototypes]=3'], [], noSources)
    assert.equal(JSON.stringify(buildJsonBody(fields)), '{"proto":"1","__proto":"2","my_constructor":{"prototypes":"3"}}')
    const url = new URL('https://api.example.com/x')
    appendFieldsToQuery(url, fields)
    assert.equal(url.search, '?proto=1&__proto=2&my_constructor%5Bprototypes%5D=3')
  })

  it('the body builder itself writes no prototype even for a path that skipped parseFields', () => {
    const body = buildJsonBody([
      {key: '__proto__[apiBase]', path: ['__proto__', 'apiBase'], value: EVIL},
      {key: 'x[][constructor]', path: ['x', '', 'constructor'], value: 'y'},
    ])
    assert.equal(Object.getPrototypeOf(body), null)
    assert.equal(({} as {apiBase?: string}).apiBase, undefined)
  })
})

describe('config.json: prototype keys from the file reach nothing', () => {
  const dirs: string[] = []
  after(() => dirs.forEach((dir) => rmSync(dir, {recursive: true, force: true})))
  function configWith(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'oauthctl-proto-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'config.json'), text)
    return dir
  }
  const login = '"provider": "sandbox", "profile": "default", "store": "file", "scopes": [], "obtainedAt": 1, "hasRefreshToken": false, "grant": "import"'
  const text = `{
    "__proto__": {"apiBase": "${EVIL}"},
    "constructor": {"prototype": {"apiBase": "${EVIL}"}},
    "defaultProvider": "sandbox",
    "defaultProfiles": {"__proto__": {"sandbox": "evil"}},
    "logins": {
      "__proto__": {"sandbox:evil": {${login}, "apiBase": "${EVIL}"}},
      "sandbox:default": {${login}, "__proto__": {"apiBase": "${EVIL}"}, "constructor": {"prototype": {"apiBase": "${EVIL}"}}}
    },
    "providers": {
      "acme": {"authorizationEndpoint": "https://id.acme.example/authorize", "tokenEndpoint": "https://id.acme.example/token", "apiBase": "https://api.acme.example"},
      "\\u005f_proto__": {"apiBase": "${EVIL}"}
    }
  }`

  it('a login record loaded from it has no apiBase, own or inherited, and nothing else gained one', () => {
    const config = readConfig(configWith(text))
    const record = config.logins?.['sandbox:default']
    assert.ok(record)
    assert.equal(record.apiBase, undefined)
    assert.ok(!JSON.stringify(config).includes(EVIL), JSON.stringify(config))
    assert.equal(resolveTarget(config).key, 'sandbox:default')
    assert.equal(({} as {apiBase?: string}).apiBase, undefined)
  })

  it('a name that is a member of every object ("constructor", "toString") is an unknown provider (exit 3), not Object', () => {
    const config = readConfig(configWith(text))
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      assert.throws(
        () => resolveProvider(name, config, {}),
        (error: unknown) => error instanceof ConfigError && error.exitCode === ExitCode.config && error.message === `unknown provider "${name}"`,
        name,
      )
      assert.equal(config.logins?.[`${name}`], undefined)
      assert.equal(config.defaultProfiles?.[name], undefined)
    }
  })

  it('provider option values named "constructor" are not options (exit 3)', () => {
    assert.throws(() => resolveOptionValues(gitlabPreset, {constructor: 'x'}), (error: unknown) => error instanceof ConfigError && /has no "constructor" option/.test(error.message))
    assert.throws(() => resolveOptionValues(gitlabPreset, {}, {toString: 'x'}), (error: unknown) => error instanceof ConfigError && /has no "toString" option/.test(error.message))
  })
})

describe('stored token records: prototype keys are dropped on read', () => {
  const hostileSecrets = `{"accessToken": "at", "__proto__": {"refreshToken": "rt-evil", "apiBase": "${EVIL}"}, "constructor": {"prototype": {"x": 1}}}`

  it('the token file store', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-proto-store-'))
    try {
      const store = new FileTokenStore({configDir})
      mkdirSync(store.location, {recursive: true})
      writeFileSync(join(store.location, encodeKeyAsFileName('sandbox:default')), `{"version": 1, "key": "sandbox:default", "secrets": ${hostileSecrets}, "__proto__": {"x": 1}}`)
      const secrets = await store.get('sandbox:default')
      assert.deepEqual(secrets, {accessToken: 'at'})
      assert.deepEqual(Object.keys(secrets ?? {}), ['accessToken'])
      // A refresh keeps what it read; nothing of the attacker's record may survive into the next write.
      assert.deepEqual(secretsFromTokenResponse({access_token: 'new'}, 0, secrets), {accessToken: 'new'})
    } finally {
      rmSync(configDir, {recursive: true, force: true})
    }
  })

  it('the keyring store (one entry and chunked)', async () => {
    const keyring = fakeKeyring({[`${KEYRING_SERVICE}/sandbox:default`]: hostileSecrets})
    const store = new KeyringTokenStore({keyring})
    const secrets = await store.get('sandbox:default')
    assert.deepEqual(Object.keys(secrets ?? {}), ['accessToken'])
    assert.equal(JSON.stringify(secrets), '{"accessToken":"at"}')
  })

  it('a keyring entry that is only prototype keys is corrupt (exit 6), not an empty record', async () => {
    const keyring = fakeKeyring({[`${KEYRING_SERVICE}/k`]: '{"__proto__": {"accessToken": "at"}}'})
    await assert.rejects(new KeyringTokenStore({keyring}).get('k'), (error: unknown) => error instanceof CredentialStoreError && error.exitCode === ExitCode.store)
  })
})

describe('token responses', () => {
  const servers: FakeServer[] = []
  after(() => Promise.all(servers.map((server) => server.close())))

  it('JSON and form-encoded bodies lose their prototype keys before openid-client sees them', async () => {
    const json = new Response(`{"access_token": "a", "token_type": "Bearer", "__proto__": {"refresh_token": "r"}, "constructor": {"prototype": {"x": 1}}}`, {
      headers: {'content-type': 'application/json'},
    })
    assert.equal(await (await normalizeTokenResponse(json, gitlabPreset)).text(), '{"access_token":"a","token_type":"Bearer"}')
    const form = new Response('access_token=a&token_type=bearer&__proto__=x&constructor=y&prototype=z', {
      headers: {'content-type': 'application/x-www-form-urlencoded'},
    })
    assert.equal(await (await normalizeTokenResponse(form, gitlabPreset)).text(), '{"access_token":"a","token_type":"bearer"}')
    // Slack's token sits under `authed_user`: a nested __proto__ is not merged into the response.
    const slack = new Response(`{"ok": true, "access_token": "bot", "authed_user": {"access_token": "user", "__proto__": {"refresh_token": "r"}}}`, {
      headers: {'content-type': 'application/json'},
    })
    const merged = JSON.parse(await (await normalizeTokenResponse(slack, slackPreset)).text()) as Record<string, unknown>
    assert.equal(merged.access_token, 'user')
    assert.equal(merged.refresh_token, undefined)
  })

  it('a login whose token endpoint answers with __proto__ members stores only the real fields', async () => {
    const t = makeTestContext()
    const server = await startFake((request, res) => {
      if (request.path === '/token') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(`{"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600,
          "__proto__": {"refresh_token": "rt-evil", "apiBase": "${EVIL}", "scope": "admin"},
          "constructor": {"prototype": {"apiBase": "${EVIL}"}}}`)
      } else sendJson(res, 404, {})
    })
    servers.push(server)
    try {
      writeFileSync(
        join(t.configDir, 'config.json'),
        JSON.stringify({providers: {acme: {authorizationEndpoint: `${server.origin}/authorize`, tokenEndpoint: `${server.origin}/token`, apiBase: server.origin, apiOrigins: [server.origin], clientId: 'cli'}}}),
      )
      const result = await login(t.ctx, {target: resolveTarget(t.ctx.config(), 'acme', 'default'), timeoutMs: 5000, openBrowser: true})
      assert.equal(result.record.apiBase, undefined)
      assert.equal(result.record.hasRefreshToken, false)
      assert.deepEqual(Object.keys((await t.store.get('acme:default')) ?? {}).sort(), ['accessToken', 'expiresAt', 'obtainedAt', 'tokenType'])
      assert.equal(t.ctx.config().logins?.['acme:default']?.apiBase, undefined)
    } finally {
      t.cleanup()
    }
  })

  it('login --with-token JSON on stdin', () => {
    const tokens = parseImportedToken(`{"access_token": "a", "__proto__": {"refresh_token": "r", "expires_in": 5}, "constructor": {"prototype": {"scope": "x"}}}`)
    assert.deepEqual(tokens, {access_token: 'a'})
  })
})

describe('discovery documents', () => {
  it('metadata members named __proto__ or constructor never reach the result', async () => {
    const server = await startFake((request, res, origin) => {
      if (request.path !== '/.well-known/openid-configuration') return sendJson(res, 404, {})
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(`{"issuer": "${origin}", "authorization_endpoint": "${origin}/authorize", "token_endpoint": "${origin}/token",
        "__proto__": {"revocation_endpoint": "${EVIL}/revoke", "userinfo_endpoint": "${EVIL}/me"},
        "constructor": {"prototype": {"registration_endpoint": "${EVIL}/register"}}}`)
    })
    try {
      const found = await discoverServer(server.origin)
      assert.ok(!JSON.stringify(found).includes(EVIL), JSON.stringify(found))
      assert.equal(Object.hasOwn(found.metadata, '__proto__'), false)
      assert.equal(found.metadata.revocation_endpoint, undefined)
    } finally {
      await server.close()
    }
  })
})

describe('API answers: pagination, --slurp and UMA challenges read own members only', () => {
  const page = new URL('https://api.example.com/items')

  it('a next link that is only inherited is no next link', () => {
    const inherited = Object.create({next: `${EVIL}/steal`, '@odata.nextLink': `${EVIL}/steal`, nextPageToken: 't', meta: {next_token: 't'}}) as object
    for (const style of ['next-url', 'odata-next-link', 'next-page-token', 'meta-next-token'] as const) {
      assert.equal(nextFromBody(inherited, page, [style]), undefined, style)
    }
    assert.equal(nextFromBody({next: 'https://api.example.com/items?page=2'}, page, ['next-url'])?.url.href, 'https://api.example.com/items?page=2')
  })

  it('--slurp takes the items key only when the page has it', () => {
    const text = '{"other": [1, 2]}'
    const parsed = Object.assign(Object.create({value: [9]}) as object, {other: [1, 2]})
    assert.deepEqual(slurpElements(text, parsed, 'odata-next-link'), ['1', '2'])
  })

  it('UMA challenge parameters named like prototypes are data', () => {
    const challenge = parseUmaChallenge('UMA __proto__="x", constructor="y", as_uri="https://as.example.com", ticket="t-1"')
    assert.deepEqual(challenge, {asUri: 'https://as.example.com', ticket: 't-1', realm: undefined})
    assert.equal(parseUmaChallenge('UMA constructor="y", ticket="t-1"'), undefined)
  })
})
