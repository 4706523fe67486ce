import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {createServer, type Server} from 'node:http'
import {after, before, describe, it} from 'node:test'
import {startCallbackServer} from '../../src/callback/callback-server.js'
import type {Browser} from '../../src/callback/browser.js'
import {InterruptedError} from '../../src/errors.js'
import {loginWithLoopback} from '../../src/login/loopback-login.js'
import {loginWithPaste} from '../../src/login/paste-login.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {fakePreset} from './helpers.js'

/**
 * The loopback login against a tiny fake authorization server: the real callback server, a "browser" that
 * follows the authorize redirect with plain HTTP, and a token endpoint that records what it was sent.
 */
describe('loginWithLoopback: PKCE S256, state and the code exchange', () => {
  let server: Server
  let issuer: string
  const tokenRequests: URLSearchParams[] = []
  const authorizeRequests: URL[] = []
  let tokenAnswer: {status: number; body: object} = {status: 200, body: {}}
  /** status 0: the token endpoint never answers. */
  const hanging: Array<{destroy(): void}> = []

  before(async () => {
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', issuer)
      if (url.pathname === '/authorize') {
        authorizeRequests.push(url)
        const back = new URL(url.searchParams.get('redirect_uri')!)
        back.searchParams.set('code', `code-${authorizeRequests.length}`)
        back.searchParams.set('state', url.searchParams.get('state')!)
        res.writeHead(302, {location: back.href}).end()
        return
      }
      let body = ''
      for await (const chunk of req) body += chunk
      tokenRequests.push(new URLSearchParams(body))
      if (tokenAnswer.status === 0) return void hanging.push(res)
      res.writeHead(tokenAnswer.status, {'content-type': 'application/json'}).end(JSON.stringify(tokenAnswer.body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    issuer = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  after(() => {
    for (const res of hanging) res.destroy()
    server.close()
  })

  const preset = (): ProviderPreset => fakePreset(issuer)

  /**
   * Follows the authorize URL and its redirect to the callback, as a browser would. Like a real browser it
   * does not hold up `open`: the callback's page is answered only after the code exchange.
   */
  const httpBrowser: Browser = {
    async open(url) {
      void fetch(url, {redirect: 'manual'})
        .then((first) => fetch(first.headers.get('location')!))
        .then((page) => page.text())
        .catch(() => {})
    },
  }

  async function login(): Promise<void> {
    await loginWithLoopback(
      {preset: preset(), credentials: {clientId: 'cli'}, scopes: ['read', 'write'], timeoutMs: 5000, openBrowser: true},
      {startCallbackServer, browser: async () => httpBrowser, say: () => {}},
    )
  }

  it('sends an S256 challenge whose verifier arrives at the token endpoint, with the same redirect URI and no secret', async () => {
    tokenAnswer = {status: 200, body: {access_token: 'at-1', token_type: 'Bearer', expires_in: 60}}
    await login()
    const authorize = authorizeRequests.at(-1)!
    const exchange = tokenRequests.at(-1)!
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.equal(authorize.searchParams.get('scope'), 'read write')
    const verifier = exchange.get('code_verifier')!
    assert.match(verifier, /^[A-Za-z0-9._~-]{43,128}$/, 'RFC 7636 §4.1 verifier')
    assert.equal(createHash('sha256').update(verifier).digest('base64url'), authorize.searchParams.get('code_challenge'))
    assert.equal(exchange.get('grant_type'), 'authorization_code')
    assert.equal(exchange.get('code'), `code-${authorizeRequests.length}`)
    assert.equal(exchange.get('redirect_uri'), authorize.searchParams.get('redirect_uri'))
    assert.match(exchange.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    assert.equal(exchange.get('client_id'), 'cli')
    assert.equal(exchange.has('client_secret'), false, 'a public client sends no secret at all')
  })

  it('uses a fresh state and verifier on every login', async () => {
    tokenAnswer = {status: 200, body: {access_token: 'at-2', token_type: 'Bearer'}}
    await login()
    await login()
    const [a, b] = authorizeRequests.slice(-2)
    assert.notEqual(a.searchParams.get('state'), b.searchParams.get('state'))
    assert.notEqual(a.searchParams.get('code_challenge'), b.searchParams.get('code_challenge'))
    assert.ok(a.searchParams.get('state')!.length >= 32)
  })

  it('a refused code exchange is exit 5 with the provider error and description', async () => {
    tokenAnswer = {status: 400, body: {error: 'invalid_grant', error_description: 'code expired'}}
    await assert.rejects(login(), (error: {exitCode?: number; message: string}) => {
      assert.equal(error.exitCode, 5)
      assert.match(error.message, /invalid_grant: code expired/)
      return true
    })
  })

  /** Aborts `controller` as soon as the token endpoint has the request. */
  function abortOnTokenRequest(controller: AbortController): void {
    const before = tokenRequests.length
    const timer = setInterval(() => {
      if (tokenRequests.length > before) {
        clearInterval(timer)
        controller.abort()
      }
    }, 10)
  }

  it('Ctrl-C during a code exchange that never answers is exit 130 at once (loopback)', async () => {
    tokenAnswer = {status: 0, body: {}}
    const controller = new AbortController()
    abortOnTokenRequest(controller)
    const started = Date.now()
    await assert.rejects(
      loginWithLoopback(
        {preset: preset(), credentials: {clientId: 'cli'}, scopes: [], timeoutMs: 5000, openBrowser: true},
        {startCallbackServer, browser: async () => httpBrowser, say: () => {}, signal: controller.signal},
      ),
      (error: unknown) => {
        assert.ok(error instanceof InterruptedError)
        assert.equal(error.message, 'login interrupted during the code exchange; nothing was stored')
        return true
      },
    )
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`)
  })

  it('Ctrl-C during a code exchange that never answers is exit 130 at once (paste)', async () => {
    tokenAnswer = {status: 0, body: {}}
    const controller = new AbortController()
    abortOnTokenRequest(controller)
    let state = ''
    const started = Date.now()
    await assert.rejects(
      loginWithPaste(
        {preset: preset(), credentials: {clientId: 'cli'}, scopes: [], port: 50_123},
        {
          say: (line) => {
            const match = /state=([^&\s]+)/.exec(line)
            if (match) state = match[1]
          },
          stdinIsTTY: false,
          signal: controller.signal,
          readPaste: async () => `http://127.0.0.1:50123/callback?code=abc&state=${state}`,
        },
      ),
      InterruptedError,
    )
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`)
  })
})
