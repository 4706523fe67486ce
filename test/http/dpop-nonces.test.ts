// DPoP nonces kept between processes (src/http/dpop-nonces.ts): written only when they change, read as
// hostile input, never through a symbolic link, at most 32 origins.
import assert from 'node:assert/strict'
import {lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {DPoPNonceFile} from '../../src/http/dpop-nonces.js'

const root = mkdtempSync(join(tmpdir(), 'oauthctl-nonces-'))
after(() => rmSync(root, {recursive: true, force: true}))
let count = 0
const freshDir = (): string => mkdtempSync(join(root, `case-${++count}-`))

describe('DPoPNonceFile', () => {
  it('keeps a nonce per origin for the next process, in a 0600 file written only when a nonce changes', () => {
    const dir = freshDir()
    new DPoPNonceFile(dir).set('https://api.example', 'n1', 1000)
    const file = join(dir, 'dpop-nonces.json')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const written = statSync(file).mtimeMs
    const next = new DPoPNonceFile(dir)
    assert.equal(next.get('https://api.example'), 'n1')
    assert.equal(next.get('https://other.example'), undefined)
    next.set('https://api.example', 'n1', 2000)
    assert.equal(statSync(file).mtimeMs, written, 'the same nonce is not written again')
    next.set('https://api.example', 'n2', 3000)
    assert.equal(new DPoPNonceFile(dir).get('https://api.example'), 'n2')
  })

  it('refuses what is not a nonce (RFC 9449 §8.1 NQCHAR) and keeps the 32 most recent origins', () => {
    const dir = freshDir()
    const nonces = new DPoPNonceFile(dir)
    for (const bad of ['', 'has space', 'quote"', 'back\\slash', 'x'.repeat(1025), 'ünicode']) nonces.set('https://api.example', bad, 1)
    assert.equal(nonces.get('https://api.example'), undefined)
    for (let i = 0; i < 40; i++) nonces.set(`https://api${i}.example`, `n${i}`, 1000 + i)
    const kept = Object.keys(JSON.parse(readFileSync(join(dir, 'dpop-nonces.json'), 'utf8')).nonces)
    assert.equal(kept.length, 32)
    assert.ok(kept.includes('https://api39.example') && !kept.includes('https://api0.example'))
  })

  it('ignores a hostile or broken file whole or entry by entry, and never follows a link', () => {
    const cases: [string, Record<string, string | undefined>][] = [
      ['not json', {'https://a.example': undefined}],
      ['{"version":2,"nonces":{"https://a.example":{"nonce":"n","at":1}}}', {'https://a.example': undefined}],
      [
        '{"version":1,"nonces":{"__proto__":{"nonce":"p","at":1},"https://a.example":{"nonce":"ok","at":1},"https://b.example":{"nonce":"bad nonce","at":1},"javascript:x":{"nonce":"n","at":1},"https://c.example":{"nonce":"n","at":"soon"}}}',
        {'https://a.example': 'ok', 'https://b.example': undefined, 'javascript:x': undefined, 'https://c.example': undefined, __proto__: undefined},
      ],
      [`{"version":1,"nonces":{"https://a.example":{"nonce":"${'x'.repeat(70_000)}","at":1}}}`, {'https://a.example': undefined}],
    ]
    for (const [content, expected] of cases) {
      const dir = freshDir()
      writeFileSync(join(dir, 'dpop-nonces.json'), content, {mode: 0o600})
      const nonces = new DPoPNonceFile(dir)
      for (const [origin, nonce] of Object.entries(expected)) assert.equal(nonces.get(origin), nonce, `${content.slice(0, 40)}: ${origin}`)
      assert.equal(({} as Record<string, unknown>).nonce, undefined)
    }
    const dir = freshDir()
    const target = join(dir, 'elsewhere.json')
    writeFileSync(target, JSON.stringify({version: 1, nonces: {'https://a.example': {nonce: 'linked', at: 1}}}))
    symlinkSync(target, join(dir, 'dpop-nonces.json'))
    const linked = new DPoPNonceFile(dir)
    assert.equal(linked.get('https://a.example'), undefined)
    linked.set('https://a.example', 'fresh', 5)
    assert.equal(JSON.parse(readFileSync(target, 'utf8')).nonces['https://a.example'].nonce, 'linked', 'the link target is untouched')
    assert.equal(lstatSync(join(dir, 'dpop-nonces.json')).isSymbolicLink(), true)
  })
})
