import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {startCallbackServer} from '../../src/callback/callback-server.js'
import type {CallbackServerOptions} from '../../src/callback/callback-server.js'
import {AuthorizationError} from '../../src/errors.js'
import {get, isPortFree, rawRequest} from './helpers.js'

const STATE = 'st4te-0f-this-login-0123456789abcdef'
const CODE = 'c0de-secret-value'
const ATTACKER = 'Your account was suspended <b>call 555-0100</b>\u001b[2J\u001b]0;pwned\u0007'

function start(overrides: Partial<CallbackServerOptions> = {}) {
  return startCallbackServer({expectedState: STATE, timeoutMs: 5000, ...overrides})
}

function withQuery(uri: URL, query: string): URL {
  const url = new URL(uri)
  url.search = query
  return url
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString()

/**
 * Issue 8 item 4: any web page can send the browser to the callback address while a login waits. Without
 * this login's state such a request must neither end the login nor put its text on the terminal.
 */
describe('startCallbackServer: responses that do not belong to this login are ignored', () => {
  const foreign: Array<[string, string]> = [
    ['an error without state (the reported denial of service)', q({error: 'access_denied', error_description: ATTACKER})],
    ['an error with another state', q({error: 'access_denied', error_description: ATTACKER, state: 'old-tab'})],
    ['a code with another state (CSRF)', q({code: 'attacker-code', state: 'someone-elses-state'})],
    ['a code without state', q({code: 'attacker-code'})],
    ['an empty state', q({code: 'attacker-code', state: ''})],
    ['a prefix of the state', q({code: 'attacker-code', state: STATE.slice(0, -1)})],
    ['the state with something appended', q({code: 'attacker-code', state: `${STATE}x`})],
    ['the state in another case', q({code: 'attacker-code', state: STATE.toUpperCase()})],
    ['the right state twice', `code=attacker-code&state=${STATE}&state=${STATE}`],
    ['the right state next to another', `code=attacker-code&state=${STATE}&state=other`],
    ['another state next to the right one', `code=attacker-code&state=other&state=${STATE}`],
    ['an error with an HTML/escape error code and no state', q({error: '<script>\u001b[31m', error_description: ATTACKER})],
  ]

  for (const [name, query] of foreign) {
    it(`${name}: 400 page without its text, one sanitised warning, and the login still completes`, async () => {
      // Given a login waiting for its callback
      const warnings: string[] = []
      const server = await start({warn: (line) => warnings.push(line)})
      const uri = server.redirectUri
      try {
        const waiting = server.waitForCallback()
        let ended = false
        void waiting.then(() => (ended = true), () => (ended = true))

        // When something else sends the browser to the callback address
        const page = await get(withQuery(uri, query))

        // Then it gets an error page that reflects nothing it sent
        assert.equal(page.status, 400)
        assert.match(page.body, /<h1>This response does not belong to the current login<\/h1>/)
        assert.match(page.body, /still waiting for the login it started/)
        assert.doesNotMatch(page.body, /suspended|555-0100|<b>|<script|pwned|attacker-code/)
        assert.doesNotMatch(page.body, new RegExp(STATE))
        assert.equal(page.headers.get('cache-control'), 'no-store')

        // and one warning, without the request's text
        await new Promise((r) => setTimeout(r, 50))
        assert.equal(ended, false, 'the login must still be waiting')
        assert.equal(warnings.length, 1)
        const error = new URLSearchParams(query).get('error')
        const named = error === 'access_denied' ? ' (error=access_denied)' : ''
        assert.equal(
          warnings[0],
          `ignored a request to ${uri.href} that does not carry this login's state${named}: another browser tab or web page? Still waiting for the redirect of this login.`,
        )

        // and the real redirect still completes the login
        const browser = get(withQuery(uri, q({code: CODE, state: STATE})))
        const result = await waiting
        assert.equal(result.params.get('code'), CODE)
        await server.finish({ok: true, title: 'Logged in'})
        assert.equal((await browser).status, 200)
      } finally {
        await server.close()
      }
    })
  }

  it('warns once however many foreign requests arrive, then a real error response ends the login (exit 5)', async () => {
    const warnings: string[] = []
    const server = await start({warn: (line) => warnings.push(line)})
    const uri = server.redirectUri
    const waiting = server.waitForCallback()
    for (let i = 0; i < 20; i++) {
      assert.equal((await get(withQuery(uri, q({error: 'access_denied', error_description: `attempt ${i}`})))).status, 400)
    }
    assert.equal(warnings.length, 1)

    const page = await get(withQuery(uri, q({error: 'access_denied', error_description: 'The user said no', state: STATE})))
    assert.equal(page.status, 400)
    assert.match(page.body, /Login failed: access_denied/)
    await assert.rejects(waiting, (error: unknown) => {
      assert.ok(error instanceof AuthorizationError)
      assert.equal(error.exitCode, 5)
      assert.equal(error.message, 'authorization failed: access_denied: The user said no')
      return true
    })
    assert.equal(await isPortFree(Number(uri.port)), true)
  })

  it('a foreign request that arrives before waitForCallback does not end the login either', async () => {
    const server = await start({warn: () => {}})
    const uri = server.redirectUri
    try {
      assert.equal((await get(withQuery(uri, q({error: 'access_denied'})))).status, 400)
      const browser = rawRequest(Number(uri.port), `/callback?code=${CODE}&state=${STATE}`, {Host: uri.host})
      const result = await server.waitForCallback()
      assert.equal(result.params.get('code'), CODE)
      await server.finish({ok: true, title: 'Logged in'})
      assert.equal((await browser).status, 200)
    } finally {
      await server.close()
    }
  })

  it('a foreign request still times out as usual when the real redirect never comes', async () => {
    const server = await start({timeoutMs: 300, warn: () => {}})
    const waiting = server.waitForCallback()
    await get(withQuery(server.redirectUri, q({code: 'x', state: 'y'})))
    await assert.rejects(waiting, {code: 'timeout'})
  })
})
