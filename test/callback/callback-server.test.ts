import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {networkInterfaces} from 'node:os'
import {describe, it} from 'node:test'

import {startCallbackServer} from '../../src/callback/callback-server.js'
import type {CallbackServerOptions} from '../../src/callback/callback-server.js'
import {AuthorizationError, ConfigError, ExitCode, InterruptedError} from '../../src/errors.js'
import {get, isPortFree, rawRequest, tryConnect} from './helpers.js'

const STATE = 'st4te-0f-this-login'
const CODE = 'c0de-secret-value'

function start(overrides: Partial<CallbackServerOptions> = {}) {
  return startCallbackServer({expectedState: STATE, timeoutMs: 5000, ...overrides})
}

function callbackUrl(redirectUri: URL, params: Record<string, string>): URL {
  const url = new URL(redirectUri)
  for (const [k, v] of Object.entries(params)) url.searchParams.append(k, v)
  return url
}

function portOf(url: URL): number {
  return Number(url.port)
}

describe('startCallbackServer: binding', () => {
  it('binds 127.0.0.1 on an ephemeral port by default', async () => {
    const server = await start()
    try {
      const uri = server.redirectUri
      assert.equal(uri.protocol, 'http:')
      assert.equal(uri.hostname, '127.0.0.1')
      assert.equal(uri.pathname, '/callback')
      assert.ok(portOf(uri) > 0)
      assert.equal(await tryConnect(portOf(uri), '127.0.0.1'), 'connected')
      // Not reachable through any other interface (RFC 8252 §8.3).
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && !i.internal && i.family === 'IPv4')
      if (external) assert.equal(await tryConnect(portOf(uri), external.address), 'ECONNREFUSED')
    } finally {
      await server.close()
    }
  })

  it('gives each server its own ephemeral port and a copy of redirectUri', async () => {
    const [a, b] = await Promise.all([start(), start()])
    try {
      assert.notEqual(a.redirectUri.port, b.redirectUri.port)
      a.redirectUri.hostname = 'evil.example'
      assert.equal(a.redirectUri.hostname, '127.0.0.1')
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('writes localhost into the redirect URI but still binds the IP', async () => {
    const server = await start({redirectHost: 'localhost', path: '/oauth/cb'})
    try {
      assert.equal(server.redirectUri.hostname, 'localhost')
      assert.equal(server.redirectUri.pathname, '/oauth/cb')
      const waiting = server.waitForCallback()
      const answer = rawRequest(portOf(server.redirectUri), `/oauth/cb?code=${CODE}&state=${STATE}`, {
        Host: `localhost:${server.redirectUri.port}`,
      })
      const result = await waiting
      assert.equal(result.url.origin, server.redirectUri.origin)
      assert.equal(result.params.get('code'), CODE)
      await server.finish({ok: true, title: 'Logged in'})
      assert.equal((await answer).status, 200)
    } finally {
      await server.close()
    }
  })

  it('uses [::1] when asked, when the machine has IPv6 loopback', async (t) => {
    let server
    try {
      server = await start({bindHost: '::1'})
    } catch (error) {
      assert.ok(error instanceof ConfigError)
      t.skip('no IPv6 loopback here')
      return
    }
    try {
      assert.equal(server.redirectUri.hostname, '[::1]')
      assert.equal(await tryConnect(portOf(server.redirectUri), '::1'), 'connected')
    } finally {
      await server.close()
    }
  })

  const badOptions: Array<[string, Partial<CallbackServerOptions>, RegExp]> = [
    ['a non-loopback redirect host', {redirectHost: 'example.com'}, /not a loopback name/],
    ['a redirect host that contradicts the interface', {bindHost: '127.0.0.1', redirectHost: '[::1]'}, /does not match/],
    ['a wildcard interface', {bindHost: '0.0.0.0' as '127.0.0.1'}, /binds only 127\.0\.0\.1 or ::1/],
    ['a port out of range', {port: 70_000}, /not a valid TCP port/],
    ['a path without a leading slash', {path: 'callback'}, /must start with "\/"/],
  ]
  for (const [name, options, message] of badOptions) {
    it(`refuses ${name} with ConfigError (exit 3)`, async () => {
      await assert.rejects(start(options), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.exitCode, ExitCode.config)
        assert.match(error.message, message)
        return true
      })
    })
  }

  it('reports an explicit port in use as ConfigError naming the port', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen({host: '127.0.0.1', port: 0}, resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      await assert.rejects(start({port}), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.exitCode, ExitCode.config)
        assert.equal(
          error.message,
          `port ${port} on 127.0.0.1 is already in use (another oauthctl login?). Close it or pass --port with a free port.`,
        )
        assert.ok(error.hint)
        return true
      })
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('listens on an explicit free port', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen({host: '127.0.0.1', port: 0}, resolve))
    const port = (probe.address() as {port: number}).port
    await new Promise((resolve) => probe.close(resolve))
    const server = await start({port})
    try {
      assert.equal(server.redirectUri.port, String(port))
    } finally {
      await server.close()
    }
  })
})

