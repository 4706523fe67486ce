import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {runCli, type UserEnv} from './harness.js'
import {machineLogin, makeEvilUser, startHostileServer, type HostileServer} from './hostile-server.js'

/**
 * What a hostile authorization server can do with its token responses: absurd lifetimes, DPoP tokens,
 * oversized answers and ID tokens. None of it may poison the config, crash `status`, or get stored.
 */

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000

function configOf(user: UserEnv): {logins?: Record<string, Record<string, unknown>>} {
  const file = join(user.configDir, 'config.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
}

function tokenFiles(user: UserEnv): string[] {
  const dir = join(user.configDir, 'tokens')
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => join(dir, name)) : []
}

function storedSecrets(user: UserEnv, key = 'evil:default'): Record<string, unknown> {
  const file = tokenFiles(user).find((path) => JSON.parse(readFileSync(path, 'utf8')).key === key)
  assert.ok(file, `a token file for ${key}`)
  return JSON.parse(readFileSync(file, 'utf8')).secrets
}

function rewriteSecrets(user: UserEnv, change: Record<string, unknown>, key = 'evil:default'): void {
  const file = tokenFiles(user).find((path) => JSON.parse(readFileSync(path, 'utf8')).key === key) as string
  const stored = JSON.parse(readFileSync(file, 'utf8'))
  Object.assign(stored.secrets, change)
  writeFileSync(file, JSON.stringify(stored), {mode: 0o600})
}

/** Marks the stored access token as expired, forcing the next call to refresh. */
function expireLocally(user: UserEnv): void {
  rewriteSecrets(user, {expiresAt: Date.now() - 1000})
}

