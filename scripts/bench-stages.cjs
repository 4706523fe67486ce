// Run by `npm run bench` as `node scripts/bench-stages.cjs <command> [args]`: does what bin/run.js does for a
// fast command, and writes to $BENCH_STAGES_FILE, as JSON, the CPU time (user + system, ms) and the
// wall-clock time since the process started at the end of each stage, so the bench can say where the time
// goes. CommonJS, like bin/run.js.
'use strict'
const {writeFileSync} = require('node:fs')
const {join} = require('node:path')

const marks = []
const mark = (stage) => {
  const {user, system} = process.cpuUsage()
  marks.push({stage, cpu: (user + system) / 1000, wall: performance.now()})
}
mark('node start-up')
const {FAST_COMMANDS, requireWithCodeCache, resolveCacheDir, openEarlySessionBus} = require(join(__dirname, '..', 'dist', 'cli', 'fast-start.cjs'))
if (!FAST_COMMANDS.includes(process.argv[2])) throw new Error(`not a fast command: ${process.argv[2]}`)
mark('list of fast commands and the loader')
const earlyBus = openEarlySessionBus()
if (earlyBus) mark('open the session bus')
const bundle = requireWithCodeCache(join(__dirname, '..', 'dist', 'cli', 'fast-path.bundle.cjs'), resolveCacheDir(), process.argv[2], earlyBus !== undefined)
mark(bundle.cacheUsed ? 'load the bundle (code cache)' : 'load the bundle (no code cache)')
bundle.exports.runFast(process.argv.slice(2), {earlyBus}).then((code) => {
  process.exitCode = code
  mark('run the command')
  bundle.saveCache()
  process.on('exit', () => {
    mark('exit')
    writeFileSync(process.env.BENCH_STAGES_FILE, JSON.stringify(marks))
  })
})
