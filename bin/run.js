#!/usr/bin/env node
// A reader that goes away (`oauthctl get ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

const argv = process.argv.slice(2)
// `oauthctl --debug get /x` means `oauthctl get /x --debug` (OAUTHCTL_DEBUG=1 is the same switch).
while (argv[0] === '--debug') {
  argv.shift()
  process.env.OAUTHCTL_DEBUG = '1'
}

// Hot commands (`token`, `get`, ...) skip @oclif/core; see src/cli/fast-path.ts (keep this list in sync
// with its `fastCommands`). `__complete` (shell completion, src/cli/complete.ts) never loads oclif either.
const FAST = new Set(['token', 'get', 'post', 'put', 'patch', 'delete', 'request', 'kubectl-credential', 'docker-credential'])
let code
if (argv[0] === '__complete') {
  const {runComplete} = await import('../dist/cli/complete.js')
  code = runComplete(argv.slice(1))
} else if (FAST.has(argv[0])) {
  const {runFast} = await import('../dist/cli/fast-path.bundle.js')
  code = await runFast(argv)
}
if (code === undefined) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url, args: argv})
} else {
  process.exitCode = code
}
