import assert from 'node:assert/strict'
import {PassThrough} from 'node:stream'
import {describe, it} from 'node:test'
import {ApiError, AuthorizationError} from '../../src/errors.js'
import {createIO} from '../../src/io.js'
import {reportError} from '../../src/report-error.js'
import {toTerminalText} from '../../src/util/terminal-text.js'

/** Every character a terminal acts on, except tab and line feed. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

function captureIO() {
  const err = new PassThrough()
  let stderr = ''
  err.on('data', (chunk) => (stderr += chunk))
  const io = createIO(new PassThrough(), err, new PassThrough(), {stdoutIsTTY: false, stderrIsTTY: true, stdinIsTTY: false})
  return {io, stderr: () => stderr}
}

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007'

describe('toTerminalText: control characters are written out, never obeyed', () => {
  const cases: Array<[string, string, string]> = [
    ['clear screen and retitle (CSI, OSC, BEL)', `bad${HOSTILE}end`, 'bad\\x1b[2J\\x1b]0;pwned\\x07end'],
    ['OSC 52 clipboard write ended by ST', '\u001b]52;c;ZWNobyBwd25lZA==\u001b\\', '\\x1b]52;c;ZWNobyBwd25lZA==\\x1b\\'],
    ['carriage return overwriting the line', 'ok\rFAKE', 'ok\\x0dFAKE'],
    ['backspaces, NUL, DEL', 'a\b\b\u0000\u007f', 'a\\x08\\x08\\x00\\x7f'],
    ['a one-character C1 CSI', '\u009b2J', '\\x9b2J'],
    ['bidi override (Trojan Source)', 'user\u202egnp.exe', 'user\\u202egnp.exe'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const output = toTerminalText(input)
      assert.equal(output, expected)
      assert.ok(!RAW_CONTROL.test(output))
    })
  }

  it('keeps line feeds, tabs, CRLF as a line feed, and all printable text (accents, emoji, QR blocks)', () => {
    assert.equal(toTerminalText('a\tb\nc\r\nd'), 'a\tb\nc\nd')
    const printable = 'Émilie 日本 😀 █▀▄ https://x.example/?a=b&c=%1B'
    assert.equal(toTerminalText(printable), printable)
  })
})

describe('every human line on stderr is escaped where it is written', () => {
  it('io.say and io.warn', () => {
    const {io, stderr} = captureIO()
    io.say(`Logged in as Eve${HOSTILE}`)
    io.warn(`the server said ${HOSTILE}`)
    assert.equal(stderr(), 'Logged in as Eve\\x1b[2J\\x1b]0;pwned\\x07\nwarning: the server said \\x1b[2J\\x1b]0;pwned\\x07\n')
  })

  it('a token endpoint error_description reported by reportError (exit 5)', () => {
    const {io, stderr} = captureIO()
    const error = new AuthorizationError(`the provider refused the code exchange: invalid_grant (${HOSTILE})`, {hint: `hint ${HOSTILE}`})
    assert.equal(reportError(error, io, false), 5)
    assert.ok(!RAW_CONTROL.test(stderr()), JSON.stringify(stderr()))
    assert.match(stderr(), /invalid_grant \(\\x1b\[2J\\x1b\]0;pwned\\x07\)/)
  })

  it('an HTTP status text with control characters (exit 7)', () => {
    const {io, stderr} = captureIO()
    assert.equal(reportError(new ApiError(502, `Bad${HOSTILE}\u009b31m\rGateway`), io, false), 7)
    assert.equal(stderr(), 'error: HTTP 502 Bad\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\x0dGateway\n')
  })

  it('stdout data is never touched', () => {
    const out = new PassThrough()
    let stdout = ''
    out.on('data', (chunk) => (stdout += chunk))
    const io = createIO(out, new PassThrough(), new PassThrough(), {stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false})
    io.out(`{"name":"${HOSTILE}"}`)
    assert.equal(stdout, `{"name":"${HOSTILE}"}`)
  })
})
