import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode} from '../../src/errors.js'
import {paginate} from '../../src/http/paginate.js'
import {ResponsePrinter} from '../../src/http/output.js'
import {unfollowedRedirect} from '../../src/http/redirects.js'
import {API_ORIGIN, captureIO, fakeContext, json} from './helpers.js'

const URL_HERE = `${API_ORIGIN}/api/things`

function answer(status: number, location?: string, body = ''): Response {
  return new Response(body || null, {status, headers: location === undefined ? {} : {location}})
}

describe('unfollowedRedirect: a 3xx that was not followed is not a success (it used to exit 0 with an empty body)', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) {
      it(`${status} on ${method}: exit 7 naming the target, the body is not resent`, () => {
        const error = unfollowedRedirect(method, URL_HERE, answer(status, '/api/v2/things'))
        assert.equal(error?.exitCode, ExitCode.api)
        assert.match(
          error?.message ?? '',
          new RegExp(`^the API redirected a ${method} to ${API_ORIGIN.replaceAll('.', '\\.')}/api/v2/things \\(HTTP ${status}[^)]*\\); oauthctl does not resend a request body with your token$`),
        )
        assert.match(error?.hint ?? '', /^Repeat the request at that URL/)
      })
    }
  }

  it('a 3xx without Location (GET or POST) says there was nothing to follow', () => {
    for (const method of ['GET', 'POST']) {
      for (const status of [300, 302, 307]) {
        const error = unfollowedRedirect(method, URL_HERE, answer(status))
        assert.equal(error?.exitCode, ExitCode.api)
        assert.match(error?.message ?? '', new RegExp(`^the API answered HTTP ${status}.* without a Location to follow$`))
      }
    }
    assert.match(unfollowedRedirect('GET', URL_HERE, answer(302, '  '))?.message ?? '', /without a Location to follow/)
  })

  it('a GET redirected to another scheme (file:, javascript:) is exit 7, not followed', () => {
    const error = unfollowedRedirect('GET', URL_HERE, answer(302, 'file:///etc/passwd'))
    assert.equal(error?.message, 'the API redirected to file:///etc/passwd (HTTP 302): only http and https redirects are followed')
  })

  it('a Location that is not a URL is exit 7', () => {
    assert.match(unfollowedRedirect('GET', URL_HERE, answer(302, 'http://[bad'))?.message ?? '', /with a Location that is not a URL$/)
  })

  it('304 Not Modified answers a conditional request: a success; other statuses are no redirects', () => {
    for (const status of [200, 204, 304, 404, 500]) assert.equal(unfollowedRedirect('GET', URL_HERE, answer(status)), undefined)
  })
})

describe('--paginate: a page that is an unfollowed redirect stops with exit 7', () => {
  it('writes the pages before it and the redirect body, then fails', async () => {
    const captured = captureIO()
    const {ctx} = fakeContext(() => json({}), captured.io)
    const printer = new ResponsePrinter(captured.io, {include: false, silent: false, pretty: false, color: false})
    const second = new URL(`${API_ORIGIN}/api/items?page=2`)
    const pages: Record<string, () => Response> = {
      [`${API_ORIGIN}/api/items`]: () => json([1], {headers: {link: `<${second.href}>; rel="next"`}}),
      [second.href]: () => answer(300, undefined, 'pick one'),
    }
    const error = await paginate(ctx, {
      first: {method: 'GET', url: new URL(`${API_ORIGIN}/api/items`), headers: new Headers()},
      style: 'link-header',
      slurp: false,
      printer,
      send: async (request) => (pages[request.url.href] as () => Response)(),
      checkDestination: () => {},
    }).catch((e: unknown) => e)
    assert.equal(captured.stdout(), '[1]\npick one\n')
    assert.equal((error as {exitCode?: number}).exitCode, ExitCode.api)
    assert.match((error as Error).message, /^the API answered HTTP 300 .*without a Location to follow$/)
    assert.match((error as {hint?: string}).hint ?? '', /^Pages 1-1 were written before it\. /)
  })
})
