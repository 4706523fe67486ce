/**
 * The one-shot loopback listener that receives the authorization response of the native-app flow.
 *
 * @see RFC 8252 §7.3 (loopback interface redirection) and §8.3 (loopback redirect considerations)
 * @see RFC 9207 (authorization server issuer identification)
 */
import {timingSafeEqual} from 'node:crypto'
import {createServer} from 'node:http'
import type {IncomingMessage, Server, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {AuthorizationError, ConfigError, InterruptedError} from '../errors.js'
import {sendPage} from './pages.js'

export interface CallbackServerOptions {
  /** Interface to bind: '127.0.0.1' (default, or '::1' when `redirectHost` is '[::1]'). Never 0.0.0.0. */
  bindHost?: '127.0.0.1' | '::1'
  /**
   * Host name written into the redirect URI: '127.0.0.1', '[::1]' or 'localhost' (some providers insist on
   * localhost; we still bind the IP). Defaults to the literal of `bindHost`.
   */
  redirectHost?: string
  /** 0 or undefined: an ephemeral port chosen by the OS (RFC 8252 §7.3). */
  port?: number
  /** Default '/callback'. */
  path?: string
  expectedState: string
  /**
   * When the provider advertises RFC 9207 (`authorization_response_iss_parameter_supported`), the issuer
   * the `iss` parameter must equal. A callback without `iss` is then refused too (RFC 9207 §2.4).
   */
  expectedIssuer?: string
  /** How long `waitForCallback` waits, counted from its call. */
  timeoutMs: number
}

export interface CallbackResult {
  /** The full callback URL, rebuilt on `redirectUri` plus the query the browser sent. */
  url: URL
  params: URLSearchParams
}

export type FinishOutcome = {ok: true; title: string; detail?: string} | {ok: false; title: string; detail?: string}

export interface CallbackServer {
  /** A fresh copy on every read. */
  readonly redirectUri: URL
  /**
   * Resolves with the first valid callback (matching state, a `code`, and the expected `iss`). The HTTP
   * response to it is held open until {@link CallbackServer.finish} is called, so the browser page can say
   * whether the code exchange worked. Rejects with AuthorizationError (state/issuer mismatch, provider
   * error, timeout) or InterruptedError (`signal` aborted); the listener is closed before it rejects.
   * Calling it again returns the same promise.
   */
  waitForCallback(signal?: AbortSignal): Promise<CallbackResult>
  /** Answer the browser's held request with a success or failure page, then close the listener. */
  finish(outcome: FinishOutcome): Promise<void>
  /** Close the listener and every connection; a held browser request gets a neutral page. Idempotent. */
  close(): Promise<void>
}

const loopbackRedirectHosts = new Map<string, '127.0.0.1' | '::1' | undefined>([
  ['127.0.0.1', '127.0.0.1'],
  ['[::1]', '::1'],
  ['::1', '::1'],
  ['localhost', undefined],
])

/** Parameters that must appear at most once (RFC 6749 §3.1); a repeated one could smuggle a second value. */
const singleValued = ['code', 'state', 'iss', 'error', 'error_description'] as const

/**
 * Start listening on the loopback interface. Resolves once the port is bound, so `redirectUri` carries the
 * real port (which the authorization request must use).
 *
 * @throws ConfigError (exit 3) when the port is taken or the interface cannot be bound.
 * @see RFC 8252 §7.3, §8.3
 */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const {bindHost, redirectHost} = resolveHosts(options)
  const path = options.path ?? '/callback'
  if (!path.startsWith('/') || path.includes('?') || path.includes('#')) {
    throw new ConfigError(`callback path "${path}" must start with "/" and carry no query or fragment`)
  }
  const requestedPort = options.port ?? 0
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new ConfigError(`port ${requestedPort} is not a valid TCP port`, {hint: 'Pass --port with a number from 1 to 65535, or leave it out.'})
  }
  if (!options.expectedState) throw new TypeError('startCallbackServer: expectedState must be a non-empty string')
  if (!(options.timeoutMs > 0)) throw new TypeError('startCallbackServer: timeoutMs must be positive')

  const server = createServer()
  await listen(server, bindHost, requestedPort)
  const port = (server.address() as AddressInfo).port
  const redirectUri = new URL(`http://${redirectHost}:${port}${path}`)
  const allowedHosts = new Set([`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`])

  let settled = false
  let held: ServerResponse | undefined
  /** finish() sent its page: give it time to reach the browser before sockets are cut. */
  let answered = false
  let closing: Promise<void> | undefined
  let resolveOutcome!: (result: CallbackResult) => void
  let rejectOutcome!: (error: Error) => void
  const outcome = new Promise<CallbackResult>((resolve, reject) => {
    resolveOutcome = resolve
    rejectOutcome = reject
  })
  // The browser can beat waitForCallback(); keep an early rejection from counting as unhandled.
  outcome.catch(() => {})

  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()))

  function stopListening(): void {
    if (server.listening) server.close()
    server.closeIdleConnections()
  }

  /** `graceMs`: how long a page just sent may take to drain before its socket is cut. */
  function shutdown(graceMs: number): Promise<void> {
    closing ??= (async () => {
      stopListening()
      // Every page carries `Connection: close`, so answered sockets end by themselves; this catches a
      // browser (or anything else) that keeps one open anyway, so the port is free soon after.
      const force = setTimeout(() => server.closeAllConnections(), graceMs)
      force.unref()
      await closed
      clearTimeout(force)
    })()
    return closing
  }

  /** Answer (optionally), close the listener, then reject: the caller sees the error with the port free. */
  async function fail(error: Error, res?: ServerResponse, page?: FinishOutcome): Promise<void> {
    if (settled) return
    settled = true
    if (res && page) sendPage(res, 400, page)
    await shutdown(res ? 1000 : 0)
    rejectOutcome(error)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => {})
    const route = classify(req, path, allowedHosts)
    if (route.kind === 'stray') {
      sendPage(res, route.status, {ok: false, title: route.title, detail: route.detail}, route.headers)
      return
    }
    if (settled) {
      sendPage(res, 409, {
        ok: false,
        title: 'This login has already been handled',
        detail: 'oauthctl only accepts one callback per login. Check the terminal.',
      })
      return
    }
    const params = route.params
    const verdict = judge(params, options.expectedState, options.expectedIssuer)
    if (verdict.kind === 'reject') {
      void fail(verdict.error, res, verdict.page)
      return
    }
    settled = true
    held = res
    // One callback per login: stop accepting new connections now; the held one stays open.
    stopListening()
    const url = new URL(redirectUri)
    url.search = params.toString()
    resolveOutcome({url, params: new URLSearchParams(params)})
  })

  let waiting: Promise<CallbackResult> | undefined
  function waitForCallback(signal?: AbortSignal): Promise<CallbackResult> {
    if (waiting) return waiting
    if (!settled) {
      const seconds = formatSeconds(options.timeoutMs)
      const timer = setTimeout(() => {
        void fail(
          new AuthorizationError(`no callback received within ${seconds} s`, {
            hint: 'Run the login again and finish it in the browser sooner, or pass --timeout with more seconds.',
          }, 'timeout'),
        )
      }, options.timeoutMs)
      const onAbort = () => void fail(new InterruptedError('login interrupted while waiting for the browser callback'))
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, {once: true})
      const cleanup = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      outcome.then(cleanup, cleanup)
    }
    waiting = outcome
    return waiting
  }

  async function finish(result: FinishOutcome): Promise<void> {
    const res = held
    held = undefined
    if (res && !res.writableEnded && !res.destroyed) {
      sendPage(res, result.ok ? 200 : 400, result)
      answered = true
    }
    await close()
  }

  async function close(): Promise<void> {
    const res = held
    held = undefined
    const answering = res !== undefined && !res.writableEnded && !res.destroyed
    if (answering) {
      sendPage(res, 500, {
        ok: false,
        title: 'oauthctl stopped before finishing the login',
        detail: 'Check the terminal for what happened.',
      })
    }
    if (!settled) {
      // Nobody will get a callback any more; make a pending waitForCallback() end rather than hang.
      settled = true
      rejectOutcome(new InterruptedError('the callback listener was closed before a callback arrived'))
    }
    await shutdown(answering || answered ? 1000 : 0)
  }

  return {
    get redirectUri() {
      return new URL(redirectUri)
    },
    waitForCallback,
    finish,
    close,
  }
}

