import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import {connect, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer as createTlsServer} from 'node:https'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'
import {nodeFetch, proxyFor} from '../../src/http/node-fetch.js'

describe('proxyFor: HTTPS_PROXY / HTTP_PROXY / NO_PROXY', () => {
  const env = {HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'proxy.corp:8080', NO_PROXY: 'internal.corp,.svc.example,*.dev.example,api.other:8443'}
  const cases: [string, string | undefined][] = [
    ['https://api.github.com/user', 'http://proxy.corp:3128/'],
    ['http://api.example/x', 'http://proxy.corp:8080/'],
    ['http://127.0.0.1:9000/token', undefined],
    ['http://localhost:8085/callback', undefined],
    ['http://[::1]:9000/', undefined],
    ['https://internal.corp/x', undefined],
    ['https://a.internal.corp/x', undefined],
    ['https://db.svc.example/x', undefined],
    ['https://x.dev.example/x', undefined],
    ['https://api.other:8443/x', undefined],
    ['https://api.other/x', 'http://proxy.corp:3128/'],
    ['https://notinternal.corp/x', 'http://proxy.corp:3128/'],
  ]
  for (const [url, expected] of cases) {
    it(`${url} -> ${expected ?? 'direct'}`, () => assert.equal(proxyFor(new URL(url), env)?.href, expected))
  }
  it('lower-case variables win, NO_PROXY=* disables, and no variable means direct', () => {
    assert.equal(proxyFor(new URL('https://a.example'), {https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2'})?.host, 'lower:1')
    assert.equal(proxyFor(new URL('https://a.example'), {HTTPS_PROXY: 'http://p:1', NO_PROXY: '*'}), undefined)
    assert.equal(proxyFor(new URL('https://a.example'), {}), undefined)
  })
})

describe('nodeFetch through a proxy', () => {
  let proxy: Server
  let tlsServer: Server
  let dir: string
  const seen: {method?: string; url?: string; headers: IncomingMessage['headers']}[] = []
  const tunnels: string[] = []
  let tlsPort = 0

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-proxy-'))
    // A throw-away certificate for api.example.test, trusted only by the child process below.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', '/CN=api.example.test', '-addext', 'subjectAltName=DNS:api.example.test',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {stdio: 'ignore'})
    tlsServer = createTlsServer({key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))}, (req, res) => {
      res.end(`tls ${req.headers.host} ${req.headers.authorization ? 'with token' : 'no token'}`)
    })
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve))
    tlsPort = (tlsServer.address() as {port: number}).port
    proxy = createServer((req, res) => {
      seen.push({method: req.method, url: req.url, headers: req.headers})
      if (req.headers['proxy-authorization'] === undefined && req.url?.includes('needs-auth')) return res.writeHead(407).end()
      res.end(`proxied ${req.url}`)
    })
    proxy.on('connect', (req: IncomingMessage, client: Socket) => {
      // The child may close its end first; data still in flight from the TLS server (close_notify) must
      // not crash this test process ("This socket has been ended by the other party").
      client.on('error', () => {})
      tunnels.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`)
      if (!req.url?.startsWith('api.example.test:')) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  })
  after(() => {
    proxy.close()
    tlsServer.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const proxyUrl = () => `http://user:p%40ss@127.0.0.1:${(proxy.address() as {port: number}).port}`

  it('plain http goes to the proxy in absolute form, with Proxy-Authorization from the proxy URL', async () => {
    const saved = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = proxyUrl()
    try {
      const response = await nodeFetch('http://api.example.test/v1/thing?x=1')
      assert.equal(await response.text(), 'proxied http://api.example.test/v1/thing?x=1')
      const request = seen.at(-1)!
      assert.equal(request.headers.host, 'api.example.test')
      assert.equal(request.headers['proxy-authorization'], `Basic ${Buffer.from('user:p@ss').toString('base64')}`)
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
    }
  })

  /** One fetch in a child process (the proxy and TLS server live in this one, so it must not block). */
  const fetchOnce = (url: string) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/fetch-once.ts', import.meta.url)), url], {
        env: {...process.env, HTTPS_PROXY: proxyUrl(), NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem')},
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let stdout = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.on('error', reject)
      child.on('close', () => resolve(stdout))
    })

  it('https goes through a CONNECT tunnel: TLS end to end, the proxy sees only host:port', async () => {
    assert.equal(await fetchOnce('https://api.example.test/user'), '200 tls api.example.test with token')
    assert.match(tunnels.at(-1)!, /^api\.example\.test:443 Basic /)
    assert.ok(!seen.some((request) => JSON.stringify(request).includes('tunnel-test-token')), 'the proxy never saw the token')
  })

  it('a proxy that refuses the tunnel is a network error naming the proxy', async () => {
    assert.match(await fetchOnce('https://elsewhere.test/'), /^error EPROXY/)
  })
})
