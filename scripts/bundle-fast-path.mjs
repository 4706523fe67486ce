// Part of `npm run build`: bundles the fast path (src/cli/fast-path.ts and the modules it loads, not the
// npm packages) into one CommonJS file that bin/run.js loads with V8's code cache, and writes
// dist/cli/fast-start.cjs, the one file bin/run.js always reads: the list of fast commands
// (src/cli/fast-commands.ts) and the code-cache loader (src/cli/code-cache.ts). oclif commands keep
// using dist/ as compiled. Measured with `npm run bench` (figures in the README, "Speed"):
// - one file instead of ~40 modules;
// - CommonJS, not ESM: a module that only some commands need (the keyring store, the HTTP client, the
//   refresh flows) is initialised, and the Node built-ins it imports (node:http, node:net, node:crypto,
//   node:child_process) are loaded, the first time it is used, not up front as ESM linking would;
// - `import('node:...')` and `import()` of CommonJS packages (@napi-rs/keyring) become require(): from
//   CommonJS, import() goes through the whole ESM loader. ESM-only packages (openid-client, chalk, open)
//   keep their import().
import {build} from 'esbuild'
import {readFileSync, writeFileSync} from 'node:fs'

/** Packages published as CommonJS that the fast path imports: loaded with require() in the bundle. */
const COMMONJS_PACKAGES = ['@napi-rs/keyring']

// What bin/run.js needs before it knows which way to go, in one small file: the list of fast commands
// (src/cli/fast-commands.ts) and the loader that gives the bundle V8's code cache (src/cli/code-cache.ts).
await build({
  stdin: {
    // The loader resolves the bundle's require() calls with fast-start.cjs's own require (same folder), so
    // that node:module is not loaded.
    // The command, and whether the session bus was opened early, pick its code cache (codeCacheGroup).
    // bin/run.js opens the bus (src/store/early-bus.ts) before it loads the bundle.
    contents: [
      "export {FAST_COMMANDS} from './fast-commands.js'",
      "export {resolveCacheDir} from './code-cache.js'",
      "export {openEarlySessionBus} from '../store/early-bus.js'",
      "import {codeCacheGroup} from './fast-commands.js'",
      "import {requireWithCodeCache as load} from './code-cache.js'",
      'export const requireWithCodeCache = (file, cacheDir, command, keyring) => load(file, cacheDir, require, command === undefined ? undefined : codeCacheGroup(command, keyring))',
    ].join('\n'),
    resolveDir: 'dist/cli',
    sourcefile: 'fast-start.js',
  },
  outfile: 'dist/cli/fast-start.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
})

/**
 * Built-ins whose every import in the fast path is a function, loaded on the first call instead of when the
 * importing module starts: node:fs/promises alone costs ~1 ms (it loads readline, fs.Dir and the watchers),
 * and `oauthctl token` reads with the synchronous calls; node:os is only for a hostname or a missing $HOME. Each becomes a module of wrappers
 * (`export function readFile(...args) { return load().readFile(...args) }`); importing anything that is not
 * a function from one of them fails the build.
 */
const LAZY_BUILTINS = ['node:fs/promises', 'node:timers/promises', 'node:dns/promises', 'node:os']
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({filter: /^node:/}, (args) => {
      if (!LAZY_BUILTINS.includes(args.path)) return undefined
      // The wrappers' own require() is the real built-in.
      if (args.namespace === 'lazy-builtin') return {path: args.path, external: true}
      return {path: args.path, namespace: 'lazy-builtin'}
    })
    build.onLoad({filter: /.*/, namespace: 'lazy-builtin'}, async (args) => {
      const actual = await import(args.path)
      const names = Object.keys(actual).filter((name) => name !== 'default' && typeof actual[name] === 'function')
      const lines = [`let loaded\nconst load = () => (loaded ??= require(${JSON.stringify(args.path)}))`]
      for (const name of names) lines.push(`export function ${name}(...args) { return load().${name}(...args) }`)
      return {contents: lines.join('\n'), loader: 'js', resolveDir: process.cwd()}
    })
  },
}

const outfile = 'dist/cli/fast-path.bundle.cjs'
await build({
  entryPoints: ['dist/cli/fast-path.js'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  plugins: [lazyBuiltins],
  // import.meta does not exist in CommonJS; give the sources the bundle's own URL, made on first use (node:url's
  // pathToFileURL costs ~0.4 ms, and `token` never needs it). `__importESM`: see below.
  define: {'import.meta.url': '__bundle.url'},
  banner: {
    js: [
      '"use strict";',
      'const __bundle = {get url() { return require("node:url").pathToFileURL(__filename).href }};',
      'var __importESM = typeof __importESM === "function" ? __importESM : (specifier) => import(specifier);',
    ].join('\n'),
  },
  logLevel: 'warning',
})

const names = COMMONJS_PACKAGES.map((name) => name.replace(/[/@.-]/g, '\\$&')).join('|')
const lazyImport = new RegExp(`\\bimport\\("(node:[a-z_/]+|${names})"\\)`, 'g')
const source = readFileSync(outfile, 'utf8')
let rewritten = 0
const output = source.replace(lazyImport, (_, name) => {
  rewritten++
  return `Promise.resolve().then(() => require(${JSON.stringify(name)}))`
})
if (rewritten === 0) throw new Error(`bundle-fast-path: no import() of a built-in or CommonJS package found in ${outfile}`)
// The other import()s (ESM-only packages) call `__importESM`, which src/cli/code-cache.ts passes in: in code
// compiled from a V8 code cache, Node 20 loses the callback import() needs ("A dynamic import callback was
// not specified"). Loaded with a plain require(), the bundle falls back to import() (the banner).
const [banner, ...rest] = output.split('\nvar __importESM')
const esm = rest.join('\nvar __importESM').replace(/\bimport\("([^"]+)"\)/g, (_, name) => `__importESM(${JSON.stringify(name)})`)
if (/\bimport\(/.test(esm.slice(esm.indexOf('\n')))) throw new Error(`bundle-fast-path: an import() left in ${outfile}`)
/**
 * The bundle is kept to ASCII: Node reads an all-ASCII file into a string ~0.35 ms faster than one with a
 * single other character (a `§` in a comment was enough; `npm run bench`), and every fast command reads it.
 * esbuild already escapes strings and identifiers (its default `charset: 'ascii'`); what is left is in
 * comments, where a \\u escape changes nothing.
 */
const ascii = `${banner}\nvar __importESM${esm}`.replace(/[^\x00-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
writeFileSync(outfile, ascii)
