#!/usr/bin/env node
// CommonJS (see bin/package.json): an ES module as the entry point starts Node's ESM loader, ~4 ms that
// every `oauthctl token` would pay (measured with `npm run bench`).
'use strict'

// A reader that goes away (`oauthctl get ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

async function main() {
  // Hot commands (`token`, `get`, ...; the list is src/cli/fast-commands.ts) skip @oclif/core: they run
  // from one CommonJS bundle (see scripts/bundle-fast-path.mjs and src/cli/fast-path.ts).
  const {FAST_COMMANDS} = require('../dist/cli/fast-commands.cjs')
  let code
  if (FAST_COMMANDS.includes(process.argv[2])) {
    code = await require('../dist/cli/fast-path.bundle.cjs').runFast(process.argv.slice(2))
  }
  if (code === undefined) {
    const {execute} = await import('@oclif/core')
    await execute({dir: require('node:path').join(__dirname, '..')})
  } else {
    process.exitCode = code
  }
}

main()
