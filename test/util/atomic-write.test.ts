import assert from 'node:assert/strict'
import {chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, test} from 'node:test'

import {ensurePrivateDir, ensurePrivateDirSync, writeFileAtomic, writeFileAtomicSync} from '../../src/util/atomic-write.js'
import {UnsafeStatePathError} from '../../src/util/state-path.js'

const posix = process.platform !== 'win32'
const modeOf = (path: string) => statSync(path).mode & 0o777

describe('writeFileAtomic', () => {
  let dir: string
  let previousUmask: number
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-atomic-'))
    // A permissive umask must not widen the file, a strict one must not narrow an explicit mode.
    previousUmask = process.umask(0o000)
  })
  afterEach(() => {
    process.umask(previousUmask)
    rmSync(dir, {recursive: true, force: true})
  })

  for (const [name, write] of [
    ['async', writeFileAtomic],
    ['sync', async (...args: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...args)],
  ] as const) {
    test(`${name}: creates the file with mode 0600 by default and leaves no temp file`, async () => {
      const target = join(dir, 'secrets.json')
      await write(target, '{"a":1}')
      assert.equal(readFileSync(target, 'utf8'), '{"a":1}')
      if (posix) assert.equal(modeOf(target), 0o600)
      assert.deepEqual(readdirSync(dir), ['secrets.json'])
    })

    test(`${name}: replaces existing contents and tightens an existing file's mode`, async () => {
      const target = join(dir, 'secrets.json')
      writeFileSync(target, 'old contents that are longer than the new ones')
      chmodSync(target, 0o644)
      await write(target, 'new')
      assert.equal(readFileSync(target, 'utf8'), 'new')
      if (posix) assert.equal(modeOf(target), 0o600)
      assert.deepEqual(readdirSync(dir), ['secrets.json'])
    })

    test(`${name}: applies an explicit mode exactly, whatever the umask`, {skip: !posix && 'POSIX modes only'}, async () => {
      process.umask(0o077)
      const target = join(dir, 'public.txt')
      await write(target, 'x', {mode: 0o644})
      assert.equal(modeOf(target), 0o644)
    })

    test(`${name}: writes bytes as well as strings`, async () => {
      const target = join(dir, 'bytes.bin')
      await write(target, new Uint8Array([0, 1, 2, 255]))
      assert.deepEqual([...readFileSync(target)], [0, 1, 2, 255])
    })

    test(`${name}: on failure leaves the target untouched and removes the temp file`, async () => {
      // Renaming a file over a non-empty directory fails on every platform.
      const target = join(dir, 'occupied')
      mkdirSync(target)
      writeFileSync(join(target, 'keep'), 'keep')
      await assert.rejects(write(target, 'data'))
      assert.deepEqual(readdirSync(dir), ['occupied'])
      assert.deepEqual(readdirSync(target), ['keep'])
    })

    test(`${name}: fails cleanly when the directory does not exist`, async () => {
      await assert.rejects(write(join(dir, 'missing', 'file'), 'data'), {code: 'ENOENT'})
      assert.deepEqual(readdirSync(dir), [])
    })
  }

  test('concurrent writers never leave a torn file', async () => {
    const target = join(dir, 'race.json')
    const payloads = Array.from({length: 20}, (_, i) => JSON.stringify({writer: i, pad: 'x'.repeat(10_000 + i)}))
    await Promise.all(payloads.map((payload) => writeFileAtomic(target, payload)))
    assert.ok(payloads.includes(readFileSync(target, 'utf8')))
    assert.deepEqual(readdirSync(dir), ['race.json'])
  })
})

