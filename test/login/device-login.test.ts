import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, beforeEach, describe, it} from 'node:test'
import {AuthorizationError, ConfigError, ExitCode, InterruptedError} from '../../src/errors.js'
import {renderQrCode, loginWithDevice, pollIntervalFromEnv, type DeviceLoginDeps} from '../../src/login/device-login.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {fakePreset} from './helpers.js'

/**
 * A tiny authorization server: the device authorization endpoint answers with `deviceResponse`, the token
 * endpoint with the next scripted answer. Every token request is recorded.
 */
interface Scripted {
  status: number
  body: Record<string, unknown>
}

let server: Server
let origin: string
let deviceResponse: Record<string, unknown>
let script: Scripted[]
let tokenRequests: URLSearchParams[]
/** Endpoints that never answer (Ctrl-C tests); their requests are kept here. */
let hang: {device: boolean; token: boolean}
const hanging: Array<{destroy(): void}> = []

before(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, {'content-type': 'application/json', 'cache-control': 'no-store'})
        res.end(JSON.stringify(json))
      }
      if (req.url === '/device') return hang.device ? void hanging.push(res) : send(200, deviceResponse)
      if (req.url === '/token') {
        tokenRequests.push(new URLSearchParams(body))
        if (hang.token) return void hanging.push(res)
        const next = script.shift() ?? {status: 500, body: {error: 'server_error', error_description: 'script exhausted'}}
        return send(next.status, next.body)
      }
      send(404, {error: 'not_found'})
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  for (const res of hanging) res.destroy()
  return new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(() => {
  deviceResponse = {device_code: 'device-code-123456', user_code: 'WDJB-MJHT', verification_uri: `${origin}/activate`, expires_in: 600}
  script = []
  tokenRequests = []
  hang = {device: false, token: false}
})

function preset(overrides: Partial<ProviderPreset> = {}): ProviderPreset {
  return fakePreset(origin, {deviceAuthorizationEndpoint: `${origin}/device`, supportsDeviceFlow: true, ...overrides})
}

const pending = {status: 400, body: {error: 'authorization_pending'}}
const slowDown = {status: 400, body: {error: 'slow_down'}}
const tokens = {status: 200, body: {access_token: 'access-token-abcdef', token_type: 'Bearer', expires_in: 3600}}

/** Deps with a virtual clock: sleeping advances it and records the wait instead of waiting. */
function fakeDeps(signal?: AbortSignal): DeviceLoginDeps & {waits: number[]; lines: string[]} {
  let clock = 1_000_000
  const waits: number[] = []
  const lines: string[] = []
  return {
    waits,
    lines,
    say: (line) => void lines.push(line),
    now: () => clock,
    signal,
    sleep: async (ms, sig) => {
      if (sig?.aborted) throw sig.reason
      waits.push(ms)
      clock += ms
    },
  }
}

const input = () => ({preset: preset(), credentials: {clientId: 'cli'}, scopes: ['read']})

