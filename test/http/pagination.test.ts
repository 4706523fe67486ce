import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {bodyStylesFor, nextFromBody, parseLinkNext, slurpElements, type BodyStyle} from '../../src/http/pagination.js'

const page = new URL('https://api.example.com/v1/items?per_page=2&page=1')

describe('parseLinkNext (RFC 8288)', () => {
  it('finds rel="next" among other relations, resolving relative targets', () => {
    const header =
      '<https://api.example.com/v1/items?page=1>; rel="first", <https://api.example.com/v1/items?page=3>; rel="next", <https://api.example.com/v1/items?page=9>; rel="last"'
    assert.equal(parseLinkNext(header, page)?.href, 'https://api.example.com/v1/items?page=3')
    assert.equal(parseLinkNext('</v1/items?page=2>; rel=next', page)?.href, 'https://api.example.com/v1/items?page=2')
    assert.equal(parseLinkNext('<items?page=2&a=b,c>; title="x, y"; REL="prefetch Next"', page)?.href, 'https://api.example.com/v1/items?page=2&a=b,c')
  })

  it('ignores headers without a next relation', () => {
    assert.equal(parseLinkNext(null, page), undefined)
    assert.equal(parseLinkNext('<https://api.example.com/x>; rel="prev"', page), undefined)
    assert.equal(parseLinkNext('<https://api.example.com/x>; rel="nextish"', page), undefined)
    assert.equal(parseLinkNext('garbage', page), undefined)
  })
})

describe('nextFromBody: every body style', () => {
  const cases: Array<[BodyStyle, unknown, string | undefined]> = [
    ['odata-next-link', {'@odata.nextLink': 'https://api.example.com/v1/items?$skiptoken=X'}, 'https://api.example.com/v1/items?$skiptoken=X'],
    ['odata-next-link', {value: []}, undefined],
    ['next-cursor', {ok: true, response_metadata: {next_cursor: 'dXNlcjpV'}}, 'https://api.example.com/v1/items?per_page=2&page=1&cursor=dXNlcjpV'],
    ['next-cursor', {ok: true, response_metadata: {next_cursor: ''}}, undefined],
    ['next-page-token', {nextPageToken: 'tok/+1'}, 'https://api.example.com/v1/items?per_page=2&page=1&pageToken=tok%2F%2B1'],
    ['meta-next-token', {data: [], meta: {next_token: 'n1'}}, 'https://api.example.com/v1/items?per_page=2&page=1&pagination_token=n1'],
    ['meta-next-token', {data: [], meta: {result_count: 0}}, undefined],
    ['next-url', {items: [], next: 'https://api.example.com/v1/items?offset=2'}, 'https://api.example.com/v1/items?offset=2'],
    ['next-url', {items: [], next: null}, undefined],
    ['next-page-token-snake', {next_page_token: 'z'}, 'https://api.example.com/v1/items?per_page=2&page=1&next_page_token=z'],
    ['offset-limit', {entries: [], offset: 0, limit: 2, total_count: 5}, 'https://api.example.com/v1/items?per_page=2&page=1&offset=2'],
    ['offset-limit', {entries: [], offset: 4, limit: 2, total_count: 5}, undefined],
    ['offset-limit', {entries: [], next_marker: 'm2'}, 'https://api.example.com/v1/items?per_page=2&page=1&marker=m2'],
  ]
  for (const [style, body, expected] of cases) {
    it(`${style}: ${JSON.stringify(body)}`, () => {
      const found = nextFromBody(body, page, [style])
      assert.equal(found?.url.href, expected)
      if (expected) assert.equal(found?.style, style)
    })
  }

  it('replaces a previous token instead of adding a second one', () => {
    const second = new URL('https://api.example.com/v1/items?pageToken=old')
    assert.equal(nextFromBody({nextPageToken: 'new'}, second, ['next-page-token'])?.url.href, 'https://api.example.com/v1/items?pageToken=new')
  })

  it('a preset without a body style detects the unambiguous markers, but not a bare "next"', () => {
    const detected = bodyStylesFor('link-header')
    assert.equal(nextFromBody({'@odata.nextLink': '/v1/p2'}, page, detected)?.style, 'odata-next-link')
    assert.equal(nextFromBody({nextPageToken: 't'}, page, bodyStylesFor('none'))?.style, 'next-page-token')
    assert.equal(nextFromBody({next: 'https://api.example.com/p2'}, page, detected), undefined)
    assert.deepEqual(bodyStylesFor('next-url'), ['next-url'])
    assert.equal(nextFromBody([1, 2], page, detected), undefined)
  })
})

describe('slurpElements (--slurp merge rule)', () => {
  it('a top-level array gives its elements, verbatim', () => {
    assert.deepEqual(slurpElements(' [1, {"a": 2.50}, "x,]"] ', [1, {a: 2.5}, 'x,]']), ['1', '{"a": 2.50}', '"x,]"'])
    assert.deepEqual(slurpElements('[]', []), [])
  })

  it('keeps big integers exactly as sent', () => {
    const text = '[{"id":12345678901234567890}]'
    assert.deepEqual(slurpElements(text, JSON.parse(text)), ['{"id":12345678901234567890}'])
  })

  it("an object gives the style's items key, else its only array member", () => {
    const odata = '{"@odata.context":"x","value":[{"id":1}],"other":[9]}'
    assert.deepEqual(slurpElements(odata, JSON.parse(odata), 'odata-next-link'), ['{"id":1}'])
    const x = '{"data":[{"id":"1"}],"meta":{"next_token":"t"},"includes":{"users":[]}}'
    assert.deepEqual(slurpElements(x, JSON.parse(x), 'meta-next-token'), ['{"id":"1"}'])
    const single = '{"items": [ {"id": 1} , {"id": 2} ], "page": 1, "note": "a [ b"}'
    assert.deepEqual(slurpElements(single, JSON.parse(single), 'link-header'), ['{"id": 1}', '{"id": 2}'])
    const dup = '{"items":[1],"items":[2,3]}'
    assert.deepEqual(slurpElements(dup, JSON.parse(dup)), ['2', '3'])
  })

  it('anything else becomes one element (nothing is lost)', () => {
    const two = '{"a":[1],"b":[2]}'
    assert.deepEqual(slurpElements(two, JSON.parse(two)), ['{"a":[1],"b":[2]}'])
    assert.deepEqual(slurpElements('{"n":1}\n', {n: 1}), ['{"n":1}'])
    assert.deepEqual(slurpElements('"text"', 'text'), ['"text"'])
  })
})