describe('hostile token responses', () => {
  let server: HostileServer
  before(async () => {
    server = await startHostileServer()
  })
  after(() => server.close())

  describe('absurd expires_in is clamped to 10 years, and every command keeps working', () => {
    for (const expiresIn of [1e306, 1e13]) {
      it(`expires_in ${expiresIn} at login`, async () => {
        const user = await makeEvilUser(server)
        try {
          server.token = {access_token: `at-${expiresIn}`, token_type: 'Bearer', expires_in: expiresIn}
          const login = await machineLogin(user)
          assert.equal(login.code, 0, login.stderr)
          const record = configOf(user).logins?.['evil:default']
          assert.equal(typeof record?.expiresAt, 'number')
          assert.ok(Math.abs((record?.expiresAt as number) - (Date.now() + TEN_YEARS_MS)) < 60_000)

          const status = await runCli(['status', '--json'], user.env)
          assert.equal(status.code, 0, status.stderr)
          assert.equal(status.stderr, '')
          const [entry] = JSON.parse(status.stdout)
          assert.equal(entry.expiresAt, new Date(record?.expiresAt as number).toISOString())
          const human = await runCli(['status'], user.env)
          assert.equal(human.code, 0, human.stderr)
          assert.match(human.stdout, /expires in 36\d\dd/)

          const json = await runCli(['token', '--json'], user.env)
          assert.equal(json.code, 0, json.stderr)
          assert.equal(JSON.parse(json.stdout).expiresAt, entry.expiresAt)
          const get = await runCli(['get', '/anything'], user.env)
          assert.equal(get.code, 0, get.stderr)
          assert.equal(JSON.parse(get.stdout).authorization, `Bearer at-${expiresIn}`)
        } finally {
          user.cleanup()
        }
      })
    }

    it('expires_in 1e306 on a refresh', async () => {
      const user = await makeEvilUser(server)
      try {
        server.token = {access_token: 'at-1', refresh_token: 'rt-1', token_type: 'Bearer', expires_in: 3600}
        assert.equal((await runCli(['login', 'evil', '--with-token'], user.env, JSON.stringify(server.token))).code, 0)
        expireLocally(user)
        server.token = {access_token: 'at-2', refresh_token: 'rt-2', token_type: 'Bearer', expires_in: 1e306}
        const token = await runCli(['token'], user.env)
        assert.equal(token.code, 0, token.stderr)
        assert.equal(token.stdout, 'at-2\n')
        const secrets = storedSecrets(user)
        assert.ok(Math.abs((secrets.expiresAt as number) - (Date.now() + TEN_YEARS_MS)) < 60_000)
        const status = await runCli(['status', '--json'], user.env)
        assert.equal(status.code, 0, status.stderr)
        assert.equal(JSON.parse(status.stdout)[0].expiresAt, new Date(secrets.expiresAt as number).toISOString())
      } finally {
        user.cleanup()
      }
    })

    it('login --with-token: 1e306 is clamped, "3600" is read as seconds, a negative one is exit 2', async () => {
      const user = await makeEvilUser(server)
      try {
        const huge = await runCli(['login', 'evil', '--with-token'], user.env, '{"access_token":"at-w","expires_in":1e306}')
        assert.equal(huge.code, 0, huge.stderr)
        assert.ok(Math.abs((configOf(user).logins?.['evil:default'].expiresAt as number) - (Date.now() + TEN_YEARS_MS)) < 60_000)
        const text = await runCli(['login', 'evil', '--profile', 's', '--with-token'], user.env, '{"access_token":"at-s","expires_in":"3600"}')
        assert.equal(text.code, 0, text.stderr)
        assert.ok(Math.abs((configOf(user).logins?.['evil:s'].expiresAt as number) - (Date.now() + 3_600_000)) < 60_000)
        const negative = await runCli(['login', 'evil', '--profile', 'n', '--with-token'], user.env, '{"access_token":"at-n","expires_in":-5}')
        assert.equal(negative.code, 2)
        assert.match(negative.stderr, /"expires_in" in the JSON on stdin must be a positive number of seconds/)
        assert.equal(configOf(user).logins?.['evil:n'], undefined)
      } finally {
        user.cleanup()
      }
    })

    it('a negative, non-numeric or infinite expires_in from the server is refused (exit 5) and nothing is stored', async () => {
      // 1e400 parses as Infinity.
      for (const bad of [-1, '"soon"', '1e400']) {
        const user = await makeEvilUser(server)
        try {
          server.token = (_req, res) => {
            res.writeHead(200, {'content-type': 'application/json'})
            res.end(`{"access_token":"at-bad","token_type":"Bearer","expires_in":${bad}}`)
          }
          const login = await machineLogin(user)
          assert.equal(login.code, 5, login.stderr)
          assert.match(login.stderr, /expires_in/)
          assert.deepEqual(configOf(user).logins ?? {}, {})
          assert.deepEqual(tokenFiles(user), [])
        } finally {
          user.cleanup()
        }
      }
    })
  })

  describe('a broken login record is skipped with one warning, and the other logins keep working', () => {
    for (const [label, value] of [['null (written by an older oauthctl)', null], ['beyond what a Date holds', 1e16], ['a string', '"soon"']] as const) {
      it(`expiresAt ${label}`, async () => {
        const user = await makeEvilUser(server)
        try {
          server.token = {access_token: 'at-good', token_type: 'Bearer', expires_in: 3600}
          assert.equal((await machineLogin(user, ['--profile', 'good'])).code, 0)
          assert.equal((await machineLogin(user, ['--profile', 'bad'])).code, 0)
          const file = join(user.configDir, 'config.json')
          const config = JSON.parse(readFileSync(file, 'utf8'))
          config.logins['evil:bad'].expiresAt = value
          const written = JSON.stringify(config, null, 2)
          writeFileSync(file, written)
          const warning = `warning: ${file}: login "evil:bad" is skipped: "logins.evil:bad.expiresAt" must be a time in milliseconds since 1970. Run \`oauthctl login evil\` to replace it, or remove that key.\n`

          const status = await runCli(['status', '--json'], user.env)
          assert.equal(status.code, 0, status.stderr)
          assert.equal(status.stderr, warning)
          assert.deepEqual(JSON.parse(status.stdout).map((entry: {profile: string}) => entry.profile), ['good'])

          const token = await runCli(['token', 'evil', '--profile', 'good'], user.env)
          assert.equal(token.code, 0, token.stderr)
          assert.equal(token.stdout, 'at-good\n')
          assert.equal(token.stderr, warning)
          const get = await runCli(['get', '-p', 'evil', '--profile', 'good', '/me'], user.env)
          assert.equal(get.code, 0, get.stderr)

          const skipped = await runCli(['token', 'evil', '--profile', 'bad'], user.env)
          assert.equal(skipped.code, 4)
          assert.match(skipped.stderr, /oauthctl login evil --profile bad/)

          // An unrelated write keeps the broken record as it was; a new login of it replaces it.
          assert.equal((await machineLogin(user, ['--profile', 'other'])).code, 0)
          assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).logins['evil:bad'], config.logins['evil:bad'])
          assert.equal((await machineLogin(user, ['--profile', 'bad'])).code, 0)
          const fixed = await runCli(['status', '--json'], user.env)
          assert.equal(fixed.stderr, '')
          assert.deepEqual(JSON.parse(fixed.stdout).map((entry: {profile: string}) => entry.profile), ['bad', 'good', 'other'])
        } finally {
          user.cleanup()
        }
      })
    }

    it('a stored secret record with an expiry beyond what a Date holds: token --json prints null, never throws', async () => {
      const user = await makeEvilUser(server)
      try {
        server.token = {access_token: 'at-far', token_type: 'Bearer', expires_in: 3600}
        assert.equal((await machineLogin(user)).code, 0)
        rewriteSecrets(user, {expiresAt: 1e16})
        const json = await runCli(['token', '--json'], user.env)
        assert.equal(json.code, 0, json.stderr)
        assert.equal(JSON.parse(json.stdout).expiresAt, null)
      } finally {
        user.cleanup()
      }
    })
  })

  describe('DPoP-bound tokens a Bearer login did not ask for are refused', () => {
    it('at login: exit 5, nothing stored', async () => {
      const user = await makeEvilUser(server)
      try {
        server.token = {access_token: 'at-dpop', token_type: 'DPoP', expires_in: 3600}
        const login = await machineLogin(user)
        assert.equal(login.code, 5, login.stderr)
        assert.match(login.stderr, /DPoP-bound token \(token_type "dpop"\), which oauthctl cannot use without the key it is bound to; nothing was stored/i)
        assert.deepEqual(configOf(user).logins ?? {}, {})
        assert.deepEqual(tokenFiles(user), [])
      } finally {
        user.cleanup()
      }
    })

    it('on a refresh: exit 5 and the stored tokens are unchanged', async () => {
      const user = await makeEvilUser(server)
      try {
        assert.equal((await runCli(['login', 'evil', '--with-token'], user.env, '{"access_token":"at-1","refresh_token":"rt-1","expires_in":3600}')).code, 0)
        expireLocally(user)
        const before = storedSecrets(user)
        server.token = {access_token: 'at-dpop', refresh_token: 'rt-dpop', token_type: 'DPoP', expires_in: 3600}
        const token = await runCli(['token'], user.env)
        assert.equal(token.code, 5, token.stderr)
        assert.equal(token.stdout, '')
        assert.deepEqual(storedSecrets(user), before)
      } finally {
        user.cleanup()
      }
    })

    it('login --with-token with token_type DPoP: exit 5 before the token is sent anywhere', async () => {
      const user = await makeEvilUser(server)
      try {
        const seen = server.userinfoAuthorizations.length
        const login = await runCli(['login', 'evil', '--with-token'], user.env, '{"access_token":"at-d","token_type":"DPoP"}')
        assert.equal(login.code, 5, login.stderr)
        assert.equal(server.userinfoAuthorizations.length, seen)
        assert.deepEqual(tokenFiles(user), [])
      } finally {
        user.cleanup()
      }
    })
  })

  describe('answers over 1 MiB are refused (exit 5), nothing stored', () => {
    const big = JSON.stringify({access_token: 'x'.repeat(2 * 1024 * 1024), token_type: 'Bearer'})
    for (const [label, withLength] of [['with Content-Length', true], ['streamed without Content-Length', false]] as const) {
      it(`token response ${label}`, async () => {
        const user = await makeEvilUser(server)
        try {
          server.token = (_req, res) => {
            res.writeHead(200, {'content-type': 'application/json', ...(withLength ? {'content-length': String(big.length)} : {})})
            res.end(big)
          }
          const login = await machineLogin(user)
          assert.equal(login.code, 5, login.stderr)
          assert.match(login.stderr, new RegExp(`the answer from ${server.origin}/token is larger than 1 MiB; oauthctl refused it and stored nothing`))
          assert.deepEqual(configOf(user).logins ?? {}, {})
          assert.deepEqual(tokenFiles(user), [])
        } finally {
          user.cleanup()
        }
      })
    }

    it('on a refresh: exit 5, the stored tokens unchanged', async () => {
      const user = await makeEvilUser(server)
      try {
        assert.equal((await runCli(['login', 'evil', '--with-token'], user.env, '{"access_token":"at-1","refresh_token":"rt-1","expires_in":3600}')).code, 0)
        expireLocally(user)
        const before = storedSecrets(user)
        server.token = (_req, res) => {
          res.writeHead(200, {'content-type': 'application/json'})
          res.end(big)
        }
        const token = await runCli(['token'], user.env)
        assert.equal(token.code, 5, token.stderr)
        assert.match(token.stderr, /larger than 1 MiB/)
        assert.deepEqual(storedSecrets(user), before)
      } finally {
        user.cleanup()
      }
    })
  })

  describe('ID tokens: what is needed is stored', () => {
    const idToken = (origin: string, padding: number) => {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
      const now = Math.floor(Date.now() / 1000)
      const claims = {iss: origin, aud: 'machine', sub: 'u1', name: 'User One', iat: now, exp: now + 3600, padding: 'p'.repeat(padding)}
      return `${encode({alg: 'RS256', typ: 'JWT'})}.${encode(claims)}.c2ln`
    }

    it('a 200 KB ID token is not stored (a debug note says so); a small one is kept', async () => {
      const user = await makeEvilUser(server)
      try {
        server.token = {access_token: 'at-big-id', token_type: 'Bearer', expires_in: 3600, id_token: idToken(server.origin, 200_000)}
        const big = await machineLogin(user, ['--debug'])
        assert.equal(big.code, 0, big.stderr)
        assert.match(big.stderr, /debug: the ID token is \d+ characters long \(over 8192\); its claims were read, it is not stored/)
        assert.equal(storedSecrets(user).idToken, undefined)
        assert.equal(storedSecrets(user).accessToken, 'at-big-id')

        const small = idToken(server.origin, 100)
        server.token = {access_token: 'at-small-id', token_type: 'Bearer', expires_in: 3600, id_token: small}
        assert.equal((await machineLogin(user)).code, 0)
        assert.equal(storedSecrets(user).idToken, small)
      } finally {
        user.cleanup()
      }
    })
  })
})
