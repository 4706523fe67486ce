// LiteBody (src/http/lite-body.ts) behaves like the part of a web ReadableStream that oauthctl uses, and the
// response bodies of nodeFetch (request-timers.ts) keep their read-ahead, idle-timer and failure rules.
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {LiteBody, type LiteBodyProducer} from '../../src/http/lite-body.js'
import {nodeFetch} from '../../src/http/node-fetch.js'

/** A producer that records demand and cancels, and a body over it. */
function produced(readAhead = 10): {body: LiteBody; demands: () => number; cancels: () => number} {
  let demands = 0
  let cancels = 0
  const producer: LiteBodyProducer = {demand: () => void demands++, cancel: () => void cancels++}
  return {body: new LiteBody(producer, readAhead), demands: () => demands, cancels: () => cancels}
}

const bytes = (text: string) => new TextEncoder().encode(text)
const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk)

describe('LiteBody', () => {
  it('gives queued chunks in order, then done; wants more only below its read-ahead', async () => {
    const {body} = produced(10)
    assert.equal(body.sink.wantsMore(), true)
    body.sink.push(bytes('hello '))
    body.sink.push(bytes('world'))
    assert.equal(body.sink.wantsMore(), false)
    body.sink.end()
    const reader = body.getReader()
    assert.equal(text((await reader.read()).value), 'hello ')
    assert.equal(text((await reader.read()).value), 'world')
    assert.deepEqual(await reader.read(), {done: true, value: undefined})
    assert.deepEqual(await reader.read(), {done: true, value: undefined})
  })

  it('a read that waits is answered by the next push, end or failure, and asks the producer for more', async () => {
    const {body, demands} = produced()
    const first = body.read()
    assert.equal(demands(), 1)
    body.sink.push(bytes('a'))
    assert.equal(text((await first).value), 'a')
    const second = body.read()
    body.sink.fail(new Error('connection reset'))
    await assert.rejects(second, /connection reset/)
    await assert.rejects(body.read(), /connection reset/)
  })

  it('delivers what arrived before a failure first', async () => {
    const {body} = produced()
    body.sink.push(bytes('partial'))
    body.sink.fail(new Error('broke'))
    assert.equal(text((await body.read()).value), 'partial')
    await assert.rejects(body.read(), /broke/)
  })

  it('cancel ends a waiting read with done, drops the queue, tells the producer once, and ignores later pushes', async () => {
    const {body, cancels} = produced()
    const waiting = body.read()
    await body.cancel()
    await body.cancel()
    assert.deepEqual(await waiting, {done: true, value: undefined})
    body.sink.push(bytes('late'))
    assert.deepEqual(await body.read(), {done: true, value: undefined})
    assert.equal(cancels(), 1)
  })

  it('a cancel after the end does not bother the producer', async () => {
    const {body, cancels} = produced()
    body.sink.end()
    await body.cancel()
    assert.equal(cancels(), 0)
  })

  it('locks to one reader, like getReader(); releaseLock frees it', () => {
    const {body} = produced()
    const reader = body.getReader()
    assert.equal(body.locked, true)
    assert.throws(() => body.getReader(), TypeError)
    reader.releaseLock()
    assert.equal(body.locked, false)
  })

  it('async iteration reads to the end, and cancels when the loop stops early', async () => {
    const whole = LiteBody.of(bytes('one'))
    const seen: string[] = []
    for await (const chunk of whole) seen.push(text(chunk))
    assert.deepEqual(seen, ['one'])

    const {body, cancels} = produced(100)
    body.sink.push(bytes('x'))
    body.sink.push(bytes('y'))
    for await (const chunk of body) {
      assert.equal(text(chunk), 'x')
      break
    }
    assert.equal(cancels(), 1)
  })

  it('LiteBody.of an empty array is an empty body; toWeb gives a standard stream with the same bytes', async () => {
    assert.deepEqual(await LiteBody.of(new Uint8Array()).read(), {done: true, value: undefined})
    const standard = new Response(LiteBody.of(bytes('{"a":1}')).toWeb())
    assert.deepEqual(await standard.json(), {a: 1})
  })
})

describe('nodeFetch response bodies (LiteBody over the socket)', () => {
  let server: Server
  let base: string
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/small') return res.end('small body')
      if (req.url === '/big') {
        res.writeHead(200, {'content-length': String(1 << 20)})
        return res.end(Buffer.alloc(1 << 20, 0x61))
      }
      if (req.url === '/stall') {
        res.writeHead(200)
        return res.write('first')
      }
      if (req.url === '/reset') {
        res.writeHead(200)
        res.write('before')
        setTimeout(() => req.socket.destroy(), 20)
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('reads a small body and a 1 MiB one whole', async () => {
    assert.equal(await (await nodeFetch(`${base}/small`)).text(), 'small body')
    const big = Buffer.from(await (await nodeFetch(`${base}/big`)).arrayBuffer())
    assert.equal(big.length, 1 << 20)
    assert.equal(big.every((byte) => byte === 0x61), true)
  })

  it('a server that stops sending mid-body fails the read with the idle timeout, after the bytes it sent', async () => {
    const response = await nodeFetch(`${base}/stall`, {}, {connectMs: 2000, idleMs: 150})
    const reader = (response.body as unknown as LiteBody).getReader()
    assert.equal(text((await reader.read()).value), 'first')
    await assert.rejects(reader.read(), (error: NodeJS.ErrnoException) => error.code === 'ETIMEDOUT')
  })

  it('a connection that breaks mid-body fails the read (ECONNRESET) after the bytes that arrived', async () => {
    const response = await nodeFetch(`${base}/reset`)
    const reader = (response.body as unknown as LiteBody).getReader()
    assert.equal(text((await reader.read()).value), 'before')
    await assert.rejects(reader.read(), (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET')
  })
})
