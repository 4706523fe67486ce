import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:net'
import {describe, it} from 'node:test'

import {startCallbackServer} from '../../src/callback/callback-server.js'
import type {CallbackServerOptions} from '../../src/callback/callback-server.js'
import {listenAll} from '../../src/callback/loopback-listen.js'
import {ConfigError, ExitCode} from '../../src/errors.js'
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http'
import {MAX_TIMER_MS, timerDelay} from '../../src/util/timers.js'
import {get, isPortFree, rawRequest, tryConnect} from './helpers.js'

const STATE = 'st4te-0f-this-login'
const CODE = 'c0de-secret-value'

function start(overrides: Partial<CallbackServerOptions> = {}) {
  return startCallbackServer({expectedState: STATE, timeoutMs: 5000, ...overrides})
}

function listenOn(host: string, port = 0): Promise<Server> {
  const server = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nLogged in'))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({host, port, exclusive: true, ipv6Only: host === '::1'}, () => resolve(server))
  })
}

async function freePort(): Promise<number> {
  // A port free on both loopback addresses.
  for (;;) {
    const probe = await listenOn('127.0.0.1')
    const port = (probe.address() as {port: number}).port
    await new Promise((r) => probe.close(r))
    if (await isPortFree(port, '::1')) return port
  }
}

const close = (server: Server) => new Promise((r) => server.close(r))

/**
 * Issue 8 item 3: for a `localhost` redirect the browser may connect to ::1 as well as 127.0.0.1 (Chromium
 * does). Every loopback address of localhost is bound on the one port, or the login refuses to start.
 * This machine must have IPv6 loopback: these tests bind ::1.
 */
describe('startCallbackServer: a localhost redirect listens on every loopback address of localhost', () => {
  it('binds 127.0.0.1 and ::1 on the same ephemeral port', async () => {
    const server = await start({redirectHost: 'localhost'})
    const port = Number(server.redirectUri.port)
    try {
      assert.equal(server.redirectUri.hostname, 'localhost')
      assert.equal(await tryConnect(port, '127.0.0.1'), 'connected')
      assert.equal(await tryConnect(port, '::1'), 'connected')
    } finally {
      await server.close()
    }
    assert.equal(await isPortFree(port, '127.0.0.1'), true)
    assert.equal(await isPortFree(port, '::1'), true)
  })

  for (const address of ['::1', '127.0.0.1']) {
    it(`a callback arriving on ${address} completes the login and closes both listeners`, async () => {
      const server = await start({redirectHost: 'localhost', path: '/oauth/cb'})
      const port = Number(server.redirectUri.port)
      try {
        const waiting = server.waitForCallback()
        const answer = rawRequest(port, `/oauth/cb?code=${CODE}&state=${STATE}`, {Host: `localhost:${port}`}, address)
        const result = await waiting
        assert.equal(result.params.get('code'), CODE)
        assert.equal(result.url.origin, `http://localhost:${port}`)
        // One callback per login: neither address takes another connection.
        assert.equal(await tryConnect(port, '127.0.0.1'), 'ECONNREFUSED')
        assert.equal(await tryConnect(port, '::1'), 'ECONNREFUSED')
        await server.finish({ok: true, title: 'Logged in'})
        assert.equal((await answer).status, 200)
      } finally {
        await server.close()
      }
      assert.equal(await isPortFree(port, '::1'), true)
    })
  }

  for (const squatted of ['::1', '127.0.0.1']) {
    it(`refuses to start (exit 3 naming the address and port) when another program listens on ${squatted} at the fixed port`, async () => {
      // Given a local program squatting one loopback address at the port the provider redirects to
      const port = await freePort()
      const squatter = await listenOn(squatted, port)
      try {
        // When the login starts its listener for http://localhost:PORT/callback
        const where = squatted === '::1' ? '[::1]' : '127.0.0.1'
        await assert.rejects(start({redirectHost: 'localhost', port}), (error: unknown) => {
          // Then it refuses, naming the address and the port
          assert.ok(error instanceof ConfigError)
          assert.equal(error.exitCode, ExitCode.config)
          assert.equal(error.code, 'port_in_use')
          assert.equal(error.message, `port ${port} on ${where} is already in use (another oauthctl login?). Close it or pass --port with a free port.`)
          return true
        })
        // and holds no address: the other one is free again
        assert.equal(await isPortFree(port, squatted === '::1' ? '127.0.0.1' : '::1'), true)
      } finally {
        await close(squatter)
      }
    })
  }

  it('the squatter warning names the risk for the IPv6 address', async () => {
    const port = await freePort()
    const squatter = await listenOn('::1', port)
    try {
      await assert.rejects(start({redirectHost: 'localhost', port}), (error: ConfigError) => {
        assert.equal(error.hint, `A program listening on [::1]:${port} could receive this login's code, as browsers send localhost there too; stop it, or pass --port with a free port.`)
        return true
      })
    } finally {
      await close(squatter)
    }
  })

  it('an IP-literal redirect binds only that address', async () => {
    const server = await start({redirectHost: '127.0.0.1'})
    const port = Number(server.redirectUri.port)
    try {
      assert.equal(await tryConnect(port, '127.0.0.1'), 'connected')
      assert.equal(await tryConnect(port, '::1'), 'ECONNREFUSED')
    } finally {
      await server.close()
    }
  })
})