type Route =
  | {kind: 'callback'; params: URLSearchParams}
  | {kind: 'stray'; status: number; title: string; detail?: string; headers?: Record<string, string>}

/**
 * Decide whether a request may be the authorization response. Everything else (favicon, prefetch, HEAD,
 * a bare `/callback`, a rebinding attack's Host) is answered and ignored: it must not end the one-shot wait.
 */
function classify(req: IncomingMessage, path: string, allowedHosts: Set<string>): Route {
  const host = req.headers.host?.toLowerCase()
  if (!host || !allowedHosts.has(host)) {
    // DNS-rebinding defence: a web page can reach 127.0.0.1 only under its own host name.
    return {kind: 'stray', status: 400, title: 'Unexpected Host header'}
  }
  let url: URL
  try {
    url = new URL(req.url ?? '/', 'http://loopback.invalid')
  } catch {
    return {kind: 'stray', status: 400, title: 'Bad request'}
  }
  if (url.pathname !== path) return {kind: 'stray', status: 404, title: 'Not found'}
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return {kind: 'stray', status: 405, title: 'Method not allowed', headers: {Allow: 'GET, HEAD'}}
  }
  if (!url.searchParams.has('code') && !url.searchParams.has('error')) {
    return {kind: 'stray', status: 400, title: 'Not an authorization response', detail: 'This address only receives the authorization server\u2019s redirect.'}
  }
  // A HEAD, or a speculative load, never carries the user's navigation; let the real GET through later.
  const purpose = `${req.headers['sec-purpose'] ?? ''} ${req.headers.purpose ?? ''} ${req.headers['x-moz'] ?? ''}`
  if (req.method === 'HEAD' || /prefetch|prerender/i.test(purpose)) {
    return {kind: 'stray', status: 503, title: 'Open this page in the browser to finish logging in'}
  }
  return {kind: 'callback', params: url.searchParams}
}

