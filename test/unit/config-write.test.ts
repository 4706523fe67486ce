import assert from 'node:assert/strict'
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'

import {assertWritableConfigDir, readConfig, updateConfig} from '../../src/config.js'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {mountTinyFs} from '../util/tiny-fs.js'

const modeOf = (path: string) => statSync(path).mode & 0o777

function assertConfigError(message: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OauthctlError, `not an OauthctlError: ${(error as Error)?.stack}`)
    assert.equal(error.exitCode, ExitCode.config, error.message)
    assert.match(error.message, message)
    if (hint) assert.match(error.hint ?? '', hint)
    return true
  }
}

describe('config writes never go through a symbolic link', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauthctl-configwrite-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('writes config.json 0600 atomically, readable back, with no temp file left', async () => {
    await updateConfig(dir, (config) => void (config.defaultProvider = 'sandbox'))
    assert.deepEqual(readConfig(dir), {defaultProvider: 'sandbox'})
    assert.equal(modeOf(join(dir, 'config.json')), 0o600)
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'locks'])
  })

  it('a symlinked config.json is refused (exit 3): its target is neither written nor chmod-ed', async () => {
    const target = join(dir, 'elsewhere.json')
    writeFileSync(target, '{}')
    chmodSync(target, 0o644)
    symlinkSync(target, join(dir, 'config.json'))
    await assert.rejects(
      updateConfig(dir, (config) => void (config.defaultProvider = 'evil')),
      assertConfigError(/config\.json: it is a symbolic link, and oauthctl does not follow links/, /Replace the link/),
    )
    assert.equal(readFileSync(target, 'utf8'), '{}')
    assert.equal(modeOf(target), 0o644)
    assert.throws(() => readConfig(dir), assertConfigError(/is a symbolic link/))
  })

  it('a dangling symlink at config.json is refused; nothing is created through it', async () => {
    symlinkSync(join(dir, 'planted.json'), join(dir, 'config.json'))
    await assert.rejects(updateConfig(dir, () => {}), assertConfigError(/symbolic link/))
    assert.equal(existsSync(join(dir, 'planted.json')), false)
  })

  it('a symlinked locks/ is refused with exit 3 (it guards the config); its target keeps its mode', async () => {
    const target = join(dir, 'shared')
    mkdirSync(target)
    chmodSync(target, 0o755)
    symlinkSync(target, join(dir, 'locks'))
    await assert.rejects(updateConfig(dir, () => {}), assertConfigError(/locks is a symbolic link/, /Remove .*locks/))
    assert.equal(modeOf(target), 0o755)
    assert.deepEqual(readdirSync(target), [])
    assert.equal(existsSync(join(dir, 'config.json')), false)
  })

  it('a dangling symlink at the config lock is refused at once (exit 3), not waited on for ever', async () => {
    mkdirSync(join(dir, 'locks'), {mode: 0o700})
    symlinkSync(join(dir, 'nowhere'), join(dir, 'locks', 'config.lock'))
    const started = Date.now()
    await assert.rejects(updateConfig(dir, () => {}), assertConfigError(/config\.lock is a symbolic link/, /^Remove .*config\.lock/))
    assert.ok(Date.now() - started < 1000)
  })

  it('a symlinked config dir is refused, and so is a config dir that is a file', async () => {
    const real = join(dir, 'real')
    mkdirSync(real)
    chmodSync(real, 0o755)
    symlinkSync(real, join(dir, 'oauthctl'))
    await assert.rejects(updateConfig(join(dir, 'oauthctl'), () => {}), assertConfigError(/oauthctl is a symbolic link/))
    await assert.rejects(assertWritableConfigDir(join(dir, 'oauthctl')), assertConfigError(/oauthctl is a symbolic link/))
    assert.equal(modeOf(real), 0o755)
    writeFileSync(join(dir, 'file'), '')
    await assert.rejects(updateConfig(join(dir, 'file'), () => {}), assertConfigError(/file is not a directory/))
  })

  it('a config dir of another user is exit 3 with a clear message, never an EPERM chmod stack (exit 1)', async () => {
    // As root, a directory given to `nobody`; otherwise `/`, which belongs to root.
    let theirs = '/'
    if (process.getuid?.() === 0) {
      theirs = join(dir, 'theirs')
      mkdirSync(theirs, {mode: 0o755})
      chownSync(theirs, 65534, 65534)
    }
    const before = statSync(theirs).mode
    const expected = assertConfigError(/belongs to another user \(uid \d+, you are uid \d+\)/, /directory you own.*OAUTHCTL_CONFIG_DIR/)
    await assert.rejects(assertWritableConfigDir(theirs), expected)
    await assert.rejects(updateConfig(theirs, () => {}), expected)
    assert.equal(statSync(theirs).mode, before)
  })
})

describe('config writes on a full or read-only disk', () => {
  it('a full disk is exit 3 "the disk is full (ENOSPC)"; config.json keeps its contents and no temp file is left', async () => {
    const fs = mountTinyFs()
    try {
      const dir = join(fs.root, 'oauthctl')
      await updateConfig(dir, (config) => void (config.defaultProvider = 'before'))
      // Room for the lock file, not for a 100 KB config.
      fs.fill(1)
      await assert.rejects(
        updateConfig(dir, (config) => void (config.defaultProvider = 'x'.repeat(100_000))),
        assertConfigError(new RegExp(`^cannot write the config file ${join(dir, 'config.json')}: the disk is full \\(ENOSPC\\)$`), /^Free some space/),
      )
      assert.deepEqual(readConfig(dir), {defaultProvider: 'before'})
      assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'locks'])
      assert.deepEqual(readdirSync(join(dir, 'locks')), [])
    } finally {
      fs.unmount()
    }
  })

  it('a read-only file system is exit 3 "the file system is read-only (EROFS)"', async () => {
    const fs = mountTinyFs()
    try {
      const dir = join(fs.root, 'oauthctl')
      await updateConfig(dir, (config) => void (config.defaultProvider = 'before'))
      fs.makeReadOnly()
      await assert.rejects(updateConfig(dir, () => {}), assertConfigError(/the file system is read-only \(EROFS\)$/, /OAUTHCTL_CONFIG_DIR/))
      await assert.rejects(assertWritableConfigDir(join(fs.root, 'other')), assertConfigError(/\(EROFS\): the file system is read-only$/))
    } finally {
      fs.unmount()
    }
  })
})