describe('startCallbackServer: the callback', () => {
  it('answers stray requests without ending the wait, then takes the real callback', async () => {
    const server = await start()
    const uri = server.redirectUri
    const port = portOf(uri)
    try {
      const waiting = server.waitForCallback()
      let resolved = false
      void waiting.then(() => (resolved = true), () => (resolved = true))

      // Given requests a browser (or something else on this machine) sends that are not the callback
      const strays: Array<[string, () => Promise<{status: number; body: string; headers: Headers}>, number]> = [
        ['favicon', () => get(new URL('/favicon.ico', uri)), 404],
        ['root', () => get(new URL('/', uri)), 404],
        ['another path with a code', () => get(callbackUrl(new URL('/other', uri), {code: CODE, state: STATE})), 404],
        ['bare callback path', () => get(uri), 400],
        ['callback path without code or error', () => get(callbackUrl(uri, {state: STATE, foo: 'bar'})), 400],
        ['POST', () => get(callbackUrl(uri, {code: CODE, state: STATE}), {method: 'POST', body: 'x'}), 405],
        ['PUT', () => get(callbackUrl(uri, {code: CODE, state: 'wrong'}), {method: 'PUT', body: 'x'}), 405],
        ['HEAD of the real callback (a link scanner)', () => get(callbackUrl(uri, {code: CODE, state: STATE}), {method: 'HEAD'}), 503],
        ['a prefetch of the real callback', () => get(callbackUrl(uri, {code: CODE, state: STATE}), {headers: {'Sec-Purpose': 'prefetch'}}), 503],
        [
          'a foreign Host (DNS rebinding)',
          () => rawRequest(port, `/callback?code=${CODE}&state=${STATE}`, {Host: `evil.example:${port}`}),
          400,
        ],
      ]
      for (const [name, send, status] of strays) {
        const answer = await send()
        assert.equal(answer.status, status, name)
        if (answer.body) assert.match(answer.body, /^<!doctype html>/, name)
        assert.equal(answer.headers.get('cache-control'), 'no-store', name)
        assert.doesNotMatch(answer.body, new RegExp(CODE), name)
        assert.equal(resolved, false, `${name} must not end the wait`)
      }

      // When the real callback arrives
      const browser = get(callbackUrl(uri, {code: CODE, state: STATE, scope: 'openid'}))
      const result = await waiting

      // Then it resolves with the full URL, rebuilt on the redirect URI
      assert.equal(result.params.get('code'), CODE)
      assert.equal(result.params.get('scope'), 'openid')
      assert.equal(`${result.url.origin}${result.url.pathname}`, uri.href)
      assert.equal(result.url.searchParams.get('state'), STATE)

      // and the browser's request is held until finish()
      const early = await Promise.race([browser.then(() => 'answered'), new Promise((r) => setTimeout(() => r('held'), 100))])
      assert.equal(early, 'held')
      await server.finish({ok: true, title: 'Logged in to sandbox', detail: 'as alice'})
      const page = await browser
      assert.equal(page.status, 200)
      assert.match(page.body, /<h1>Logged in to sandbox<\/h1>/)
      assert.match(page.body, /as alice/)
      assert.match(page.body, /You can close this tab/)
      assert.doesNotMatch(page.body, new RegExp(`${CODE}|${STATE}`))
      assert.equal(page.headers.get('cache-control'), 'no-store')
      assert.equal(page.headers.get('connection'), 'close')
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer')
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/)
      assert.doesNotMatch(page.body, /<script|src=|href=/)

      // After finish the port is free; a second callback cannot connect
      assert.equal(await tryConnect(port), 'ECONNREFUSED')
      assert.equal(await isPortFree(port), true)
    } finally {
      await server.close()
    }
  })

  it('shows a failure page from finish({ok: false})', async () => {
    const server = await start()
    const browser = get(callbackUrl(server.redirectUri, {code: CODE, state: STATE}))
    await server.waitForCallback()
    await server.finish({ok: false, title: 'Login failed: invalid_grant', detail: 'The code <expired>'})
    const page = await browser
    assert.equal(page.status, 400)
    assert.match(page.body, /<h1>Login failed: invalid_grant<\/h1>/)
    assert.match(page.body, /The code &#60;expired&#62;/)
    assert.match(page.body, /terminal says what to do next/)
    assert.doesNotMatch(page.body, /You can close this tab and return/)
  })

  it('accepts a callback that arrives before waitForCallback is called', async () => {
    const server = await start()
    const browser = get(callbackUrl(server.redirectUri, {code: CODE, state: STATE}))
    await new Promise((r) => setTimeout(r, 100))
    const result = await server.waitForCallback()
    assert.equal(result.params.get('code'), CODE)
    await server.finish({ok: true, title: 'ok'})
    assert.equal((await browser).status, 200)
  })

  it('stops accepting connections once the callback is in, without disturbing the held one', async () => {
    const server = await start()
    const uri = server.redirectUri
    const first = get(callbackUrl(uri, {code: CODE, state: STATE}))
    await server.waitForCallback()
    assert.equal(await tryConnect(portOf(uri)), 'ECONNREFUSED', 'no new connections once the callback is in')
    await server.finish({ok: true, title: 'ok'})
    assert.equal((await first).status, 200)
  })

  it('accepts matching iss when the provider supports RFC 9207', async () => {
    const server = await start({expectedIssuer: 'https://issuer.example'})
    const browser = get(callbackUrl(server.redirectUri, {code: CODE, state: STATE, iss: 'https://issuer.example'}))
    const result = await server.waitForCallback()
    assert.equal(result.params.get('iss'), 'https://issuer.example')
    await server.finish({ok: true, title: 'ok'})
    await browser
  })

  it('passes iss through when no issuer is expected', async () => {
    const server = await start()
    const browser = get(callbackUrl(server.redirectUri, {code: CODE, state: STATE, iss: 'https://whatever.example'}))
    const result = await server.waitForCallback()
    assert.equal(result.params.get('iss'), 'https://whatever.example')
    await server.finish({ok: true, title: 'ok'})
    await browser
  })
})

