import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, UsageError} from '../../src/errors.js'
import {chooseContentType, parseHeaders} from '../../src/http/headers.js'

describe('parseHeaders (-H)', () => {
  it('parses names and values, trimming around the colon, keeping repeats and colons in values', () => {
    const headers = parseHeaders(['X-One: 1', 'x-two:two', 'X-Multi: a', 'X-Multi: b', 'X-Url: https://x.example:8443/p', 'X-Empty:'])
    assert.equal(headers.get('x-one'), '1')
    assert.equal(headers.get('x-two'), 'two')
    assert.equal(headers.get('x-multi'), 'a, b')
    assert.equal(headers.get('x-url'), 'https://x.example:8443/p')
    assert.equal(headers.get('x-empty'), '')
  })

  const bad: Array<[string, RegExp]> = [
    ['NoColon', /bad header "NoColon": expected "Name: value"/],
    [': value', /bad header/],
    ['Bad Name: v', /bad header "Bad Name: v"/],
    ['X-Bad\u00e9: v', /bad header/],
    ['X-Inject: a\r\nX-Evil: b', /may not contain line breaks/],
    ['Authorization: Bearer other', /-H Authorization is not allowed/],
    ['authorization: x', /-H Authorization is not allowed/],
    // The token must not go to another virtual host, and the connection is oauthctl's (no smuggling).
    ['Host: evil.example', /-H Host is not allowed: it belongs to the connection/],
    ['host: evil.example', /-H host is not allowed/],
    ['Connection: close, X-Forwarded-For', /-H Connection is not allowed/],
    ['Keep-Alive: timeout=5', /-H Keep-Alive is not allowed/],
    ['Proxy-Authorization: Basic eDp5', /-H Proxy-Authorization is not allowed/],
    ['Proxy-Connection: keep-alive', /-H Proxy-Connection is not allowed/],
    ['TE: trailers', /-H TE is not allowed/],
    ['Trailer: X-Sig', /-H Trailer is not allowed/],
    ['Transfer-Encoding: chunked', /-H Transfer-Encoding is not allowed/],
    ['Upgrade: websocket', /-H Upgrade is not allowed/],
    ['Content-Length: 0', /-H Content-Length is not allowed/],
    // Values: printable ASCII only, so every hop reads the same header (exit 2, not 7 "is it reachable").
    ['X-Name: \u00e9', /bad header "X-Name": the value may contain only printable ASCII/],
    ['X-Name: \u65e5\u672c', /only printable ASCII/],
    ['X-Esc: a\u001b[2Jb', /only printable ASCII/],
    ['X-Del: a\u007fb', /only printable ASCII/],
    ['X-C1: a\u0085b', /only printable ASCII/],
    ['X-Vt: a\u000bb', /only printable ASCII/],
    ['X-Cr: a\rb', /may not contain line breaks/],
    ['X-Lf: a\nX-Evil: b', /may not contain line breaks/],
    ['__proto__: x', /that name is refused/],
    ['Constructor: x', /that name is refused/],
  ]
  for (const [line, pattern] of bad) {
    it(`rejects ${JSON.stringify(line)} with exit 2`, () => {
      assert.throws(
        () => parseHeaders([line]),
        (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage && pattern.test(error.message),
      )
    })
  }

  it('keeps tabs, printable ASCII and headers that only resemble the refused ones', () => {
    const headers = parseHeaders(['X-Tab: a\tb', 'X-Host: evil.example', 'Hostname: x', 'X-Proxy: y', 'Content-Type: text/plain', 'X-Punct: !~"{}'])
    assert.equal(headers.get('x-tab'), 'a\tb')
    assert.equal(headers.get('x-host'), 'evil.example')
    assert.equal(headers.get('hostname'), 'x')
    assert.equal(headers.get('x-proxy'), 'y')
    assert.equal(headers.get('content-type'), 'text/plain')
    assert.equal(headers.get('x-punct'), '!~"{}')
  })

  it('--content-type is held to the same rule (exit 2)', () => {
    for (const flag of ['text/plain; charset=\u00e9', 'a\r\nX-Evil: 1', 'a\u001b[2J']) {
      assert.throws(
        () => chooseContentType(parseHeaders([]), flag, 'application/json'),
        (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage && /--content-type may contain only printable ASCII/.test(error.message),
      )
    }
    const headers = parseHeaders([])
    chooseContentType(headers, 'application/merge-patch+json', 'application/json')
    assert.equal(headers.get('content-type'), 'application/merge-patch+json')
  })
})
