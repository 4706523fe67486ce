#!/usr/bin/env node
// A reader that goes away (`oauthctl get ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

// Hot commands (`token`, `get`, ...) skip @oclif/core; see src/cli/fast-path.ts.
const FAST = new Set(['token', 'get', 'post', 'put', 'patch', 'delete', 'request', 'kubectl-credential', 'docker-credential'])
let code
if (FAST.has(process.argv[2])) {
  const {runFast} = await import('../dist/cli/fast-path.bundle.js')
  code = await runFast(process.argv.slice(2))
}
if (code === undefined) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else {
  process.exitCode = code
}