// Responses without this login's state (wrong, missing, repeated) no longer end the login: see
// foreign-callbacks.test.ts.
describe('startCallbackServer: refused callbacks', () => {
  const cases: Array<{
    name: string
    params: Record<string, string> | string
    options?: Partial<CallbackServerOptions>
    code: string
    message: RegExp
    page: RegExp
    error?: string
    errorDescription?: string
  }> = [
    {
      name: 'a provider error with a description',
      params: {error: 'access_denied', error_description: 'The user denied the request <script>alert(1)</script>', state: STATE},
      code: 'authorization_failed',
      message: /^authorization failed: access_denied: The user denied the request <script>alert\(1\)<\/script>$/,
      page: /The user denied the request &#60;script&#62;alert\(1\)&#60;\/script&#62;/,
      error: 'access_denied',
      errorDescription: 'The user denied the request <script>alert(1)</script>',
    },
    {
      name: 'terminal escape sequences in error_description',
      params: {error: 'server_error', error_description: 'bad\u001b[2J\u001b]0;pwned\u0007 thing', state: STATE},
      code: 'authorization_failed',
      message: /^authorization failed: server_error: bad \[2J ]0;pwned thing$/,
      page: /bad \[2J ]0;pwned thing/,
      error: 'server_error',
      errorDescription: 'bad [2J ]0;pwned thing',
    },
    {
      name: 'iss from another issuer (mix-up)',
      params: {code: CODE, state: STATE, iss: 'https://evil.example'},
      options: {expectedIssuer: 'https://issuer.example'},
      code: 'issuer_mismatch',
      message: /came from issuer "https:\/\/evil\.example", but this login expects "https:\/\/issuer\.example"/,
      page: /unexpected authorization server/,
    },
    {
      name: 'no iss although the provider advertises RFC 9207',
      params: {code: CODE, state: STATE},
      options: {expectedIssuer: 'https://issuer.example'},
      code: 'issuer_mismatch',
      message: /carried no iss parameter/,
      page: /unexpected authorization server/,
    },
    {
      name: 'an error from another issuer',
      params: {error: 'access_denied', state: STATE, iss: 'https://evil.example'},
      options: {expectedIssuer: 'https://issuer.example'},
      code: 'issuer_mismatch',
      message: /came from issuer/,
      page: /unexpected authorization server/,
    },
    {
      name: 'a repeated code with the right state',
      params: `code=${CODE}&state=${STATE}&code=other`,
      code: 'invalid_callback',
      message: /repeated the "code" parameter/,
      page: /malformed callback/,
    },
    {
      name: 'an empty code',
      params: {code: '', state: STATE},
      code: 'invalid_callback',
      message: /empty code/,
      page: /malformed callback/,
    },
  ]

  for (const c of cases) {
    it(`refuses ${c.name}: exit 5 ${c.code}, failure page, listener closed`, async () => {
      // Given a login waiting for its callback
      const server = await start(c.options)
      const uri = server.redirectUri
      const waiting = server.waitForCallback()

      // When the browser brings back this response
      const url = new URL(uri)
      url.search = typeof c.params === 'string' ? c.params : new URLSearchParams(c.params).toString()
      const page = await get(url)

      // Then the browser sees a failure page
      assert.equal(page.status, 400)
      assert.match(page.body, c.page)
      assert.doesNotMatch(page.body, /<script/)
      assert.doesNotMatch(page.body, new RegExp(`${CODE}|${STATE}`))
      assert.equal(page.headers.get('cache-control'), 'no-store')

      // and the login fails with exit 5, carrying the provider's fields, never the code or state
      await assert.rejects(waiting, (error: unknown) => {
        assert.ok(error instanceof AuthorizationError)
        assert.equal(error.exitCode, ExitCode.authorization)
        assert.equal(error.code, c.code)
        assert.match(error.message, c.message)
        assert.ok(error.hint, 'a hint says what to do next')
        assert.equal(error.error, c.error)
        assert.equal(error.errorDescription, c.errorDescription)
        assert.doesNotMatch(`${error.message} ${error.hint}`, new RegExp(`${CODE}|${STATE}`))
        return true
      })

      // and the listener is already closed
      assert.equal(await tryConnect(portOf(uri)), 'ECONNREFUSED')
      await server.close()
    })
  }
})