type Verdict = {kind: 'accept'} | {kind: 'reject'; error: AuthorizationError; page: FinishOutcome}

const nothingExchanged = 'Nothing was exchanged and no token was stored.'

/** @see RFC 6749 §4.1.2, §4.1.2.1, §10.12; RFC 9207 §2.4 */
function judge(params: URLSearchParams, expectedState: string, expectedIssuer: string | undefined): Verdict {
  for (const name of singleValued) {
    if (params.getAll(name).length > 1) {
      return reject(
        new AuthorizationError(`the callback repeated the "${name}" parameter, so it cannot be trusted; ${nothingExchanged.toLowerCase()}`, {
          hint: 'Run the login again.',
        }, 'invalid_callback'),
        'Login failed: malformed callback',
      )
    }
  }

  if (params.get('code') === '') {
    return reject(
      new AuthorizationError(`the callback carried an empty code; ${nothingExchanged.toLowerCase()}`, {hint: 'Run the login again.'}, 'invalid_callback'),
      'Login failed: malformed callback',
    )
  }

  const state = params.get('state')
  const error = params.get('error')
  // An error response may lack state (RFC 6749 §4.1.2.1 only echoes it when sent); a code never may.
  if ((state === null && error === null) || (state !== null && !sameString(state, expectedState))) {
    return reject(
      new AuthorizationError(
        `the callback's state did not match this login (possible CSRF, or a stale browser tab from an earlier login); ${nothingExchanged.toLowerCase()}`,
        {hint: 'Close old login tabs and run the login again.'},
        'state_mismatch',
      ),
      'Login failed: this response does not belong to the current login',
      'Close this tab and run the login again from the terminal.',
    )
  }

  if (expectedIssuer !== undefined) {
    const iss = params.get('iss')
    if (iss !== expectedIssuer) {
      const what = iss === null ? 'carried no iss parameter' : `came from issuer "${clean(iss)}"`
      return reject(
        new AuthorizationError(
          `the callback ${what}, but this login expects "${expectedIssuer}" (RFC 9207 mix-up defence); ${nothingExchanged.toLowerCase()}`,
          {hint: 'Check the provider\u2019s issuer configuration, then run the login again.'},
          'issuer_mismatch',
        ),
        'Login failed: the response came from an unexpected authorization server',
      )
    }
  }

  if (error !== null) {
    const code = clean(error) || 'unknown_error'
    const description = params.has('error_description') ? clean(params.get('error_description') ?? '') : undefined
    return reject(
      new AuthorizationError(`authorization failed: ${code}${description ? `: ${description}` : ''}`, {
        error: code,
        errorDescription: description,
        hint: code === 'access_denied' ? 'Run the login again and approve the request.' : 'Run the login again; if it keeps failing, check the provider settings.',
      }),
      `Login failed: ${code}`,
      description,
    )
  }
  return {kind: 'accept'}

  function reject(err: AuthorizationError, title: string, detail = 'Return to the terminal for details.'): Verdict {
    return {kind: 'reject', error: err, page: {ok: false, title, detail}}
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Provider text ends up in a terminal: drop control characters (escape sequences) and cap the length. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()
  return printable.length > 500 ? `${printable.slice(0, 500)}\u2026` : printable
}

function formatSeconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1)))
}