describe('listenAll: one port on every address', () => {
  /** A server factory whose servers number `failing` report EADDRINUSE (another program took the port). */
  function factory(failing: number[], code = 'EADDRINUSE'): {create: () => HttpServer; created: HttpServer[]} {
    const created: HttpServer[] = []
    const create = () => {
      const server = createHttpServer((_req, res) => res.end())
      created.push(server)
      if (failing.includes(created.length)) {
        server.listen = ((..._args: unknown[]) => {
          process.nextTick(() => server.emit('error', Object.assign(new Error(`listen ${code}`), {code})))
          return server
        }) as HttpServer['listen']
      }
      return server
    }
    return {create, created}
  }
  const plan = {addresses: ['127.0.0.1', '::1'], redirectHost: 'localhost', optionalExtras: true}

  it('an ephemeral port taken on the second address is picked again, and the first pick is released', async () => {
    const {create, created} = factory([2])
    const {servers, port} = await listenAll(plan, 0, create)
    try {
      assert.equal(created.length, 4)
      assert.equal(servers.length, 2)
      assert.equal(created[0].listening, false, 'the first attempt was closed')
      assert.equal(await tryConnect(port, '127.0.0.1'), 'connected')
      assert.equal(await tryConnect(port, '::1'), 'connected')
    } finally {
      for (const server of servers) server.close()
    }
  })

  for (const code of ['EADDRNOTAVAIL', 'EAFNOSUPPORT']) {
    it(`a machine without IPv6 (${code} on ::1) listens on 127.0.0.1 alone`, async () => {
      const {create, created} = factory([2], code)
      const {servers, port} = await listenAll(plan, 0, create)
      try {
        assert.equal(created.length, 2)
        assert.equal(servers.length, 1)
        assert.equal(await tryConnect(port, '127.0.0.1'), 'connected')
      } finally {
        for (const server of servers) server.close()
      }
    })
  }

  it('::1 missing is an error (exit 3) when it is the redirect host itself', async () => {
    const {create} = factory([1], 'EADDRNOTAVAIL')
    await assert.rejects(listenAll({addresses: ['::1'], redirectHost: '[::1]', optionalExtras: false}, 0, create), (error: ConfigError) => {
      assert.equal(error.exitCode, ExitCode.config)
      assert.equal(error.message, 'cannot listen on [::1]:0: listen EADDRNOTAVAIL')
      assert.equal(error.hint, 'IPv6 may be disabled on this machine; use 127.0.0.1 instead.')
      return true
    })
  })

  it('gives up with exit 3 after 5 attempts, holding nothing', async () => {
    const {create, created} = factory([2, 4, 6, 8, 10])
    await assert.rejects(listenAll(plan, 0, create), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.code, 'port_in_use')
      assert.match(error.message, /^port \d+ on \[::1\] is already in use/)
      return true
    })
    assert.equal(created.length, 10)
    assert.ok(created.every((server) => !server.listening))
  })

  it('a fixed port taken on the second address is not retried', async () => {
    const port = await freePort()
    const {create, created} = factory([2])
    await assert.rejects(listenAll(plan, port, create), {code: 'port_in_use', message: new RegExp(`^port ${port} on \\[::1\\]`)})
    assert.equal(created.length, 2)
    assert.equal(await isPortFree(port), true)
  })
})

describe('timer durations cannot overflow (issue 8 item 10)', () => {
  it('timerDelay keeps delays within 2^31 - 1 ms and never negative', () => {
    assert.equal(MAX_TIMER_MS, 2_147_483_647)
    assert.equal(timerDelay(1500), 1500)
    assert.equal(timerDelay(2 ** 31), MAX_TIMER_MS)
    assert.equal(timerDelay(1e306), MAX_TIMER_MS)
    assert.equal(timerDelay(Infinity), MAX_TIMER_MS)
    assert.equal(timerDelay(-5), 0)
    assert.equal(timerDelay(Number.NaN), 0)
  })

  it('a callback timeout above 2^31 ms waits instead of firing at once', async () => {
    const server = await start({timeoutMs: 2 ** 31 + 5000})
    try {
      const waiting = server.waitForCallback()
      const early = await Promise.race([waiting.then(() => 'ended', () => 'ended'), new Promise((r) => setTimeout(() => r('waiting'), 300))])
      assert.equal(early, 'waiting')
      const browser = get(`${server.redirectUri.href}?code=${CODE}&state=${STATE}`)
      assert.equal((await waiting).params.get('code'), CODE)
      await server.finish({ok: true, title: 'ok'})
      await browser
    } finally {
      await server.close()
    }
  })
})
