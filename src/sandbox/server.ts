/// <reference path="./oidc-provider.d.ts" />
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {ConfigError} from '../errors.js'
import {createClientAuthClients, JWT_CLIENT_ID} from './client-auth-clients.js'
import {createDemoApi} from './demo-api.js'
import {registerTokenExchange} from './token-exchange.js'
import {registerJwtBearer} from './jwt-bearer.js'
import {readBody, sendHtml, sendJson} from './http-util.js'
import {handleInteraction} from './interactions.js'
import {approveDeviceCode} from './device-approval.js'
import {renderErrorPage} from './pages.js'
import {buildProviderConfiguration} from './provider-config.js'
import {isUnsupportedRuntimeWarning, withQuietConsole} from './quiet-console.js'
import {createSandboxSecrets} from './secrets.js'
import {createUmaSandbox} from './uma.js'
import {createOAuth1Sandbox} from './oauth1.js'
import {recordStats, type SandboxStats} from './stats.js'
import type {MtlsSandbox} from './mtls.js'

export type {SandboxStats} from './stats.js'

export interface SandboxOptions {
  /** Loopback address to bind: `127.0.0.1` (default), `::1` or `localhost`; nothing else is allowed. */
  host?: string
  /** TCP port; 0 picks a free one (read it back from {@link Sandbox.port}). */
  port: number
  /** Issuer identifier; default `http://${host}:${port}` with the actual port. */
  issuer?: string
  /** Access-token lifetime in seconds (also for client-credentials tokens). Default 3600. */
  accessTokenTtl?: number
  /**
   * Skip the login and consent pages: every authorization request is approved for user `demo`
   * with all requested scopes, for headless demos and tests. A client following redirects completes
   * the flow without keeping cookies.
   */
  autoApprove?: boolean
  /** Require pushed authorization requests (RFC 9126) of every client: `oauthctl sandbox --require-par`. */
  requirePar?: boolean
  /** Writes the private_key_jwt client's private key (0600) into this directory (client-auth-clients.ts). */
  clientKeysDir?: string
  /**
   * `oauthctl sandbox --mtls`: also listen over HTTPS (a new local CA, server and client certificates) for
   * mTLS client authentication and certificate-bound tokens (RFC 8705), advertised as `mtls_endpoint_aliases`.
   */
  mtls?: boolean
  /** Port of the mTLS listener (default: a free one). */
  mtlsPort?: number
  /** Also write the CA certificate and the client certificates and keys (0600) here (`--mtls-dir`). */
  mtlsDir?: string
  /** Receives human-readable log lines (the `sandbox` command writes them to stderr). Default: none. */
  log?: (line: string) => void
}

