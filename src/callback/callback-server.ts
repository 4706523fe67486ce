/**
 * The one-shot loopback listener that receives the authorization response of the native-app flow.
 *
 * @see RFC 8252 §7.3 (loopback interface redirection) and §8.3 (loopback redirect considerations)
 * @see RFC 9207 (authorization server issuer identification)
 */
import {createServer} from 'node:http'
import type {IncomingMessage, ServerResponse} from 'node:http'

import {AuthorizationError, ConfigError, InterruptedError} from '../errors.js'
import {timerDelay} from '../util/timers.js'
import {classifyRequest, foreignPage, judgeCallback, type CallbackNames} from './callback-judge.js'
import {paramsForJudging} from './jwt-response.js'
import {listenAll, planListen, type BindHost} from './loopback-listen.js'
import {sendPage} from './pages.js'

export interface CallbackServerOptions {
  /** Interface to bind: '127.0.0.1' (default, or '::1' when `redirectHost` is '[::1]'). Never 0.0.0.0. */
  bindHost?: BindHost
  /**
   * Host name written into the redirect URI: '127.0.0.1', '[::1]' or 'localhost' (some providers insist on
   * localhost; then every loopback address localhost resolves to is bound, 127.0.0.1 and ::1 at least,
   * so no other local program can take the redirect). Defaults to the literal of `bindHost`.
   */
  redirectHost?: string
  /** 0 or undefined: an ephemeral port chosen by the OS (RFC 8252 §7.3). */
  port?: number
  /** Default '/callback'. */
  path?: string
  /**
   * The `state` this login sent; a function when it is only known after the listener is bound (OAuth 1.0a:
   * the request token is issued for the callback URL). Until it returns a non-empty value every response is
   * foreign.
   */
  expectedState: string | (() => string)
  /**
   * When the provider advertises RFC 9207 (`authorization_response_iss_parameter_supported`), the issuer
   * the `iss` parameter must equal. A callback without `iss` is then refused too (RFC 9207 §2.4).
   */
  expectedIssuer?: string
  /** Which parameters carry the state and the grant: OAuth 2.0's (default) or OAuth 1.0a's (`OAUTH1_CALLBACK`). */
  names?: CallbackNames
  /** How messages name the provider ("you denied access at X"). */
  providerName?: string
  /** How long `waitForCallback` waits, counted from its call (at most 2^31 - 1 ms, about 24.8 days). */
  timeoutMs: number
  /**
   * Told once (the first time) that a response without this login's `state` was answered with an error
   * page and ignored; sanitised, no text from the request but an RFC 6749 error code.
   */
  warn?(line: string): void
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
   * whether the code exchange worked. A response without this login's `state` is answered (400) and
   * ignored. Rejects with AuthorizationError (issuer mismatch, provider error carrying this state, timeout)
   * or InterruptedError (`signal` aborted); the listener is closed before it rejects.
   * Calling it again returns the same promise.
   */
  waitForCallback(signal?: AbortSignal): Promise<CallbackResult>
  /** Answer the browser's held request with a success or failure page, then close the listener. */
  finish(outcome: FinishOutcome): Promise<void>
  /** Close the listener and every connection; a held browser request gets a neutral page. Idempotent. */
  close(): Promise<void>
}

/**
 * Start listening on the loopback interface (every loopback address of `localhost` for a localhost
 * redirect). Resolves once the port is bound, so `redirectUri` carries the real port (which the
 * authorization request must use).
 *
 * @throws ConfigError (exit 3) when the port is taken on any of the addresses, or one cannot be bound.
 * @see RFC 8252 §7.3, §8.3
 */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const plan = await planListen(options)
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

  let settled = false
  let warned = false
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

  // Until every address is bound no Host is allowed, so a request to the first one is only a stray.
  const allowedHosts = new Set<string>()
  const {servers, port} = await listenAll(plan, requestedPort, () => createServer(onRequest))
  const redirectUri = new URL(`http://${plan.redirectHost}:${port}${path}`)
  for (const host of ['127.0.0.1', '[::1]', 'localhost']) allowedHosts.add(`${host}:${port}`)

  const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.once('close', () => resolve()))))

  function stopListening(): void {
    for (const server of servers) {
      if (server.listening) server.close()
      server.closeIdleConnections()
    }
  }

  /** `graceMs`: how long a page just sent may take to drain before its socket is cut. */
  function shutdown(graceMs: number): Promise<void> {
    closing ??= (async () => {
      stopListening()
      // Every page carries `Connection: close`, so answered sockets end by themselves; this catches a
      // browser (or anything else) that keeps one open anyway, so the port is free soon after.
      const force = setTimeout(() => {
        for (const server of servers) server.closeAllConnections()
      }, graceMs)
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

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => {})
    const route = classifyRequest(req, path, allowedHosts, options.names)
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
    const expectedState = typeof options.expectedState === 'function' ? options.expectedState() : options.expectedState
    const verdict = judgeCallback(paramsForJudging(params), expectedState, options.expectedIssuer, options.names, options.providerName)
    if (verdict.kind === 'foreign') {
      // Any web page can send the browser here: answer, say so once, and keep waiting for this login's.
      sendPage(res, 400, foreignPage)
      if (!warned) {
        warned = true
        const named = verdict.error ? ` (error=${verdict.error})` : ''
        options.warn?.(
          `ignored a request to ${redirectUri.href} that does not carry this login's state${named}: ` +
            'another browser tab or web page? Still waiting for the redirect of this login.',
        )
      }
      return
    }
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
  }

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
      }, timerDelay(options.timeoutMs))
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

function formatSeconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1)))
}