describe('startCallbackServer: ending without a callback', () => {
  it('times out with exit 5 code timeout and frees the port', async () => {
    const server = await start({timeoutMs: 200})
    const port = portOf(server.redirectUri)
    const started = Date.now()
    await assert.rejects(server.waitForCallback(), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, ExitCode.authorization)
      assert.equal(error.code, 'timeout')
      assert.equal(error.message, 'no callback received within 0.2 s')
      assert.match(error.hint ?? '', /--timeout/)
      return true
    })
    assert.ok(Date.now() - started >= 190)
    assert.equal(await isPortFree(port), true)
  })

  it('words the timeout in the real seconds', async () => {
    const server = await start({timeoutMs: 1000})
    await assert.rejects(server.waitForCallback(), {code: 'timeout', message: 'no callback received within 1 s'})
  })

  it('rejects with InterruptedError (exit 130) on abort and frees the port', async () => {
    const server = await start()
    const port = portOf(server.redirectUri)
    const controller = new AbortController()
    const waiting = server.waitForCallback(controller.signal)
    setTimeout(() => controller.abort(), 50)
    await assert.rejects(waiting, (error: unknown) => {
      assert.ok(error instanceof InterruptedError)
      assert.equal(error.exitCode, ExitCode.interrupted)
      return true
    })
    assert.equal(await isPortFree(port), true)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const server = await start()
    const port = portOf(server.redirectUri)
    await assert.rejects(server.waitForCallback(AbortSignal.abort()), InterruptedError)
    assert.equal(await isPortFree(port), true)
  })

  it('close() answers a held browser request, ends a pending wait and frees the port', async () => {
    const server = await start()
    const port = portOf(server.redirectUri)
    const browser = get(callbackUrl(server.redirectUri, {code: CODE, state: STATE}))
    await server.waitForCallback()
    await server.close()
    const page = await browser
    assert.equal(page.status, 500)
    assert.match(page.body, /stopped before finishing/)
    assert.equal(await isPortFree(port), true)

    const idle = await start()
    const pending = idle.waitForCallback()
    await idle.close()
    await assert.rejects(pending, InterruptedError)
    await idle.close() // idempotent
  })

  it('frees the port even when a stray keep-alive connection stays open', async () => {
    const server = await start()
    const port = portOf(server.redirectUri)
    const {connect} = await import('node:net')
    const socket = connect({host: '127.0.0.1', port})
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.on('error', () => {})
    // Half a request: the server cannot answer it, so only closeAllConnections ends it.
    socket.write('GET /callback?code=x HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await server.close()
    assert.equal(await isPortFree(port), true)
    socket.destroy()
  })
})
