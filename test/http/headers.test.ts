import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, UsageError} from '../../src/errors.js'
import {parseHeaders} from '../../src/http/headers.js'

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
  ]
  for (const [line, pattern] of bad) {
    it(`rejects ${JSON.stringify(line)} with exit 2`, () => {
      assert.throws(
        () => parseHeaders([line]),
        (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage && pattern.test(error.message),
      )
    })
  }
})
