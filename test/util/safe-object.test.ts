import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createDictionary, isPrototypeKey, ownValue, parseJsonSafely, withoutPrototypeMembers} from '../../src/util/safe-object.js'

describe('parseJsonSafely: JSON from files and servers never names a prototype', () => {
  const hostile: Array<[string, string]> = [
    ['__proto__ at the top', '{"__proto__": {"apiBase": "http://evil"}, "a": 1}'],
    ['__proto__ nested', '{"a": {"__proto__": {"apiBase": "http://evil"}}}'],
    ['__proto__ inside an array', '[{"__proto__": {"apiBase": "http://evil"}}]'],
    ['constructor.prototype', '{"constructor": {"prototype": {"apiBase": "http://evil"}}}'],
    ['an escaped __proto__', '{"\\u005f_proto__": {"apiBase": "http://evil"}}'],
    ['an escaped constructor', '{"\\u0063onstructor": {"prototype": {"apiBase": "http://evil"}}}'],
  ]
  for (const [name, text] of hostile) {
    it(`drops ${name}; a merge of the result reaches no prototype`, () => {
      const parsed = parseJsonSafely(text)
      const serialized = JSON.stringify(parsed)
      assert.ok(!/__proto__|constructor|prototype/.test(serialized), serialized)
      // What an attacker counts on next: the parsed value merged into an ordinary object.
      const merged = Object.assign({}, parsed, ...(Array.isArray(parsed) ? parsed : []))
      assert.equal((merged as {apiBase?: string}).apiBase, undefined)
      assert.equal(({} as {apiBase?: string}).apiBase, undefined)
    })
  }

  it('keeps everything else exactly, values that merely mention the words included', () => {
    const text = '{"a": [1, {"b": null}], "note": "__proto__ constructor prototype", "c": "\\u00e9", "n": 1.5e3}'
    assert.deepEqual(parseJsonSafely(text), {a: [1, {b: null}], note: '__proto__ constructor prototype', c: 'é', n: 1500})
    assert.deepEqual(parseJsonSafely('{"x": {"y": "z"}}'), {x: {y: 'z'}})
    assert.equal(parseJsonSafely('"just a string"'), 'just a string')
  })

  it('throws on invalid JSON as JSON.parse does', () => {
    assert.throws(() => parseJsonSafely('{'), SyntaxError)
    assert.throws(() => parseJsonSafely('{"__proto__": '), SyntaxError)
  })
})

describe('createDictionary and ownValue', () => {
  it('a dictionary has no prototype: inherited names find nothing, __proto__ is refused', () => {
    const dictionary = createDictionary<string>([['a', '1'], ['__proto__', 'x'], ['constructor', 'y'], ['prototype', 'z']])
    assert.equal(Object.getPrototypeOf(dictionary), null)
    assert.deepEqual(Object.keys(dictionary), ['a'])
    assert.equal(dictionary.constructor, undefined)
    assert.equal(dictionary.toString, undefined)
    assert.equal(dictionary.hasOwnProperty, undefined)
  })

  it('ownValue never reads an inherited member', () => {
    assert.equal(ownValue({}, 'constructor'), undefined)
    assert.equal(ownValue({}, 'toString'), undefined)
    assert.equal(ownValue({a: 1}, 'a'), 1)
    assert.equal(ownValue(Object.create({inherited: 1}) as object, 'inherited'), undefined)
  })

  it('isPrototypeKey names exactly the three keys', () => {
    assert.deepEqual(['__proto__', 'constructor', 'prototype', 'proto', 'Constructor', '__proto', 'toString'].filter(isPrototypeKey), [
      '__proto__',
      'constructor',
      'prototype',
    ])
  })
})

describe('withoutPrototypeMembers: answers a library parses itself', () => {
  it('a JSON body loses its prototype members; status, headers and url are kept', async () => {
    const original = new Response('{"issuer": "https://id.example", "__proto__": {"token_endpoint": "https://evil"}}', {
      status: 200,
      statusText: 'OK',
      headers: {'content-type': 'application/json; charset=utf-8', 'content-length': '80', 'x-extra': '1'},
    })
    Object.defineProperty(original, 'url', {value: 'https://id.example/.well-known/openid-configuration'})
    const cleaned = await withoutPrototypeMembers(original)
    assert.equal(await cleaned.text(), '{"issuer":"https://id.example"}')
    assert.equal(cleaned.status, 200)
    assert.equal(cleaned.headers.get('x-extra'), '1')
    assert.equal(cleaned.headers.get('content-length'), null)
    assert.equal(cleaned.url, 'https://id.example/.well-known/openid-configuration')
  })

  it('other bodies pass untouched, byte for byte', async () => {
    const html = new Response('<p>__proto__</p>', {headers: {'content-type': 'text/html'}})
    assert.equal(await withoutPrototypeMembers(html), html)
    const noContent = new Response(null, {status: 204, headers: {'content-type': 'application/json'}})
    assert.equal(await withoutPrototypeMembers(noContent), noContent)
    const plain = await withoutPrototypeMembers(new Response('{"a":  1.0}', {headers: {'content-type': 'application/json'}}))
    assert.equal(await plain.text(), '{"a":  1.0}')
    const broken = await withoutPrototypeMembers(new Response('{"__proto__": ', {headers: {'content-type': 'application/json'}}))
    assert.equal(await broken.text(), '{"__proto__": ')
  })
})
