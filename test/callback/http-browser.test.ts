import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {createServer} from 'node:http'
import type {IncomingMessage, Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {startCallbackServer} from '../../src/callback/callback-server.js'
import {CookieJar, followAuthorizationRedirects, summarizePage} from '../../src/callback/http-browser.js'

/**
 * A fake authorization server: /authorize sets interaction cookies and redirects to /interaction/1, which
 * insists on them and redirects (relative Location) to /done or to `?next=`.
 */
function startFakeProvider(): Promise<{server: Server; base: URL; seen: Array<{path: string; cookie?: string}>}> {
  const seen: Array<{path: string; cookie?: string}> = []
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    seen.push({path: url.pathname, cookie: req.headers.cookie})
    if (url.pathname === '/authorize') {
      res.setHeader('Set-Cookie', [
        '_interaction=abc; Path=/interaction; HttpOnly; SameSite=Lax',
        '_session=s1; Path=/; HttpOnly',
        'gone=1; Path=/; Max-Age=0',
        'elsewhere=1; Path=/other',
      ])
      res.writeHead(302, {Location: `/interaction/1${url.search}`}).end('redirecting')
    } else if (url.pathname === '/interaction/1') {
      if (!req.headers.cookie?.includes('_interaction=abc')) return void res.writeHead(400).end('no interaction cookie')
      const next = url.searchParams.get('next')
      res.writeHead(303, {Location: next ?? '../done'}).end()
    } else if (url.pathname === '/done') {
      res.writeHead(200, {'Content-Type': 'text/html'}).end('<html><title>t</title><h1>All &amp; done</h1></html>')
    } else if (url.pathname === '/loop') {
      res.writeHead(307, {Location: '/loop'}).end()
    } else {
      res.writeHead(404).end('<h1>Not here</h1>')
    }
  })
  return new Promise((resolve) =>
    server.listen({host: '127.0.0.1', port: 0}, () => {
      const {port} = server.address() as AddressInfo
      resolve({server, base: new URL(`http://127.0.0.1:${port}/`), seen})
    }),
  )
}

const script = fileURLToPath(new URL('../../src/callback/http-browser.ts', import.meta.url))

function runScript(url: string): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, url], (error, stdout, stderr) => {
      resolve({code: error ? Number(error.code) : 0, stdout, stderr})
    })
  })
}

describe('followAuthorizationRedirects', () => {
  let provider: Awaited<ReturnType<typeof startFakeProvider>>
  before(async () => {
    provider = await startFakeProvider()
  })
  after(async () => {
    await new Promise((resolve) => provider.server.close(resolve))
  })

  it('follows redirects and sends the cookies back, by path', async () => {
    provider.seen.length = 0
    const page = await followAuthorizationRedirects(new URL('/authorize?client_id=c', provider.base))
    assert.equal(page.status, 200)
    assert.equal(page.url.href, new URL('/done', provider.base).href)
    assert.match(page.body, /All &amp; done/)
    assert.deepEqual(provider.seen, [
      {path: '/authorize', cookie: undefined},
      {path: '/interaction/1', cookie: '_interaction=abc; _session=s1'},
      {path: '/done', cookie: '_session=s1'},
    ])
  })

  it('returns an error page as the final page', async () => {
    const page = await followAuthorizationRedirects(new URL('/nope', provider.base))
    assert.equal(page.status, 404)
  })

  it('stops after maxRedirects', async () => {
    await assert.rejects(followAuthorizationRedirects(new URL('/loop', provider.base), {maxRedirects: 3}), /more than 3 redirects/)
  })

  it('refuses to follow a redirect to a non-HTTP scheme', async () => {
    const url = new URL('/authorize', provider.base)
    url.searchParams.set('next', 'com.example.app:/cb?code=x')
    await assert.rejects(followAuthorizationRedirects(url), /com\.example\.app: URL/)
  })

  it('completes a login against the real callback server', async () => {
    // Given a callback server waiting, and a provider that redirects to it with a code
    const callback = await startCallbackServer({expectedState: 'st', timeoutMs: 5000})
    const authorize = new URL('/authorize', provider.base)
    const target = new URL(callback.redirectUri)
    target.search = 'code=the-code&state=st'
    authorize.searchParams.set('next', target.href)

    // When the stand-in browser follows it
    const following = followAuthorizationRedirects(authorize)
    const result = await callback.waitForCallback()
    await callback.finish({ok: true, title: 'Logged in'})
    const page = await following

    // Then the callback got the code, and the browser the success page
    assert.equal(result.params.get('code'), 'the-code')
    assert.equal(page.status, 200)
    assert.equal(summarizePage(page), `http-browser: 200 ${callback.redirectUri.href}: Logged in`)
  })

  it('runs as a script: a summary on stderr without the query, exit 0 below 400', async () => {
    const ok = await runScript(new URL('/authorize?state=secret-state', provider.base).href)
    assert.deepEqual(ok, {code: 0, stdout: '', stderr: `http-browser: 200 ${new URL('/done', provider.base).href}: All & done\n`})

    const notFound = await runScript(new URL('/nope?code=secret-code', provider.base).href)
    assert.deepEqual(notFound, {code: 1, stdout: '', stderr: `http-browser: 404 ${new URL('/nope', provider.base).href}: Not here\n`})
  })

  it('runs as a script: a network failure exits 1 with the reason', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen({host: '127.0.0.1', port: 0}, resolve))
    const {port} = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const run = await runScript(`http://127.0.0.1:${port}/authorize?state=secret`)
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^http-browser: fetch failed \(ECONNREFUSED\)\n$/)
  })
})

describe('CookieJar', () => {
  it('keeps cookies per origin and honours expiry', () => {
    const jar = new CookieJar()
    const t = Date.UTC(2020, 0, 1)
    const a = new URL('http://127.0.0.1:1000/login/start')
    jar.store(a, ['sid=1', 'pref=x; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT', 'short=1; Path=/; Max-Age=60'], t)
    // Default path is the request's directory (RFC 6265 §5.1.4).
    assert.equal(jar.header(new URL('http://127.0.0.1:1000/login/next'), t), 'sid=1; short=1')
    assert.equal(jar.header(new URL('http://127.0.0.1:1000/loginx'), t), 'short=1')
    assert.equal(jar.header(new URL('http://127.0.0.1:2000/login/next'), t), undefined)
    assert.equal(jar.header(new URL('http://127.0.0.1:1000/login/next'), t + 61_000), 'sid=1')
    jar.store(a, ['sid=; Max-Age=0'], t)
    assert.equal(jar.header(new URL('http://127.0.0.1:1000/login/next'), t), 'short=1')
  })
})