export interface Sandbox {
  readonly issuer: string
  readonly port: number
  /** With `mtls`: the HTTPS origin and the certificate files (mtls.ts). */
  readonly mtls?: Pick<MtlsSandbox, 'origin' | 'certificates'>
  stats(): SandboxStats
  /** Stops listening and closes every open connection. */
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * Starts the embedded authorization server (oidc-provider 9) with the demo API on one loopback port.
 *
 * Routes, on one `node:http` server:
 * - `/api/*`: the protected demo API (demo-api.ts); `/api/uma/*` UMA-protected resources (uma.ts)
 * - `/.well-known/uma2-configuration`: UMA 2.0 discovery (the ticket grant is at the token endpoint)
 * - `/oauth1/*`: an OAuth 1.0a (RFC 5849) endpoint set and signed demo API (oauth1.ts)
 * - `/interaction/*`: the sign-in and consent pages (interactions.ts)
 * - `/sandbox/stats` (GET, JSON) and `/sandbox/device/approve` (POST, approves a device code)
 * - everything else: oidc-provider, including `/.well-known/openid-configuration` and
 *   `/.well-known/oauth-authorization-server` (RFC 8414), which oidc-provider 9 serves itself.
 *
 * Nothing is ever written to stdout: oidc-provider's notices go to `options.log`.
 *
 * @throws ConfigError for a non-loopback host or a bad option; the listen error (e.g. `EADDRINUSE`)
 *   as is.
 * @see RFC 8252 §7.3 (loopback redirect, any port), RFC 8414, RFC 7009, RFC 7662, RFC 7591, RFC 8628
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? (() => {})
  const accessTokenTtl = options.accessTokenTtl ?? 3600
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError(`the sandbox binds only to a loopback address, not ${host}`, {
      hint: 'Use host 127.0.0.1 (the default), ::1 or localhost.',
    })
  }
  if (!Number.isSafeInteger(accessTokenTtl) || accessTokenTtl < 1) {
    throw new ConfigError(`access token lifetime must be a whole number of seconds >= 1, not ${accessTokenTtl}`)
  }

  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined
  const server = createServer((req, res) => {
    // Requests arrive only after listen() resolved and the handler exists; guard anyway.
    if (!handler) {
      sendJson(res, 503, {error: 'starting'})
      return
    }
    handler(req, res).catch((error: unknown) => {
      log(`sandbox error on ${req.method ?? '?'} ${req.url ?? ''}: ${(error as Error).stack ?? String(error)}`)
      if (!res.headersSent) sendJson(res, 500, {error: 'server_error'})
      else res.destroy()
    })
  })
  const port = await listen(server, host, options.port)
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const issuer = options.issuer ?? origin
  let mtls: MtlsSandbox | undefined

  try {
    if (options.mtls) {
      const {startMtlsListener} = await import('./mtls.js')
      mtls = await startMtlsListener(host, (req, res) => server.emit('request', req, res), {port: options.mtlsPort, filesDir: options.mtlsDir})
    }
    const secrets = createSandboxSecrets()
    const authClients = createClientAuthClients()
    if (options.clientKeysDir) log(`private_key_jwt client ${JWT_CLIENT_ID}: key written to ${await authClients.writePrivateKey(options.clientKeysDir)}`)
    const provider = await withQuietConsole(
      async () => {
        const {default: Provider, errors} = await import('oidc-provider')
        return new Provider(issuer, buildProviderConfiguration({
          accessTokenTtl,
          secrets,
          InvalidTarget: errors.InvalidTarget,
          InvalidAuthorizationDetails: errors.InvalidAuthorizationDetails,
          requirePar: options.requirePar,
          extraClients: [...authClients.clients, ...(mtls?.clients ?? [])],
          mtls,
        }))
      },
      log,
      isUnsupportedRuntimeWarning,
    )
    // Koa prints unhandled middleware errors with console.error unless someone listens.
    provider.on('error', (error: Error) => log(`oidc-provider error: ${error.stack ?? error.message}`))
    const stats = recordStats(provider, log)
    const uma = createUmaSandbox({issuer, rptTtl: accessTokenTtl, log})
    uma.registerGrant(provider)
    registerTokenExchange(provider, {ttl: accessTokenTtl, log})
    registerJwtBearer(provider, {issuer, trusted: authClients.assertionIssuers, ttl: accessTokenTtl, log})
    const snapshot = (): SandboxStats => ({...stats.snapshot(), ...(mtls ? {mtlsRequests: mtls.requests()} : {})})
    const dispatch = provider.callback()
    const api = createDemoApi({provider, origin, log})
    const oauth1 = createOAuth1Sandbox({autoApprove: options.autoApprove ?? false, log})
    const interactionDeps = {provider, autoApprove: options.autoApprove ?? false, cookieKeys: secrets.cookieKeys, dispatch, log}

    handler = async (req, res) => {
      const url = new URL(req.url ?? '/', origin)
      const path = url.pathname
      if (path === '/.well-known/uma2-configuration') return uma.configuration(res)
      if (path.startsWith('/api/uma/')) return uma.resource(req, res, url)
      if (path === '/api' || path.startsWith('/api/')) return api(req, res, url)
      if (path.startsWith('/oauth1/')) return oauth1.handle(req, res, url)
      if (path.startsWith('/interaction/')) return handleInteraction(req, res, url, interactionDeps)
      if (path === '/sandbox/stats') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, {error: 'method_not_allowed'}, {allow: 'GET'})
        return sendJson(res, 200, snapshot())
      }
      if (path === '/sandbox/device/approve') {
        if (req.method !== 'POST') return sendJson(res, 405, {error: 'method_not_allowed'}, {allow: 'POST'})
        const result = await approveDeviceCode(provider, parseParams(req.headers['content-type'], await readBody(req, 64 * 1024)))
        if (result.ok) log(`device code ${result.userCode} ${result.decision} for "${result.accountId}"`)
        return sendJson(res, result.ok ? 200 : result.status, result.ok ? {ok: true, decision: result.decision} : result.body)
      }
      if (path.startsWith('/sandbox/')) return sendHtml(res, 404, renderErrorPage('Not found', 'There is no such page on the sandbox.'))
      return dispatch(req, res)
    }
    log(`oidc-provider ready at ${issuer}${options.autoApprove ? ' (auto-approve)' : ''}`)

    return {
      issuer,
      port,
      ...(mtls ? {mtls: {origin: mtls.origin, certificates: mtls.certificates}} : {}),
      stats: snapshot,
      close: () => Promise.all([closeServer(server), mtls?.close()]).then(() => undefined),
    }
  } catch (error) {
    await mtls?.close()
    await closeServer(server)
    throw error
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve()
      return
    }
    // close() alone waits for keep-alive connections (fetch keeps them open) to time out.
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** Form or JSON body parameters as strings. */
function parseParams(contentType: string | undefined, body: string): Record<string, string> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body)
      if (parsed && typeof parsed === 'object') {
        return Object.fromEntries(
          Object.entries(parsed as Record<string, unknown>)
            .filter(([, value]) => typeof value === 'string')
            .map(([key, value]) => [key, value as string]),
        )
      }
    } catch {
      // fall through: treated as no parameters
    }
    return {}
  }
  return Object.fromEntries(new URLSearchParams(body))
}
