// stdout on Linux without building process.stdout (src/io.ts): what is written arrives whole and in order,
// a full non-blocking pipe hands over to the real stream, a reader that went away is reported as the
// stream's 'error' (EPIPE), and only a terminal counts as one.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {after, describe, it} from 'node:test'
import {DescriptorStdout, stdoutIsTerminal} from '../../src/io.js'

const linux = process.platform === 'linux'
const dir = mkdtempSync(join(tmpdir(), 'oauthctl-io-'))
after(() => rmSync(dir, {recursive: true, force: true}))
let count = 0

/** A FIFO whose read end is open (never read unless asked) and whose write end is non-blocking. */
function fifo(): {reader: number; writer: number; close(): void} {
  const path = join(dir, `fifo-${++count}`)
  execFileSync('mkfifo', [path])
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)
  return {reader, writer, close: () => [reader, writer].forEach((fd) => closeSync(fd))}
}

function drain(fd: number): Buffer {
  const chunks: Buffer[] = []
  const buffer = Buffer.alloc(1 << 16)
  for (;;) {
    let n: number
    try {
      n = readSync(fd, buffer)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break
      throw error
    }
    if (n === 0) break
    chunks.push(Buffer.from(buffer.subarray(0, n)))
  }
  return Buffer.concat(chunks)
}

describe('DescriptorStdout', {skip: !linux && 'Linux only (elsewhere oauthctl uses process.stdout)'}, () => {
  it('writes strings (as UTF-8) and bytes to the descriptor, in order, without the stream', () => {
    const path = join(dir, 'out.txt')
    const fd = openSync(path, 'w')
    let built = 0
    const out = new DescriptorStdout(fd, () => {
      built++
      return new PassThrough()
    })
    assert.equal(out.write('héllo '), true)
    assert.equal(out.write(new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64])), true)
    closeSync(fd)
    assert.equal(readFileSync(path, 'utf8'), 'héllo world')
    assert.equal(built, 0)
  })

  it('calls a write callback after the bytes are out', async () => {
    const fd = openSync(join(dir, 'cb.txt'), 'w')
    const out = new DescriptorStdout(fd, () => new PassThrough())
    await new Promise<void>((resolve) => out.write('x', () => resolve()))
    closeSync(fd)
  })

  it('a full non-blocking pipe (EAGAIN) hands the rest, and every later write, to the real stream', () => {
    const pipe = fifo()
    const real = new PassThrough({highWaterMark: 1 << 30})
    const out = new DescriptorStdout(pipe.writer, () => real)
    const data = Buffer.alloc(3 << 20)
    for (let i = 0; i < data.length; i++) data[i] = i % 251
    out.write(data)
    out.write('tail')
    const inPipe = drain(pipe.reader)
    const handedOver = real.read() as Buffer
    pipe.close()
    assert.ok(inPipe.length > 0 && inPipe.length < data.length, `pipe took ${inPipe.length}`)
    assert.deepEqual(Buffer.concat([inPipe, handedOver]), Buffer.concat([data, Buffer.from('tail')]))
  })

  it('a reader that went away (EPIPE) is an error event of the real stream, as process.stdout would emit it', () => {
    const pipe = fifo()
    closeSync(pipe.reader)
    const real = new PassThrough()
    const errors: NodeJS.ErrnoException[] = []
    real.on('error', (error) => errors.push(error))
    const out = new DescriptorStdout(pipe.writer, () => real)
    assert.equal(out.write('lost'), false)
    closeSync(pipe.writer)
    assert.deepEqual(
      errors.map((error) => error.code),
      ['EPIPE'],
    )
  })

  it('drain/error/close listeners go to the real stream', () => {
    const real = new PassThrough()
    const out = new DescriptorStdout(openSync('/dev/null', 'w'), () => real)
    const listener = (): void => {}
    out.once('drain', listener)
    assert.equal(real.listenerCount('drain'), 1)
    out.removeListener('drain', listener)
    assert.equal(real.listenerCount('drain'), 0)
  })
})

describe('stdoutIsTerminal', {skip: !linux && 'Linux only'}, () => {
  const never = () => {
    throw new Error('process.stdout was built')
  }
  it('answers no for a file, a pipe and /dev/null without building process.stdout', () => {
    const file = join(dir, 'plain.txt')
    writeFileSync(file, '')
    const fileFd = openSync(file, 'r')
    const pipe = fifo()
    const devNull = openSync('/dev/null', 'w')
    try {
      assert.equal(stdoutIsTerminal(fileFd, never), false)
      assert.equal(stdoutIsTerminal(pipe.writer, never), false)
      assert.equal(stdoutIsTerminal(devNull, never), false)
    } finally {
      closeSync(fileFd)
      closeSync(devNull)
      pipe.close()
    }
  })

  it('asks the stream about any other character device, and about a descriptor fstat cannot read', () => {
    const zero = openSync('/dev/zero', 'r')
    try {
      assert.equal(stdoutIsTerminal(zero, () => ({isTTY: true})), true)
      assert.equal(stdoutIsTerminal(zero, () => ({})), false)
    } finally {
      closeSync(zero)
    }
    assert.equal(stdoutIsTerminal(987654, () => ({isTTY: true})), true)
  })
})