function resolveHosts(options: CallbackServerOptions): {bindHost: '127.0.0.1' | '::1'; redirectHost: string} {
  if (options.bindHost !== undefined && options.bindHost !== '127.0.0.1' && options.bindHost !== '::1') {
    throw new ConfigError(`refusing to listen on ${String(options.bindHost)}: the callback listener binds only 127.0.0.1 or ::1`)
  }
  if (options.redirectHost === undefined) {
    const bindHost = options.bindHost ?? '127.0.0.1'
    return {bindHost, redirectHost: bindHost === '::1' ? '[::1]' : bindHost}
  }
  const name = options.redirectHost.toLowerCase()
  if (!loopbackRedirectHosts.has(name)) {
    throw new ConfigError(`redirect host "${options.redirectHost}" is not a loopback name`, {
      hint: "Use 127.0.0.1, [::1] or localhost (RFC 8252 \u00a77.3).",
    })
  }
  const implied = loopbackRedirectHosts.get(name)
  const bindHost = options.bindHost ?? implied ?? '127.0.0.1'
  if (implied !== undefined && implied !== bindHost) {
    throw new ConfigError(`redirect host ${options.redirectHost} does not match the bound interface ${bindHost}`)
  }
  return {bindHost, redirectHost: name === '::1' ? '[::1]' : name}
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      const where = host === '::1' ? `[::1]` : host
      if (error.code === 'EADDRINUSE') {
        reject(new ConfigError(
          `port ${port} on ${host} is already in use (another oauthctl login?). Close it or pass --port with a free port.`,
          {hint: 'Leave --port out to use a free ephemeral port, unless the provider only accepts this exact redirect URI.', cause: error},
          'port_in_use',
        ))
      } else if (error.code === 'EACCES') {
        reject(new ConfigError(`not allowed to listen on ${where}:${port} (${error.code}).`, {
          hint: 'Ports below 1024 need privileges: pass --port with a higher port, or leave it out.',
          cause: error,
        }))
      } else {
        reject(new ConfigError(`cannot listen on ${where}:${port}: ${error.message}`, {
          hint: host === '::1' ? 'IPv6 may be disabled on this machine; use 127.0.0.1 instead.' : undefined,
          cause: error,
        }))
      }
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({host, port, exclusive: true, ipv6Only: host === '::1'})
  })
}

