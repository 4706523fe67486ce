import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import type {Browser} from '../../src/callback/browser.js'
import {startCallbackServer} from '../../src/callback/callback-server.js'
import {followAuthorizationRedirects} from '../../src/callback/http-browser.js'
import {createContext, type Context} from '../../src/context.js'
import {createIO} from '../../src/io.js'
import type {ProviderPreset} from '../../src/providers/preset.js'
import {MemoryTokenStore} from '../../src/store/memory-store.js'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export interface FakeServer {
  origin: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

/** A tiny HTTP server on 127.0.0.1:0 that records every request and answers with `handler`. */
export async function startFake(
  handler: (request: RecordedRequest, res: ServerResponse, origin: string) => void | Promise<void>,
): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  let origin = ''
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const recorded = {method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body}
      requests.push(recorded)
      Promise.resolve(handler(recorded, res, origin)).catch((error: Error) => {
        res.statusCode = 500
        res.end(error.message)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'content-type': 'application/json', ...headers})
  res.end(JSON.stringify(body))
}

/** The preset with every endpoint moved to `origin` (same paths): the quirks still apply. */
export function presetAt(preset: ProviderPreset, origin: string): ProviderPreset {
  const move = (url?: string) => (url ? `${origin}${new URL(url).pathname}` : undefined)
  return {
    ...preset,
    issuer: preset.issuer ? origin : undefined,
    authorizationEndpoint: move(preset.authorizationEndpoint) as string,
    tokenEndpoint: move(preset.tokenEndpoint) as string,
    revocationEndpoint: move(preset.revocationEndpoint),
    userinfoEndpoint: move(preset.userinfoEndpoint),
    introspectionEndpoint: undefined,
    deviceAuthorizationEndpoint: move(preset.deviceAuthorizationEndpoint),
    registrationEndpoint: undefined,
    jwksUri: undefined,
    apiBase: move(preset.apiBase) as string,
    apiOrigins: [origin],
  }
}

/**
 * A browser stand-in that approves at once: it sends the loopback redirect a `code` and the `state` of the
 * authorization URL it was given, as the provider would. The callback server answers only after the code
 * exchange, so the request is not awaited.
 */
export function approvingBrowser(code = 'the-code'): Browser & {opened: URL[]} {
  const opened: URL[] = []
  return {
    opened,
    async open(url: URL) {
      opened.push(url)
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
      redirect.searchParams.set('code', code)
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
      // The redirect URI may say localhost; the listener is on 127.0.0.1.
      if (redirect.hostname === 'localhost') redirect.hostname = '127.0.0.1'
      void fetch(redirect).then((response) => response.text()).catch(() => {})
    },
  }
}

export interface TestContext {
  ctx: Context
  store: MemoryTokenStore
  browser: ReturnType<typeof approvingBrowser>
  stdout: () => string
  stderr: () => string
  configDir: string
  storeOpened: () => number
  cleanup(): void
}

/** A Context with a private config dir, an in-memory store, captured streams and an approving browser. */
export function makeTestContext(env: NodeJS.ProcessEnv = {}, overrides: {fetch?: typeof fetch; browser?: Browser} = {}): TestContext {
  const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-providers-'))
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (chunk) => (stdout += chunk))
  err.on('data', (chunk) => (stderr += chunk))
  const io = createIO(out, err, new PassThrough(), {stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false})
  const store = new MemoryTokenStore()
  const browser = approvingBrowser()
  const {browser: realBrowser, ...rest} = overrides
  let opened = 0
  const ctx = createContext({
    env: {OAUTHCTL_CONFIG_DIR: configDir, ...env},
    configDir,
    io,
    openStore: async () => {
      opened++
      return store
    },
    openStoreOfKind: async () => store,
    browser: async () => realBrowser ?? browser,
    startCallbackServer,
    ...rest,
  })
  return {
    ctx,
    store,
    browser,
    stdout: () => stdout,
    stderr: () => stderr,
    configDir,
    storeOpened: () => opened,
    cleanup: () => rmSync(configDir, {recursive: true, force: true}),
  }
}

/** A browser that really walks the sandbox's redirects (auto-approve) to the loopback callback. */
export function sandboxBrowser(): Browser & {opened: URL[]} {
  const opened: URL[] = []
  return {
    opened,
    async open(url: URL) {
      opened.push(url)
      void followAuthorizationRedirects(url).catch(() => {})
    },
  }
}

/**
 * An ID token as a real OpenID provider would send it from the token endpoint, with a dummy signature:
 * openid-client does not verify the signature of an ID token received directly over TLS from the token
 * endpoint (OIDC Core §3.1.3.7 step 6), only its header algorithm and claims.
 */
export function fakeIdToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000)
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({alg: 'RS256', typ: 'JWT'})}.${part({iat: now, exp: now + 300, ...claims})}.c2lnbmF0dXJl`
}
