// The D-Bus marshalling the pure-JS Secret Service reader uses, byte for byte, for the signatures it sends
// and receives (Hello, OpenSession "sv" -> "vo", SearchItems "a{ss}" -> "aoao", GetSecrets "aoo" ->
// "a{o(oayays)}"), and the bus addresses it accepts.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {socketPathOf, UnsupportedBusAddressError} from '../../src/store/dbus-address.js'
import {decodeMessage, encodeMethodCall, messageLength} from '../../src/store/dbus-message.js'
import {DbusReader, DbusWireError, DbusWriter, splitSignature} from '../../src/store/dbus-wire.js'
import type {DbusValue} from '../../src/store/dbus-wire.js'

function hexOf(signature: string, values: DbusValue[]): string {
  const writer = new DbusWriter()
  writer.write(signature, values)
  return writer.toBuffer().toString('hex')
}

describe('D-Bus marshalling (little-endian)', () => {
  it('a{ss} after a byte: array length, 8-byte alignment of dict entries, 4-byte alignment of strings', () => {
    assert.equal(hexOf('ya{ss}', [1, [['a', 'b']]]), '01000000' + '0e000000' + '01000000' + '6100' + '0000' + '01000000' + '6200')
  })

  it('sv with an ay variant (OpenSession input): signature, then the array aligned to 4', () => {
    assert.equal(hexOf('sv', ['dh', {signature: 'ay', value: Buffer.from([1, 2, 3])}]), '02000000' + '646800' + '02' + '6179' + '00' + '00' + '03000000' + '010203')
  })

  it('aoo (GetSecrets arguments)', () => {
    assert.equal(hexOf('aoo', [['/a'], '/s']), '07000000' + '02000000' + '2f6100' + '00' + '02000000' + '2f7300')
  })

  it('reads back what it writes, for every signature the reader receives', () => {
    const cases: [string, DbusValue[]][] = [
      ['vo', [{signature: 'ay', value: Buffer.from([9, 8, 7])}, '/org/freedesktop/secrets/session/1']],
      ['aoao', [['/o/1', '/o/2'], []]],
      ['a{o(oayays)}', [[['/item/1', ['/session/1', Buffer.alloc(16, 1), Buffer.alloc(32, 2), 'text/plain; charset=utf8']]]]],
      ['a{ss}', [[['service', 'oauthctl'], ['username', 'ключ ✓']]]],
      ['s', ['']],
      ['ay', [Buffer.alloc(0)]],
      ['ybui', [255, true, 4294967295, -2]],
    ]
    for (const [signature, values] of cases) {
      const writer = new DbusWriter()
      writer.write(signature, values)
      assert.deepEqual(new DbusReader(writer.toBuffer(), true).read(signature), values, signature)
    }
  })

  it('reads big-endian values too', () => {
    assert.deepEqual(new DbusReader(Buffer.from('000000026869000000000003', 'hex'), false).read('su'), ['hi', 3])
  })

  it('splits signatures into complete types and refuses malformed or unsupported ones', () => {
    assert.deepEqual(splitSignature('a{o(oayays)}aoo'), ['a{o(oayays)}', 'ao', 'o'])
    assert.deepEqual(splitSignature(''), [])
    for (const bad of ['a{ss', '(s', 'a', 'z', 'm']) assert.throws(() => splitSignature(bad), DbusWireError, bad)
  })

  it('refuses truncated values, variants of several types and absurd nesting', () => {
    assert.throws(() => new DbusReader(Buffer.from('05000000616263', 'hex'), true).read('s'), DbusWireError)
    assert.throws(() => new DbusReader(Buffer.from('ffffff7f', 'hex'), true).read('ay'), DbusWireError)
    assert.throws(() => new DbusReader(Buffer.from('027373000000000000', 'hex'), true).read('v'), DbusWireError)
    const deep = Buffer.alloc(40 * 2)
    for (let index = 0; index < 40; index++) deep.write('0176', index * 2, 'hex')
    assert.throws(() => new DbusReader(deep, true).read('v'), DbusWireError)
  })
})

describe('D-Bus messages', () => {
  it('encodes Hello as the specification lays out a method call, and decodes it back', () => {
    const message = encodeMethodCall({destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello'}, 1)
    // 'l' little-endian, type 1 (method call), no flags, version 1, empty body, serial 1.
    assert.equal(message.subarray(0, 12).toString('hex'), '6c010001' + '00000000' + '01000000')
    assert.equal(message.length % 8, 0)
    assert.equal(messageLength(message), message.length)
    assert.equal(messageLength(message.subarray(0, message.length - 1)), undefined)
    assert.equal(messageLength(message.subarray(0, 10)), undefined)
    const decoded = decodeMessage(message)
    assert.deepEqual(
      {type: decoded.type, serial: decoded.serial, path: decoded.path, interface: decoded.interface, member: decoded.member, signature: decoded.signature, body: decoded.body},
      {type: 1, serial: 1, path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello', signature: '', body: []},
    )
  })

  it('carries the body signature in the header', () => {
    const decoded = decodeMessage(encodeMethodCall({destination: 'd', path: '/p', interface: 'i.f', member: 'SearchItems', signature: 'a{ss}', body: [[['k', 'v']]]}, 7))
    assert.equal(decoded.signature, 'a{ss}')
    assert.deepEqual(decoded.body, [[['k', 'v']]])
  })

  it('refuses a bad endianness mark', () => {
    const message = encodeMethodCall({destination: 'd', path: '/p', interface: 'i.f', member: 'M'}, 1)
    message[0] = 0x78
    assert.throws(() => messageLength(message), DbusWireError)
  })
})

describe('bus addresses the reader speaks', () => {
  it('one unix:path= or unix:abstract= entry, %-decoded, other keys ignored', () => {
    assert.equal(socketPathOf('unix:path=/run/user/1000/bus'), '/run/user/1000/bus')
    assert.equal(socketPathOf('unix:path=/tmp/a%20b,guid=0123'), '/tmp/a b')
    if (process.platform === 'linux') assert.equal(socketPathOf('unix:abstract=/tmp/dbus-x,guid=abc'), '\0/tmp/dbus-x')
  })

  it('anything else is left to the native keyring', () => {
    for (const address of ['', 'tcp:host=localhost,port=1', 'unix:tmpdir=/tmp', 'unix:path=/a;unix:path=/b', 'unix:path=/a,abstract=b', 'unix:path=%zz', 'unix:path', 'autolaunch:']) {
      assert.throws(() => socketPathOf(address), UnsupportedBusAddressError, address)
    }
  })
})
