// The unix socket the D-Bus client speaks over: Node's pipe handle with write(2) (DescriptorSocket) and the
// node:net fallback behave alike: bytes both ways in order, the peer's end, a refused connection, closing.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {connectUnixSocket, DescriptorSocket, pipeBindings, type ByteSocket} from '../../src/store/unix-socket.js'

const onLinux = process.platform === 'linux'
let dir: string
let path: string
let server: Server
const peers: Socket[] = []

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauthctl-unix-socket-'))
  path = join(dir, 'socket')
  // An echo server that upper-cases ASCII letters, and ends the connection when it reads "bye".
  server = createServer((peer) => {
    peers.push(peer)
    peer.on('data', (chunk: Buffer) => {
      peer.write(chunk.map((byte) => (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte)))
      if (chunk.includes('bye')) peer.end()
    })
    peer.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(path, resolve))
})

after(async () => {
  for (const peer of peers) peer.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(dir, {recursive: true, force: true})
})

/** Everything the socket receives until its end, and the end's message. */
function collect(socket: ByteSocket): Promise<{received: string; end: string}> {
  return new Promise((resolve) => {
    let received = ''
    socket.start(
      (chunk) => (received += chunk.toString('latin1')),
      (error) => resolve({received, end: error.message}),
    )
  })
}

const kinds: [string, (path: string) => ByteSocket][] = [
  ['node:net', (to) => connectUnixSocket(to, {NODE_PENDING_DEPRECATION: '1'})],
  ...(onLinux ? ([['the pipe handle', (to: string) => connectUnixSocket(to, {})]] as [string, (path: string) => ByteSocket][]) : []),
]

for (const [name, connect] of kinds) {
  describe(`a unix socket over ${name}`, () => {
    it('carries bytes both ways, in order, written before the connection is even reported', async () => {
      const socket = connect(path)
      assert.equal(socket.kind, name === 'node:net' ? 'net' : 'descriptor')
      const done = collect(socket)
      socket.write(Buffer.from('one '))
      socket.write(Buffer.from([0x74, 0x77, 0x6f, 0x20, 0x00, 0xff]))
      await new Promise((resolve) => setTimeout(resolve, 50))
      socket.write(Buffer.from('bye'))
      const {received, end} = await done
      assert.equal(received, 'ONE TWO \u0000\u00ffBYE')
      assert.equal(end, 'the connection closed')
    })

    it('reports a socket nobody listens on as the end of the connection, not an exception later', async () => {
      // Neither kind throws here: the refusal comes as the end of the connection.
      const socket = connect(join(dir, 'nobody'))
      const done = collect(socket)
      try {
        socket.write(Buffer.from('x'))
      } catch {
        // The descriptor socket's write(2) fails at once (ENOTCONN): the D-Bus client fails the connection.
      }
      const {received, end} = await done
      assert.equal(received, '')
      assert.notEqual(end, '')
      socket.destroy()
    })

    it('close() ends the connection and stops reporting; nothing keeps the process alive', async () => {
      const socket = connect(path)
      const ends: string[] = []
      socket.start(
        () => {},
        (error) => ends.push(error.message),
      )
      socket.write(Buffer.from('hello'))
      socket.close()
      socket.close()
      await new Promise((resolve) => setTimeout(resolve, 30))
      assert.ok(ends.length <= 1, `onEnd called ${ends.length} times`)
    })
  })
}

describe('the pipe handle', {skip: !onLinux && 'Linux only'}, () => {
  it('is what Node 20 serves through process.binding, and is declined when pending deprecations are reported', () => {
    assert.ok(pipeBindings({}), 'pipe_wrap and stream_wrap as this file expects them')
    assert.equal(pipeBindings({NODE_PENDING_DEPRECATION: '1'}), undefined)
    assert.equal(pipeBindings({NODE_OPTIONS: '--pending-deprecation'}), undefined)
  })

  it('reaches an abstract socket (\\0name), as `unix:abstract=` bus addresses need', async () => {
    const name = `oauthctl-test-${process.pid}-${Date.now()}`
    const abstract = createServer((peer) => peer.end('hi'))
    await new Promise<void>((resolve) => abstract.listen(`\0${name}`, resolve))
    try {
      const {received} = await collect(new DescriptorSocket(`\0${name}`, pipeBindings({})!))
      assert.equal(received, 'hi')
    } finally {
      await new Promise<void>((resolve) => abstract.close(() => resolve()))
    }
  })

  it('a process that closed its socket exits at once, and one that did not is not held by it after close', async () => {
    const script = `
      const {connectUnixSocket} = await import(${JSON.stringify(new URL('../../src/store/unix-socket.ts', import.meta.url).href)})
      const socket = connectUnixSocket(${JSON.stringify(path)}, {})
      socket.start(() => socket.close(), () => {})
      socket.write(Buffer.from('ping'))
    `
    const started = Date.now()
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: 'ignore', timeout: 20_000})
      child.on('close', resolve)
    })
    assert.equal(status, 0)
    assert.ok(Date.now() - started < 15_000)
  })
})