describe('ensurePrivateDir', {skip: !posix && 'POSIX modes only'}, () => {
  let dir: string
  let previousUmask: number
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-privdir-'))
    previousUmask = process.umask(0o022)
  })
  afterEach(() => {
    process.umask(previousUmask)
    rmSync(dir, {recursive: true, force: true})
  })

  for (const [name, ensure] of [
    ['async', ensurePrivateDir],
    ['sync', async (path: string) => ensurePrivateDirSync(path)],
  ] as const) {
    test(`${name}: creates missing directories with mode 0700`, async () => {
      const path = join(dir, 'a', 'b')
      await ensure(path)
      assert.equal(modeOf(path), 0o700)
    })

    test(`${name}: tightens an existing directory to 0700`, async () => {
      const path = join(dir, 'wide')
      mkdirSync(path, {mode: 0o755})
      chmodSync(path, 0o755)
      await ensure(path)
      assert.equal(modeOf(path), 0o700)
    })

    test(`${name}: is a no-op on a directory that is already private`, async () => {
      const path = join(dir, 'fine')
      mkdirSync(path, {mode: 0o700})
      await ensure(path)
      await ensure(path)
      assert.equal(modeOf(path), 0o700)
    })
  }
})

describe('state paths are never followed through a symbolic link', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-links-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  /** Someone else's directory: as root, a fresh one given to `nobody`; otherwise `/`, which belongs to root. */
  function foreignDir(): string {
    if (process.getuid?.() !== 0) return '/'
    const path = join(dir, 'theirs')
    mkdirSync(path, {mode: 0o755})
    chownSync(path, 65534, 65534)
    return path
  }

  for (const [name, write] of [
    ['async', writeFileAtomic],
    ['sync', async (...args: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...args)],
  ] as const) {
    test(`${name}: a symlink at the target is refused; neither the link nor its target change`, async () => {
      const target = join(dir, 'target.json')
      writeFileSync(target, 'theirs')
      chmodSync(target, 0o644)
      const link = join(dir, 'config.json')
      symlinkSync(target, link)
      await assert.rejects(write(link, 'ours'), (error: unknown) => {
        assert.ok(error instanceof UnsafeStatePathError)
        assert.equal(error.problem, 'symlink')
        assert.equal(error.message, `${link} is a symbolic link, and oauthctl does not follow links in its state directory`)
        return true
      })
      assert.equal(readFileSync(target, 'utf8'), 'theirs')
      assert.equal(modeOf(target), 0o644)
      assert.equal(readlinkSync(link), target)
      assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'target.json'])
    })

    test(`${name}: a dangling symlink at the target is refused and nothing is created through it`, async () => {
      const link = join(dir, 'config.json')
      symlinkSync(join(dir, 'created-through-link'), link)
      await assert.rejects(write(link, 'ours'), UnsafeStatePathError)
      assert.deepEqual(readdirSync(dir), ['config.json'])
    })
  }

  for (const [name, ensure] of [
    ['async', ensurePrivateDir],
    ['sync', async (path: string) => ensurePrivateDirSync(path)],
  ] as const) {
    test(`${name}: a symlinked directory is refused and its target is not chmod-ed`, async () => {
      const target = join(dir, 'elsewhere')
      mkdirSync(target)
      chmodSync(target, 0o755)
      symlinkSync(target, join(dir, 'tokens'))
      await assert.rejects(ensure(join(dir, 'tokens')), (error: unknown) => error instanceof UnsafeStatePathError && error.problem === 'symlink')
      assert.equal(modeOf(target), 0o755)
    })

    test(`${name}: a dangling symlink where the directory should be is refused, nothing is created`, async () => {
      symlinkSync(join(dir, 'nowhere'), join(dir, 'locks'))
      await assert.rejects(ensure(join(dir, 'locks')), UnsafeStatePathError)
      assert.deepEqual(readdirSync(dir), ['locks'])
    })

    test(`${name}: a file where the directory should be is refused`, async () => {
      writeFileSync(join(dir, 'locks'), '')
      await assert.rejects(ensure(join(dir, 'locks')), (error: unknown) => error instanceof UnsafeStatePathError && error.problem === 'not-a-directory')
    })

    test(`${name}: a directory of another user is refused before any chmod (no EPERM stack)`, async () => {
      const theirs = foreignDir()
      const before = statSync(theirs).mode
      await assert.rejects(ensure(theirs), (error: unknown) => {
        assert.ok(error instanceof UnsafeStatePathError)
        assert.equal(error.problem, 'foreign-owner')
        assert.match(error.message, /belongs to another user \(uid \d+, you are uid \d+\)$/)
        return true
      })
      assert.equal(statSync(theirs).mode, before)
    })
  }
})
