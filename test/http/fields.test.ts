import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {after, describe, it} from 'node:test'
import {ExitCode, UsageError} from '../../src/errors.js'
import {appendFieldsToQuery, appendQueryParams, buildJsonBody, parseFields, typedValue, type FieldSources} from '../../src/http/fields.js'
import {prepareRequest, type RequestSpec} from '../../src/http/request-body.js'

const noSources: FieldSources = {
  readFile: async (path) => assert.fail(`unexpected file read ${path}`),
  readStdin: async () => assert.fail('unexpected stdin read'),
}

function isUsageError(pattern: RegExp) {
  return (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage && pattern.test(error.message)
}

/** The body as it is sent (JSON text, parsed back): buildJsonBody's objects have no prototype. */
async function body(raw: string[], typed: string[] = [], sources = noSources): Promise<unknown> {
  return JSON.parse(JSON.stringify(buildJsonBody(await parseFields(raw, typed, sources))))
}

describe('typed fields (-F)', () => {
  const cases: Array<[string, unknown]> = [
    ['true', true],
    ['false', false],
    ['null', null],
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['3.5', 3.5],
    ['1e3', 1000],
    ['-0.25', -0.25],
    ['007', '007'],
    ['1.', '1.'],
    ['+1', '+1'],
    ['12345678901234567890', '12345678901234567890'],
    ['True', 'True'],
    ['hello', 'hello'],
    ['', ''],
  ]
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${JSON.stringify(expected)}`, async () => {
      assert.deepEqual(await typedValue(raw, noSources), expected)
    })
  }

  it('@file reads the file, @- reads stdin, as strings', async () => {
    const sources: FieldSources = {readFile: async (path) => `contents of ${path}`, readStdin: async () => 'from stdin\n'}
    assert.equal(await typedValue('@notes.txt', sources), 'contents of notes.txt')
    assert.equal(await typedValue('@-', sources), 'from stdin\n')
  })

  it('raw fields (-f) are never typed or read from files', async () => {
    assert.deepEqual(await body(['n=42', 'b=true', 'f=@file']), {n: '42', b: 'true', f: '@file'})
  })
})

describe('nested field keys', () => {
  it('builds objects, arrays, empty arrays and arrays of objects like gh', async () => {
    assert.deepEqual(
      await body(
        ['a[b][c]=deep', 'list[]=x', 'list[]=y', 'empty[]', 'people[][name]=ann', 'people[][role]=admin', 'people[][name]=bob'],
        ['a[b][n]=1', 'people[][age]=30'],
      ),
      {
        a: {b: {c: 'deep', n: 1}},
        list: ['x', 'y'],
        empty: [],
        people: [{name: 'ann', role: 'admin'}, {name: 'bob', age: 30}],
      },
    )
  })

  it('keeps a value containing "=" and brackets whole', async () => {
    assert.deepEqual(await body(['q=a=b[c]']), {q: 'a=b[c]'})
  })

  it('rejects conflicting and malformed keys with exit 2', async () => {
    await assert.rejects(body(['a=1', 'a[b]=2']), isUsageError(/field "a\[b\]" conflicts/))
    await assert.rejects(body(['a[b]=1', 'a=2']), isUsageError(/field "a" conflicts/))
    await assert.rejects(body(['a=1', 'a=2']), isUsageError(/conflicts/))
    await assert.rejects(body(['a[]=1', 'a[x]=2']), isUsageError(/conflicts/))
    await assert.rejects(body(['novalue']), isUsageError(/expected key=value/))
    await assert.rejects(body(['=x']), isUsageError(/bad field key/))
    await assert.rejects(body(['a[b=1']), isUsageError(/bad field key/))
    await assert.rejects(body(['a]b[=1']), isUsageError(/bad field key/))
    await assert.rejects(body(['a[][]=1']), isUsageError(/arrays of arrays/))
  })

  it('puts fields in the query string with the keys as typed (GET)', async () => {
    const url = new URL('https://api.example.com/search?x=0')
    appendFieldsToQuery(url, await parseFields(['q=a b', 'tags[]=1', 'tags[]=2', 'f[k]=v', 'e[]'], ['n=3', 'z=null'], noSources))
    assert.equal(url.search, '?x=0&q=a+b&tags%5B%5D=1&tags%5B%5D=2&f%5Bk%5D=v&n=3&z=')
  })
})

describe('-q query parameters', () => {
  it('appends after the query the path already has, keeping repeats and "=" in values', () => {
    const url = new URL('https://api.example.com/x?a=1')
    appendQueryParams(url, ['a=2', 'filter=x=y', 'empty='])
    assert.deepEqual([...url.searchParams], [['a', '1'], ['a', '2'], ['filter', 'x=y'], ['empty', '']])
  })

  it('rejects a parameter without "=" or without a name (exit 2)', () => {
    assert.throws(() => appendQueryParams(new URL('https://a.example'), ['flag']), isUsageError(/bad query parameter "flag"/))
    assert.throws(() => appendQueryParams(new URL('https://a.example'), ['=v']), isUsageError(/bad query parameter/))
  })
})

describe('prepareRequest (body, content type, sources)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-fields-'))
  after(() => rmSync(dir, {recursive: true, force: true}))
  const base = new URL('https://api.example.com/things')

  function spec(overrides: Partial<RequestSpec>): RequestSpec {
    return {method: 'POST', headers: [], query: [], rawFields: [], typedFields: [], ...overrides}
  }
  function stdin(text: string): NodeJS.ReadableStream {
    const stream = new PassThrough()
    stream.end(text)
    return stream
  }
  async function prepare(overrides: Partial<RequestSpec>, input = '') {
    return (await prepareRequest(spec(overrides), stdin(input)))(base)
  }
  const text = (body?: Uint8Array) => (body ? Buffer.from(body).toString('utf8') : undefined)

  it('fields: a JSON body with application/json; GET and HEAD put them in the query instead', async () => {
    const post = await prepare({rawFields: ['a=1'], typedFields: ['b=2']})
    assert.equal(text(post.body), '{"a":"1","b":2}')
    assert.equal(post.headers.get('content-type'), 'application/json')
    assert.equal(post.url.href, 'https://api.example.com/things')
    for (const method of ['GET', 'HEAD']) {
      const get = await prepare({method, rawFields: ['a=1'], query: ['q=2']})
      assert.equal(get.body, undefined)
      assert.equal(get.headers.has('content-type'), false)
      assert.equal(get.url.search, '?q=2&a=1')
    }
    const del = await prepare({method: 'DELETE', rawFields: ['a=1']})
    assert.equal(text(del.body), '{"a":"1"}')
  })

  it('--data: JSON text is application/json, other text application/octet-stream, --content-type wins', async () => {
    assert.equal((await prepare({data: '{"x":1}'})).headers.get('content-type'), 'application/json')
    assert.equal((await prepare({data: 'a=1&b=2'})).headers.get('content-type'), 'application/octet-stream')
    const typed = await prepare({data: 'a=1', contentType: 'application/x-www-form-urlencoded', headers: ['Content-Type: text/plain']})
    assert.equal(typed.headers.get('content-type'), 'application/x-www-form-urlencoded')
    assert.equal((await prepare({data: 'a=1', headers: ['Content-Type: text/plain']})).headers.get('content-type'), 'text/plain')
    assert.equal((await prepare({rawFields: ['a=1'], contentType: 'application/merge-patch+json'})).headers.get('content-type'), 'application/merge-patch+json')
  })

  it('--data @file sends the bytes unchanged; --data - and -F k=@- read stdin', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 10])
    writeFileSync(join(dir, 'blob.bin'), bytes)
    writeFileSync(join(dir, 'note.txt'), 'line one\n')
    assert.deepEqual(Buffer.from((await prepare({data: `@${join(dir, 'blob.bin')}`})).body!), bytes)
    assert.equal(text((await prepare({data: '-'}, '{"from":"stdin"}')).body), '{"from":"stdin"}')
    assert.equal(text((await prepare({data: '@-'}, 'raw')).body), 'raw')
    assert.equal(text((await prepare({typedFields: ['s=@-', `n=@${join(dir, 'note.txt')}`]}, 'in')).body), '{"s":"in","n":"line one\\n"}')
  })

  it('usage errors (exit 2): missing file, stdin twice, --data with fields or GET, bad method', async () => {
    await assert.rejects(prepare({data: `@${join(dir, 'missing')}`}), isUsageError(/cannot read .*missing: ENOENT/))
    await assert.rejects(prepare({typedFields: [`f=@${join(dir, 'missing')}`]}), isUsageError(/ENOENT/))
    await assert.rejects(prepare({data: '-', typedFields: ['a=@-']}), isUsageError(/--data cannot be combined/))
    await assert.rejects(prepare({typedFields: ['a=@-', 'b=@-']}), isUsageError(/standard input can be read only once/))
    await assert.rejects(prepare({method: 'GET', data: 'x'}), isUsageError(/GET requests cannot have a body/))
    await assert.rejects(prepare({method: 'GE T'}), isUsageError(/bad method/))
    await assert.rejects(prepare({method: 'connect'}), isUsageError(/CONNECT requests cannot be sent/))
    await assert.rejects(prepare({query: ['nope']}), isUsageError(/bad query parameter/))
  })

  it('upper-cases the method and asks for JSON unless -H Accept says otherwise', async () => {
    const request = await prepare({method: 'options'})
    assert.equal(request.method, 'OPTIONS')
    assert.equal(request.headers.get('accept'), 'application/json')
    assert.equal((await prepare({headers: ['Accept: text/csv']})).headers.get('accept'), 'text/csv')
  })
})
