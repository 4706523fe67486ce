import assert from 'node:assert/strict'
import {Writable} from 'node:stream'
import {describe, it} from 'node:test'
import {formatJson} from '../../src/http/json-text.js'
import {ResponsePrinter, writeOut, type OutputMode} from '../../src/http/output.js'
import {colorEnabled} from '../../src/io.js'
import {captureIO} from './helpers.js'

const ESC = '\u001b['
const pipe: OutputMode = {include: false, silent: false, pretty: false, color: false}

function printer(mode: Partial<OutputMode> = {}) {
  const captured = captureIO({tty: Boolean(mode.pretty)})
  return {...captured, printer: new ResponsePrinter(captured.io, {...pipe, ...mode})}
}

function response(body: string | Uint8Array | null, init: ResponseInit = {}): Response {
  return new Response(body, {status: 200, headers: {'content-type': 'application/json'}, ...init})
}

/** A body delivered in several chunks, as a network response is. */
function chunked(parts: string[]): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part))
      controller.close()
    },
  })
  return new Response(stream, {status: 200})
}

describe('formatJson', () => {
  it('lays out like JSON.stringify(value, null, 2)', () => {
    const value = {a: 1, b: [true, false, null, {c: 'x'}], d: {}, e: [], f: {g: [[]], h: 'é \\ "'}, i: -0.5}
    assert.equal(formatJson(JSON.stringify(value)), JSON.stringify(value, null, 2))
    assert.equal(formatJson(' [ ] '), '[]')
    assert.equal(formatJson('"s"'), '"s"')
  })

  it('keeps every scalar token as the API wrote it', () => {
    assert.equal(formatJson('{"id":12345678901234567890,"x":1.50,"u":"\\u00e9"}'), '{\n  "id": 12345678901234567890,\n  "x": 1.50,\n  "u": "\\u00e9"\n}')
  })

  it('colours keys, strings, numbers, booleans and null differently', () => {
    const painted = formatJson('{"k":"v","n":1,"b":true,"z":null}', {
      key: (t) => `K(${t})`,
      string: (t) => `S(${t})`,
      number: (t) => `N(${t})`,
      boolean: (t) => `B(${t})`,
      null: (t) => `Z(${t})`,
    })
    assert.equal(painted, '{\n  K("k"): S("v"),\n  K("n"): N(1),\n  K("b"): B(true),\n  K("z"): Z(null)\n}')
  })
})

describe('ResponsePrinter', () => {
  it('piped: the body byte for byte, nothing added, binary included', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0x0d])
    const p = printer()
    await p.printer.body(response(bytes), {keep: false, page: false})
    assert.deepEqual(p.stdoutBytes(), bytes)
    const q = printer()
    await q.printer.body(chunked(['{"a":', ' 1}']), {keep: false, page: false})
    assert.equal(q.stdout(), '{"a": 1}')
  })

  it('piped pages: a newline after each page that lacks one, never two', async () => {
    const p = printer()
    await p.printer.body(chunked(['{"page":', '1}']), {keep: false, page: true})
    await p.printer.body(response('{"page":2}\n'), {keep: false, page: true})
    await p.printer.body(response(''), {keep: false, page: true})
    assert.equal(p.stdout(), '{"page":1}\n{"page":2}\n')
  })

  it('keep returns the bytes it wrote (for next-page links)', async () => {
    const p = printer()
    const kept = await p.printer.body(chunked(['ab', 'cd']), {keep: true, page: true})
    assert.equal(kept?.toString(), 'abcd')
    assert.equal(p.stdout(), 'abcd\n')
  })

  it('terminal: JSON pretty-printed and coloured; other bodies unchanged', async () => {
    const p = printer({pretty: true, color: true})
    await p.printer.body(response('{"a":[1,"x"]}'), {keep: false, page: false})
    assert.ok(p.stdout().includes(ESC), 'coloured')
    assert.equal(p.stdout().replace(/\u001b\[[\d;]*m/g, ''), '{\n  "a": [\n    1,\n    "x"\n  ]\n}\n')
    const text = printer({pretty: true, color: true})
    await text.printer.body(response('plain text, no newline', {headers: {'content-type': 'text/plain'}}), {keep: false, page: false})
    assert.equal(text.stdout(), 'plain text, no newline')
  })

  it('terminal with NO_COLOR: pretty-printed, no escape codes', async () => {
    const captured = captureIO({tty: true})
    assert.equal(colorEnabled(captured.io, {NO_COLOR: '1'}, 'stdout'), false)
    assert.equal(colorEnabled(captured.io, {}, 'stdout'), true)
    const p = new ResponsePrinter(captured.io, {...pipe, pretty: true, color: colorEnabled(captured.io, {NO_COLOR: '1'}, 'stdout')})
    await p.body(response('{"a":1}'), {keep: false, page: false})
    assert.equal(captured.stdout(), '{\n  "a": 1\n}\n')
  })

  it('--include: status line, headers, empty line (CRLF), then the body', async () => {
    const p = printer({include: true})
    const r = response('{"x":1}', {status: 201, statusText: 'Created', headers: {'content-type': 'application/json', 'x-id': '7'}})
    await p.printer.head(r)
    await p.printer.body(r, {keep: false, page: false})
    assert.equal(p.stdout(), 'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nx-id: 7\r\n\r\n{"x":1}')
  })

  it('--silent: nothing at all, even with --include; the body is still available to pagination', async () => {
    const p = printer({silent: true, include: true})
    const r = response('{"x":1}')
    await p.printer.head(r)
    const kept = await p.printer.body(r, {keep: true, page: true})
    await p.printer.body(response('{"y":2}'), {keep: false, page: false})
    assert.equal(p.stdout(), '')
    assert.equal(kept?.toString(), '{"x":1}')
  })

  it('--slurp writer: one array, compact when piped, indented on a terminal', async () => {
    const p = printer()
    const slurp = p.printer.slurp()
    await slurp.add(['{"id":1}', '{"id":2}'])
    await slurp.add([])
    await slurp.add(['3'])
    await slurp.close(true)
    assert.equal(p.stdout(), '[{"id":1},{"id":2},3]\n')
    const t = printer({pretty: true})
    const pretty = t.printer.slurp()
    await pretty.add(['{"id":1}', '[2]'])
    await pretty.close(true)
    assert.equal(t.stdout(), '[\n  {\n    "id": 1\n  },\n  [\n    2\n  ]\n]\n')
    assert.deepEqual(JSON.parse(t.stdout()), [{id: 1}, [2]])
  })

  it('--slurp writer: [] for no items, nothing when the first page failed, closed once', async () => {
    const empty = printer()
    const a = empty.printer.slurp()
    await a.add([])
    await a.close(true)
    await a.close(true)
    assert.equal(empty.stdout(), '[]\n')
    const failed = printer()
    await failed.printer.slurp().close(false)
    assert.equal(failed.stdout(), '')
  })
})

describe('writeOut (backpressure)', () => {
  it('waits for drain when the stream buffer is full', async () => {
    const release: Array<() => void> = []
    const slow = new Writable({
      highWaterMark: 4,
      write(_chunk, _encoding, callback) {
        release.push(callback)
      },
    })
    await writeOut(slow, 'ab')
    let done = false
    const pending = writeOut(slow, 'cdefgh').then(() => (done = true))
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(done, false, 'still waiting while the reader is slow')
    while (release.length > 0) release.shift()?.()
    await pending
    assert.equal(done, true)
  })
})
