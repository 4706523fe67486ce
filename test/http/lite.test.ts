import assert from 'node:assert/strict'
import {Readable} from 'node:stream'
import {describe, it} from 'node:test'
import {LiteHeaders, LiteResponse, toStandardResponse} from '../../src/http/lite.js'

const body = (text: string) => Readable.toWeb(Readable.from([Buffer.from(text)])) as ReadableStream<Uint8Array>

describe('LiteHeaders behaves like Headers for what oauthctl uses', () => {
  it('is case-insensitive, joins repeated values, keeps Set-Cookie apart, iterates sorted lower-case', () => {
    const lite = new LiteHeaders({'Content-Type': 'application/json', Accept: ['a', 'b']})
    lite.append('Set-Cookie', 'a=1')
    lite.append('set-cookie', 'b=2')
    const standard = new Headers([['Content-Type', 'application/json'], ['Accept', 'a'], ['Accept', 'b'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']])
    assert.equal(lite.get('content-type'), standard.get('content-type'))
    assert.equal(lite.get('ACCEPT'), standard.get('accept'))
    assert.deepEqual(lite.getSetCookie(), standard.getSetCookie())
    assert.deepEqual([...lite], [...standard])
    assert.equal(lite.get('missing'), null)
    lite.set('accept', 'c')
    lite.delete('CONTENT-TYPE')
    assert.deepEqual([...lite.keys()], ['accept', 'set-cookie', 'set-cookie'])
  })

  it('copies from Headers, LiteHeaders, pairs and records; and Headers accepts it back', () => {
    const lite = new LiteHeaders(new Headers({'x-a': '1'}))
    assert.equal(new LiteHeaders(lite).get('x-a'), '1')
    assert.equal(new LiteHeaders([['x-b', '2']]).get('X-B'), '2')
    assert.equal(new Headers(new LiteHeaders({'x-c': '3'}) as unknown as [string, string][]).get('x-c'), '3')
  })
})

describe('LiteResponse', () => {
  it('reads text and json once, knows ok, and converts to a standard Response with the same parts', async () => {
    const response = new LiteResponse(body('{"a":1}'), 201, 'Created', new LiteHeaders({'content-type': 'application/json'}), 'http://x/y')
    assert.equal(response.ok, true)
    assert.deepEqual(await response.json(), {a: 1})
    assert.equal(response.bodyUsed, true)
    await assert.rejects(response.text(), /already been read/)

    const fresh = new LiteResponse(body('hello'), 404, 'Not Found', new LiteHeaders({'x-k': 'v'}), 'http://x/z')
    assert.equal(fresh.ok, false)
    const standard = toStandardResponse(fresh)
    assert.ok(standard instanceof Response)
    assert.equal(standard.status, 404)
    assert.equal(standard.statusText, 'Not Found')
    assert.equal(standard.headers.get('x-k'), 'v')
    assert.equal(standard.url, 'http://x/z')
    assert.equal(await standard.text(), 'hello')
  })

  it('an empty body reads as empty; a standard Response passes through untouched', async () => {
    assert.equal(await new LiteResponse(null, 204, 'No Content', new LiteHeaders(), '').text(), '')
    const standard = new Response('x')
    assert.equal(toStandardResponse(standard), standard)
  })
})
