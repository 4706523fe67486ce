#!/usr/bin/env node
// CommonJS (see bin/package.json): an ES module as the entry point starts Node's ESM loader, ~4 ms that
// every `oauthctl token` would pay (measured with `npm run bench`).
'use strict'

// A reader that goes away (`oauthctl get ... | head`) is not an error. The handler goes on process.stdout
// when something first builds it: Node builds it lazily, and building it (node:stream, or node:net for a
// pipe) costs 1-3 ms that `token` and `get`, which write with write(2) (src/io.ts), skip.
const onStdoutError = (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
}
const stdoutProperty = Object.getOwnPropertyDescriptor(process, 'stdout')
if (stdoutProperty && stdoutProperty.get && stdoutProperty.configurable) {
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: stdoutProperty.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', stdoutProperty)
      const stdout = process.stdout
      stdout.on('error', onStdoutError)
      return stdout
    },
  })
} else {
  process.stdout.on('error', onStdoutError)
}

async function main() {
  const argv = process.argv.slice(2)
  // `oauthctl --debug get /x` means `oauthctl get /x --debug` (OAUTHCTL_DEBUG=1 is the same switch).
  while (argv[0] === '--debug') {
    argv.shift()
    process.env.OAUTHCTL_DEBUG = '1'
  }

  // Hot commands (`token`, `get`, ...; the one list is src/cli/fast-commands.ts, built into
  // dist/cli/fast-start.cjs) skip @oclif/core: they run from one CommonJS bundle (see
  // scripts/bundle-fast-path.mjs and src/cli/fast-path.ts), compiled with V8's code cache (see
  // src/cli/code-cache.ts). `__complete` (shell completion, src/cli/complete.ts) never loads oclif either.
  const {FAST_COMMANDS, requireWithCodeCache, resolveCacheDir, openEarlySessionBus} = require('../dist/cli/fast-start.cjs')
  let code
  if (argv[0] === '__complete') {
    const {runComplete} = await import('../dist/cli/complete.js')
    code = runComplete(argv.slice(1))
  } else if (FAST_COMMANDS.includes(argv[0])) {
    // A token in the keyring is read over the session bus: the bus and the Secret Service are asked for a
    // session now, and answer while the bundle loads (src/store/early-bus.ts).
    const earlyBus = openEarlySessionBus()
    const bundle = requireWithCodeCache(require('node:path').join(__dirname, '../dist/cli/fast-path.bundle.cjs'), resolveCacheDir(), argv[0], earlyBus !== undefined)
    code = await bundle.exports.runFast(argv, {earlyBus})
    bundle.saveCache()
  }
  if (code === undefined) {
    const {execute} = await import('@oclif/core')
    await execute({dir: require('node:path').join(__dirname, '..'), args: argv})
  } else {
    process.exitCode = code
  }
}

main()
