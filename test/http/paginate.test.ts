import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ApiError, ConfigError, ExitCode, OauthctlError} from '../../src/errors.js'
import {paginate} from '../../src/http/paginate.js'
import {checkTokenDestination} from '../../src/http/api-client.js'
import {ResponsePrinter, type OutputMode} from '../../src/http/output.js'
import type {PreparedRequest} from '../../src/http/request-body.js'
import type {PaginationStyle} from '../../src/providers/preset.js'
import {API_ORIGIN, captureIO, fakeContext, json} from './helpers.js'

const start = new URL(`${API_ORIGIN}/api/items?per_page=2`)

/** Runs --paginate against `pages`, a map from URL to the answer. */
async function run(pages: Record<string, () => Response>, options: {style?: PaginationStyle; slurp?: boolean; mode?: Partial<OutputMode>} = {}) {
  const captured = captureIO({tty: Boolean(options.mode?.pretty)})
  const {ctx} = fakeContext(() => json({}), captured.io)
  const requested: string[] = []
  const printer = new ResponsePrinter(captured.io, {include: false, silent: false, pretty: false, color: false, ...options.mode})
  const send = async (request: PreparedRequest): Promise<Response> => {
    requested.push(request.url.href)
    const answer = pages[request.url.href]
    return answer ? answer() : json({error: 'unexpected'}, {status: 599})
  }
  let error: unknown
  try {
    await paginate(ctx, {
      first: {method: 'GET', url: start, headers: new Headers()},
      style: options.style ?? 'link-header',
      slurp: options.slurp ?? false,
      printer,
      send,
      checkDestination: (url) => checkTokenDestination(url, [API_ORIGIN]),
    })
  } catch (caught) {
    error = caught
  }
  return {stdout: captured.stdout(), stderr: captured.stderr(), requested, error}
}

const p = (n: number) => `${API_ORIGIN}/api/items?per_page=2&page=${n}`
const linked = (n: number, last: number) => () =>
  json({items: [{id: 2 * n - 1}, {id: 2 * n}], page: n}, {headers: n < last ? {link: `<${p(n + 1)}>; rel="next"`} : {}})

describe('paginate', () => {
  const threePages = {[start.href]: linked(1, 3), [p(2)]: linked(2, 3), [p(3)]: linked(3, 3)}

  it('follows Link rel="next" and writes each page as one line', async () => {
    const result = await run(threePages)
    assert.equal(result.error, undefined)
    assert.deepEqual(result.requested, [start.href, p(2), p(3)])
    assert.deepEqual(
      result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line).page),
      [1, 2, 3],
    )
  })

  it('--slurp merges the items into one array', async () => {
    const result = await run(threePages, {slurp: true})
    assert.deepEqual(JSON.parse(result.stdout), [1, 2, 3, 4, 5, 6].map((id) => ({id})))
    assert.match(result.stdout, /^\[.*\]\n$/s)
  })

  it('a page answering >= 400 exits 7 after pages 1..N-1 and the error body', async () => {
    const failing = {...threePages, [p(3)]: () => json({error: 'boom'}, {status: 500, statusText: 'Internal Server Error'})}
    const result = await run(failing)
    assert.ok(result.error instanceof ApiError)
    assert.equal(result.error.exitCode, ExitCode.api)
    assert.equal(result.error.status, 500)
    assert.match(result.error.hint ?? '', /Pages 1-2 were written before it/)
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(lines, [{items: [{id: 1}, {id: 2}], page: 1}, {items: [{id: 3}, {id: 4}], page: 2}, {error: 'boom'}])
  })

  it('with --slurp, the failure closes the array first, then writes the error body', async () => {
    const failing = {...threePages, [p(2)]: () => json({error: 'boom'}, {status: 502})}
    const result = await run(failing, {slurp: true})
    assert.ok(result.error instanceof ApiError)
    assert.equal(result.stdout, '[{"id":1},{"id":2}]\n{"error":"boom"}\n')
  })

  it('refuses (exit 3) a next page on a host that may not get the token, and never requests it', async () => {
    const pages = {[start.href]: () => json({value: [1], '@odata.nextLink': 'https://evil.example/steal?page=2'})}
    const result = await run(pages)
    assert.ok(result.error instanceof ConfigError)
    assert.match(result.error.message, /evil\.example/)
    assert.deepEqual(result.requested, [start.href])
    assert.equal(JSON.parse(result.stdout).value[0], 1)
  })

  it('detects @odata.nextLink when the preset names no body style, and slurps "value"', async () => {
    const next = `${API_ORIGIN}/api/odata?page=2`
    const pages = {
      [start.href]: () => json({'@odata.context': 'x', value: [{id: 1}], extra: [0], '@odata.nextLink': next}),
      [next]: () => json({value: [{id: 2}], extra: [0]}),
    }
    const result = await run(pages, {slurp: true, style: 'none'})
    assert.equal(result.error, undefined)
    assert.deepEqual(JSON.parse(result.stdout), [{id: 1}, {id: 2}])
  })

  it("follows the preset's token style (Google nextPageToken -> pageToken)", async () => {
    const second = `${start.href}&pageToken=t2`
    const pages = {[start.href]: () => json({files: [1], nextPageToken: 't2'}), [second]: () => json({files: [2]})}
    const result = await run(pages, {style: 'next-page-token', slurp: true})
    assert.deepEqual(result.requested, [start.href, second])
    assert.equal(result.stdout, '[1,2]\n')
  })

  it('stops, with a warning, when a page names itself as the next page', async () => {
    const result = await run({[start.href]: () => json({items: []}, {headers: {link: `<${start.href}>; rel="next"`}})})
    assert.equal(result.error, undefined)
    assert.deepEqual(result.requested, [start.href])
    assert.match(result.stderr, /names itself as the next page/)
  })

  it('--slurp of a page that is not JSON exits 7', async () => {
    const result = await run({[start.href]: () => new Response('a,b\n1,2\n', {headers: {'content-type': 'text/csv'}})}, {slurp: true})
    assert.ok(result.error instanceof OauthctlError)
    assert.equal(result.error.exitCode, ExitCode.api)
    assert.match(result.error.message, /page 1 is not JSON \(text\/csv\)/)
  })

  it('warns that Dropbox-style cursor pagination is not followed', async () => {
    const result = await run({[start.href]: () => json({entries: [], cursor: 'c', has_more: true})}, {style: 'cursor-has-more'})
    assert.match(result.stderr, /cursor-has-more pagination is not supported/)
    assert.deepEqual(result.requested, [start.href])
  })

  it('on a terminal, each page is pretty-printed', async () => {
    const result = await run(threePages, {mode: {pretty: true}})
    assert.equal(result.stdout.split('"page"').length - 1, 3)
    assert.match(result.stdout, /^\{\n {2}"items": \[\n/)
  })
})