describe('device flow polling (RFC 8628 §3.5)', () => {
  it('polls at the server interval and adds 5 s on every slow_down', async () => {
    deviceResponse.interval = 2
    script = [pending, slowDown, pending, slowDown, tokens]
    const deps = fakeDeps()
    const result = await loginWithDevice(input(), deps)
    assert.equal(result.access_token, 'access-token-abcdef')
    assert.deepEqual(deps.waits, [2000, 2000, 7000, 7000, 12000])
    assert.equal(tokenRequests.length, 5)
    for (const request of tokenRequests) {
      assert.equal(request.get('grant_type'), 'urn:ietf:params:oauth:grant-type:device_code')
      assert.equal(request.get('device_code'), 'device-code-123456')
      assert.equal(request.get('client_id'), 'cli')
    }
  })

  it('an absurd interval or lifetime from the server is clamped (60 s, 24 h), never a timer overflow', async () => {
    deviceResponse.interval = 1e306
    deviceResponse.expires_in = 1e306
    script = [pending, slowDown, tokens]
    const deps = fakeDeps()
    await loginWithDevice(input(), deps)
    assert.deepEqual(deps.waits, [60_000, 60_000, 60_000])
    assert.match(deps.lines.join('\n'), /the code expires in 1440 min/)
  })

  it('waits 5 s between polls when the server sends no interval', async () => {
    script = [pending, tokens]
    const deps = fakeDeps()
    await loginWithDevice(input(), deps)
    assert.deepEqual(deps.waits, [5000, 5000])
  })

  it('an interval override (tests) replaces the server interval, and slow_down still adds 5 s', async () => {
    deviceResponse.interval = 5
    script = [slowDown, tokens]
    const deps = fakeDeps()
    await loginWithDevice({...input(), pollIntervalS: 0.1}, deps)
    assert.deepEqual(deps.waits, [100, 5100])
  })

  it('shows the verification URL and the user code on stderr lines', async () => {
    deviceResponse.verification_uri_complete = `${origin}/activate?user_code=WDJB-MJHT`
    script = [tokens]
    const deps = fakeDeps()
    await loginWithDevice(input(), deps)
    const text = deps.lines.join('\n')
    assert.match(text, new RegExp(`open ${origin}/activate\\b`))
    assert.match(text, /enter the code: WDJB-MJHT/)
    assert.match(text, /user_code=WDJB-MJHT/)
    assert.doesNotMatch(text, /device-code-123456/)
  })

  it('draws verification_uri_complete as a QR code only when stderr is a terminal', async () => {
    deviceResponse.verification_uri_complete = `${origin}/activate?user_code=WDJB-MJHT`
    script = [tokens]
    const onTerminal = fakeDeps()
    await loginWithDevice(input(), {...onTerminal, showQrCode: true})
    const qr = onTerminal.lines.find((line) => line.includes('\n') && /^[█▀▄ \n]+$/.test(line))
    assert.ok(qr, 'a block of QR modules was printed')
    assert.equal(qr, await renderQrCode(`${origin}/activate?user_code=WDJB-MJHT`))
    script = [tokens]
    const piped = fakeDeps()
    await loginWithDevice(input(), {...piped, showQrCode: false})
    assert.ok(!piped.lines.some((line) => /[█▀▄]/.test(line)))
  })

  it('stops with exit 5 on expired_token from the server', async () => {
    script = [pending, {status: 400, body: {error: 'expired_token'}}]
    await assert.rejects(loginWithDevice(input(), fakeDeps()), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, ExitCode.authorization)
      assert.equal(error.code, 'expired_token')
      assert.match(error.message, /expired/)
      return true
    })
  })

  it('stops with exit 5 once expires_in has passed, without polling again', async () => {
    deviceResponse.expires_in = 12
    deviceResponse.interval = 5
    script = [pending, pending, pending, pending]
    await assert.rejects(loginWithDevice(input(), fakeDeps()), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.code, 'expired_token')
      return true
    })
    // Polls at 5 s and 10 s; at 15 s the code has expired.
    assert.equal(tokenRequests.length, 2)
  })

  it('stops with exit 5 on access_denied and keeps the description', async () => {
    script = [{status: 400, body: {error: 'access_denied', error_description: 'the user said no'}}]
    await assert.rejects(loginWithDevice(input(), fakeDeps()), (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, 5)
      assert.equal(error.error, 'access_denied')
      assert.match(error.message, /denied: the user said no/)
      return true
    })
  })

  it('Ctrl-C while waiting is exit 130', async () => {
    const controller = new AbortController()
    controller.abort()
    script = [tokens]
    await assert.rejects(loginWithDevice(input(), fakeDeps(controller.signal)), (error: unknown) => {
      assert.ok(error instanceof InterruptedError)
      assert.equal(error.exitCode, 130)
      return true
    })
    assert.equal(tokenRequests.length, 0)
  })

  it('a huge server interval is clamped to 60 s (no timer overflow, no early poll)', async () => {
    deviceResponse.interval = 1e10
    script = [tokens]
    const deps = fakeDeps()
    await loginWithDevice(input(), deps)
    assert.deepEqual(deps.waits, [60_000])
    assert.equal(tokenRequests.length, 1)
  })

  for (const endpoint of ['device', 'token'] as const) {
    it(`Ctrl-C while the ${endpoint === 'device' ? 'device authorization request' : 'poll'} hangs is exit 130 at once (not after openid-client's 30 s)`, async () => {
      // Given an authorization server that never answers, and real (short) waits
      hang[endpoint] = true
      const controller = new AbortController()
      const deps = {...fakeDeps(controller.signal), sleep: undefined}
      const started = Date.now()
      const login = loginWithDevice({...input(), pollIntervalS: 0.01}, deps)
      // When the user presses Ctrl-C while the request is under way
      setTimeout(() => controller.abort(), 200)
      // Then the login stops at once with exit 130
      await assert.rejects(login, (error: unknown) => {
        assert.ok(error instanceof InterruptedError)
        assert.equal(error.exitCode, ExitCode.interrupted)
        return true
      })
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`)
      if (endpoint === 'token') assert.equal(tokenRequests.length, 1)
    })
  }

  it('a preset without the device flow is a configuration error (exit 3) before any request', async () => {
    await assert.rejects(loginWithDevice({...input(), preset: preset({supportsDeviceFlow: false})}, fakeDeps()), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.exitCode, 3)
      return true
    })
  })
})

describe('OAUTHCTL_DEVICE_POLL_INTERVAL', () => {
  it('parses seconds and rejects garbage', () => {
    assert.equal(pollIntervalFromEnv({}), undefined)
    assert.equal(pollIntervalFromEnv({OAUTHCTL_DEVICE_POLL_INTERVAL: '0.25'}), 0.25)
    assert.throws(() => pollIntervalFromEnv({OAUTHCTL_DEVICE_POLL_INTERVAL: 'fast'}), ConfigError)
  })
})
