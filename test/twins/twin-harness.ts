import {join} from 'node:path'
import {after, before} from 'node:test'
import {makeUserEnv, root, runCli, type RunResult} from '../e2e/harness.js'
import {createTestCa, type TestCa} from './tls-ca.js'
import {startTwinProxy, type TwinProxy} from './twin-proxy.js'
import type {Twin} from './twin-kit.js'

export const twinBrowser = `"${process.execPath}" "${join(root, 'test', 'twins', 'fixtures', 'twin-browser.mjs')}"`

export interface TwinSuite<T extends Twin> {
  twin: T
  proxy: TwinProxy
  configDir: string
  env: NodeJS.ProcessEnv
  /** Runs the built CLI with this suite's environment (proxy, test CA, twin browser, private config). */
  run(args: string[], input?: string, extraEnv?: NodeJS.ProcessEnv): Promise<RunResult>
  /** A request to the twin through the proxy (not the CLI): to show what the twin does with what oauthctl never sends. */
  twinFetch(url: string, headers?: Record<string, string>, init?: {method?: string; body?: string}): Promise<{status: number; headers: Record<string, string>; body: string}>
}

/**
 * For a describe block: a test CA, one twin, the TLS-terminating proxy in front of it, and a private user
 * environment whose HTTPS_PROXY / HTTP_PROXY point at that proxy (NO_PROXY cleared), so every request the
 * CLI makes to a non-loopback host ends at the twin or is refused and recorded.
 */
export function twinSuite<T extends Twin>(makeTwin: () => T): TwinSuite<T> {
  const suite = {} as TwinSuite<T> & {ca: TestCa; cleanup(): void}
  before(async () => {
    suite.ca = createTestCa()
    suite.twin = makeTwin()
    suite.proxy = await startTwinProxy([suite.twin], suite.ca)
    const proxyEnv = {
      HTTPS_PROXY: suite.proxy.url,
      https_proxy: suite.proxy.url,
      HTTP_PROXY: suite.proxy.url,
      http_proxy: suite.proxy.url,
      ALL_PROXY: '',
      all_proxy: '',
      NO_PROXY: '',
      no_proxy: '',
    }
    const user = makeUserEnv('http://127.0.0.1:9', {...proxyEnv, NODE_EXTRA_CA_CERTS: suite.ca.caFile, OAUTHCTL_BROWSER: twinBrowser})
    suite.env = user.env
    suite.configDir = user.configDir
    suite.cleanup = user.cleanup
    suite.run = (args, input, extraEnv = {}) => runCli(args, {...suite.env, ...extraEnv}, input, 30_000)
    suite.twinFetch = async (url, headers = {}, init = {}) => {
      const twinRequest = await import('./twin-fetch.js')
      return twinRequest.fetchThroughProxy(suite.proxy.url, suite.ca.caFile, url, headers, init)
    }
  })
  after(async () => {
    await suite.proxy?.close()
    suite.ca?.cleanup()
    suite.cleanup?.()
  })
  return suite
}

/** The requests a twin received at `path` (on any of its hosts). */
export function requestsTo(twin: Twin, path: string): Twin['log'] {
  return twin.log.filter((request) => request.url.pathname === path)
}
