import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {requireWithCodeCache, resolveCacheDir} from '../../src/cli/code-cache.js'
import {codeCacheGroup, FAST_COMMANDS} from '../../src/cli/fast-commands.js'

describe('the fast-path bundle is compiled with a V8 code cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'oauthctl-codecache-'))
  after(() => rmSync(root, {recursive: true, force: true}))
  let count = 0
  /** A fresh CommonJS file (fresh path: require.cache is per path) and a cache dir for it. */
  function makeModule(body = 'exports.answer = () => require("node:path").basename(__filename)'): {file: string; cacheDir: string} {
    const dir = join(root, `case-${++count}`)
    mkdirSync(dir)
    const file = join(dir, 'bundle.cjs')
    writeFileSync(file, `${body}\nfunction unused(a) { return a * 2 }\n`)
    return {file, cacheDir: join(dir, 'cache', 'oauthctl')}
  }
  const cacheFileOf = (cacheDir: string): string => join(cacheDir, `bundle.cjs-${process.version}-${process.arch}.v8cache`)

  it('writes the cache (0600 in a 0700 dir) on first use and compiles from it next time', () => {
    const {file, cacheDir} = makeModule()
    const first = requireWithCodeCache(file, cacheDir)
    assert.equal((first.exports as {answer(): string}).answer(), 'bundle.cjs')
    assert.equal(first.cacheUsed, false)
    first.saveCache()
    assert.equal(statSync(cacheFileOf(cacheDir)).mode & 0o777, 0o600)
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700)
    delete createRequire(file).cache[file]
    const second = requireWithCodeCache(file, cacheDir)
    assert.equal(second.cacheUsed, true)
    assert.equal((second.exports as {answer(): string}).answer(), 'bundle.cjs')
  })

  it('import() of an ES module still works when the code comes from the cache (through __importESM)', async () => {
    const {file, cacheDir} = makeModule('exports.load = () => __importESM("node:os").then((os) => typeof os.platform)')
    const first = requireWithCodeCache(file, cacheDir)
    assert.equal(await (first.exports as {load(): Promise<string>}).load(), 'function')
    first.saveCache()
    delete createRequire(file).cache[file]
    const second = requireWithCodeCache(file, cacheDir)
    assert.equal(second.cacheUsed, true)
    assert.equal(await (second.exports as {load(): Promise<string>}).load(), 'function')
  })

  it('is in require.cache like a required module, and its require() resolves from its own folder', () => {
    const {file, cacheDir} = makeModule('exports.self = () => require("./bundle.cjs")')
    const loaded = requireWithCodeCache(file, cacheDir)
    assert.equal(createRequire(file)(file), loaded.exports)
    assert.equal((loaded.exports as {self(): unknown}).self(), loaded.exports)
  })

  it('a corrupt cache is rejected by V8 and written again; the module works the same', () => {
    const {file, cacheDir} = makeModule()
    mkdirSync(cacheDir, {recursive: true, mode: 0o700})
    writeFileSync(cacheFileOf(cacheDir), 'not a code cache', {mode: 0o600})
    const loaded = requireWithCodeCache(file, cacheDir)
    assert.equal(loaded.cacheUsed, false)
    assert.equal((loaded.exports as {answer(): string}).answer(), 'bundle.cjs')
    loaded.saveCache()
    assert.notEqual(readFileSync(cacheFileOf(cacheDir), 'utf8'), 'not a code cache')
  })

  it('a symbolic link at the cache file is not read, and a write replaces the link, not its target', () => {
    const {file, cacheDir} = makeModule()
    const first = requireWithCodeCache(file, cacheDir)
    first.saveCache()
    const target = join(root, `target-${count}`)
    writeFileSync(target, readFileSync(cacheFileOf(cacheDir)), {mode: 0o600})
    rmSync(cacheFileOf(cacheDir))
    symlinkSync(target, cacheFileOf(cacheDir))
    delete createRequire(file).cache[file]
    const second = requireWithCodeCache(file, cacheDir)
    assert.equal(second.cacheUsed, false)
    const before = readFileSync(target)
    second.saveCache()
    assert.deepEqual(readFileSync(target), before)
    assert.equal(statSync(cacheFileOf(cacheDir)).isFile(), true)
  })

  it('a cache dir or file others can write is neither read nor written', () => {
    const {file, cacheDir} = makeModule()
    requireWithCodeCache(file, cacheDir).saveCache()
    chmodSync(cacheFileOf(cacheDir), 0o666)
    delete createRequire(file).cache[file]
    assert.equal(requireWithCodeCache(file, cacheDir).cacheUsed, false, 'world-writable file')
    chmodSync(cacheFileOf(cacheDir), 0o600)
    chmodSync(cacheDir, 0o770)
    delete createRequire(file).cache[file]
    const loaded = requireWithCodeCache(file, cacheDir)
    assert.equal(loaded.cacheUsed, false, 'group-writable dir')
    rmSync(cacheFileOf(cacheDir))
    loaded.saveCache()
    assert.equal(existsSync(cacheFileOf(cacheDir)), false)
  })

  it('an error while the module runs is thrown as is and leaves nothing in require.cache', () => {
    const {file, cacheDir} = makeModule('throw new RangeError("boom")')
    assert.throws(() => requireWithCodeCache(file, cacheDir), {name: 'RangeError', message: 'boom'})
    assert.equal(createRequire(file).cache[file], undefined)
  })

  it('lives in the platform cache directory', () => {
    assert.equal(resolveCacheDir({XDG_CACHE_HOME: '/x/cache'}, 'linux'), join('/x/cache', 'oauthctl'))
    assert.equal(resolveCacheDir({LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local'}, 'win32'), join('C:\\Users\\a\\AppData\\Local', 'oauthctl', 'Cache'))
    assert.match(resolveCacheDir({}, 'darwin'), /Library[\\/]Caches[\\/]oauthctl$/)
  })

  it('keeps one cache per group, each written by the first run of its group and used by the next', () => {
    const {file, cacheDir} = makeModule()
    const token = requireWithCodeCache(file, cacheDir, createRequire(file), 'token')
    token.saveCache()
    delete createRequire(file).cache[file]
    const api = requireWithCodeCache(file, cacheDir, createRequire(file), 'api')
    assert.equal(api.cacheUsed, false, 'the token cache is not the api cache')
    api.saveCache()
    delete createRequire(file).cache[file]
    assert.equal(requireWithCodeCache(file, cacheDir, createRequire(file), 'api').cacheUsed, true)
    delete createRequire(file).cache[file]
    assert.equal(requireWithCodeCache(file, cacheDir, createRequire(file), 'token').cacheUsed, true)
    for (const group of ['token', 'api']) assert.equal(existsSync(join(cacheDir, `bundle.cjs-${group}-${process.version}-${process.arch}.v8cache`)), true)
  })

  it('groups the fast commands by the code they run: token and the credential helpers, and the API verbs', () => {
    assert.deepEqual(
      FAST_COMMANDS.map((command) => [command, codeCacheGroup(command)]),
      [['token', 'token'], ['get', 'api'], ['post', 'api'], ['put', 'api'], ['patch', 'api'], ['delete', 'api'], ['request', 'api'], ['kubectl-credential', 'token'], ['docker-credential', 'token']],
    )
  })

  it('gives a run that opened the session bus early (a keyring read) caches of its own', () => {
    assert.deepEqual(
      ['token', 'get', 'docker-credential'].map((command) => codeCacheGroup(command, true)),
      ['token-keyring', 'api-keyring', 'token-keyring'],
    )
  })
})
