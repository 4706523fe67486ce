import assert from 'node:assert/strict'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import {after, before, describe, it} from 'node:test'
import {nodeFetch} from '../../src/http/node-fetch.js'

interface Seen {
  method?: string
  url?: string
  headers: IncomingMessage['headers']
  body: string
}

async function listen(handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void): Promise<{server: Server; origin: string; seen: Seen[]}> {
  const seen: Seen[] = []
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    seen.push({method: req.method, url: req.url, headers: req.headers, body})
    handler(req, body, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {server, origin: `http://127.0.0.1:${(server.address() as {port: number}).port}`, seen}
}

describe('nodeFetch: the node:http fetch oauthctl uses for its own requests', () => {
  let api: Awaited<ReturnType<typeof listen>>
  let other: Awaited<ReturnType<typeof listen>>

  before(async () => {
    other = await listen((_req, _body, res) => res.end('elsewhere'))
    api = await listen((req, body, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/json') {
        res.setHeader('set-cookie', ['a=1', 'b=2'])
        res.writeHead(201, 'Made', {'content-type': 'application/json'}).end(JSON.stringify({body}))
      } else if (url.pathname === '/empty') res.writeHead(204).end()
      else if (url.pathname === '/away') res.writeHead(302, {location: `${other.origin}/landing`}).end()
      else if (url.pathname === '/see-other') res.writeHead(303, {location: '/json'}).end()
      else if (url.pathname === '/slow') setTimeout(() => res.end('late'), 2000)
      else res.writeHead(404).end('nope')
    })
  })
  after(() => {
    api.server.closeAllConnections()
    api.server.close()
    other.server.close()
  })

  it('sends method, headers and a string body; returns status, reason, headers (repeated ones kept) and body', async () => {
    const response = await nodeFetch(`${api.origin}/json`, {method: 'POST', headers: {'x-test': 'yes', 'content-type': 'application/json'}, body: '{"a":1}'})
    assert.equal(response.status, 201)
    assert.equal(response.statusText, 'Made')
    assert.equal(response.headers.get('content-type'), 'application/json')
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2'])
    assert.equal(response.url, `${api.origin}/json`)
    assert.deepEqual(await response.json(), {body: '{"a":1}'})
    const seen = api.seen.at(-1)!
    assert.equal(seen.method, 'POST')
    assert.equal(seen.headers['x-test'], 'yes')
    assert.equal(seen.headers['content-length'], '7')
    assert.equal(seen.headers['accept-encoding'], undefined, 'no compression is asked for: bodies stay byte for byte')
    assert.match(String(seen.headers['user-agent']), /^oauthctl\//, 'GitHub and others refuse requests without a User-Agent')
  })

  it('form-encodes URLSearchParams like fetch does', async () => {
    await nodeFetch(`${api.origin}/json`, {method: 'POST', body: new URLSearchParams({grant_type: 'refresh_token', x: 'a b'})})
    const seen = api.seen.at(-1)!
    assert.equal(seen.body, 'grant_type=refresh_token&x=a+b')
    assert.match(String(seen.headers['content-type']), /^application\/x-www-form-urlencoded/)
  })

  it('has no body for HEAD and 204', async () => {
    assert.equal((await nodeFetch(`${api.origin}/empty`)).body, null)
    const head = await nodeFetch(`${api.origin}/json`, {method: 'HEAD'})
    assert.equal(head.status, 201)
    assert.equal(head.body, null)
  })

  it("redirect: 'manual' returns the redirect itself", async () => {
    const response = await nodeFetch(`${api.origin}/away`, {redirect: 'manual', headers: {authorization: 'Bearer secret'}})
    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), `${other.origin}/landing`)
    assert.equal(other.seen.length, 0)
  })

  it('following a redirect to another origin drops the Authorization header; 303 becomes a GET', async () => {
    const response = await nodeFetch(`${api.origin}/away`, {headers: {authorization: 'Bearer secret'}})
    assert.equal(await response.text(), 'elsewhere')
    assert.equal(other.seen.at(-1)!.headers.authorization, undefined)
    const seeOther = await nodeFetch(`${api.origin}/see-other`, {method: 'POST', body: 'x'})
    assert.equal(seeOther.status, 201)
    assert.equal(api.seen.at(-1)!.method, 'GET')
  })

  it('network failures reject like fetch: TypeError with the system error as cause', async () => {
    const closed = await listen(() => {})
    const origin = closed.origin
    await new Promise((resolve) => closed.server.close(resolve))
    const error = await nodeFetch(`${origin}/`).catch((e: unknown) => e)
    assert.ok(error instanceof TypeError)
    assert.equal((error as {cause?: {code?: string}}).cause?.code, 'ECONNREFUSED')
  })

  it('an abort signal rejects with its reason', async () => {
    const error = await nodeFetch(`${api.origin}/slow`, {signal: AbortSignal.timeout(100)}).catch((e: unknown) => e)
    assert.equal((error as Error).name, 'TimeoutError')
  })
})
