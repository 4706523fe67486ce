#!/usr/bin/env node
// `npm run bench`: whole-process start-up of the hot commands against `node -e ''`, and the peak memory of
// `get --paginate` over 200 pages of 100 KB. Prints figures; it asserts nothing (targets are in the README:
// token <= 1.5x, get <= 2.0x node -e '', paginate peak < 100 MB). Needs a build (`npm install` does it).
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS || 25)
const {startSandbox} = await import(join(root, 'dist', 'sandbox', 'server.js'))

const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-bench-'))
const sandbox = await startSandbox({port: 0, autoApprove: true, accessTokenTtl: 3600})
const env = {
  ...process.env,
  OAUTHCTL_CONFIG_DIR: configDir,
  OAUTHCTL_STORE: 'file',
  OAUTHCTL_SANDBOX_ISSUER: sandbox.issuer,
  OAUTHCTL_BROWSER: `"${process.execPath}" "${join(root, 'dist', 'callback', 'http-browser.js')}"`,
  NO_COLOR: '1',
}

/** Runs a command to completion without blocking the event loop (the sandbox lives in this process). */
function run(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, args, {env: {...env, ...extraEnv}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve(ms)
    })
  })
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function measure(label, args) {
  await run(args) // warm the file-system cache
  const times = []
  for (let i = 0; i < runs; i++) times.push(await run(args))
  return {label, median: median(times), min: Math.min(...times)}
}

try {
  await run([cli, 'login', 'sandbox'])
  const baseline = await measure("node -e ''", ['-e', ''])
  const results = [
    baseline,
    await measure('oauthctl token (cached token, file store)', [cli, 'token']),
    await measure('oauthctl get /v2/me (sandbox, warm)', [cli, 'get', '/v2/me']),
    await measure("oauthctl get /v2/me --jq .id (loads jq)", [cli, 'get', '/v2/me', '--jq', '.id']),
    await measure('oauthctl status (oclif path)', [cli, 'status']),
  ]
  console.log(`whole-process time, median of ${runs} runs (Node ${process.version}, ${process.platform}):`)
  for (const result of results) {
    const ratio = result.median / baseline.median
    console.log(`  ${result.label.padEnd(44)} ${result.median.toFixed(1).padStart(7)} ms  (min ${result.min.toFixed(1)} ms)  ${ratio.toFixed(2)}x node`)
  }
  console.log('  targets: token <= 1.50x, get <= 2.00x')

  const rssFile = join(configDir, 'rss')
  const pages = 200
  const started = process.hrtime.bigint()
  await run(['--import', join(root, 'scripts', 'bench-rss.mjs'), cli, 'get', '--paginate', `/big?pages=${pages}&size=100000`], {BENCH_RSS_FILE: rssFile})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024
  console.log(`get --paginate, ${pages} pages of 100 KB (~${(pages * 0.1).toFixed(0)} MB to stdout): peak RSS ${peakMb.toFixed(1)} MB in ${seconds.toFixed(2)} s  (target < 100 MB)`)
} finally {
  await sandbox.close()
  rmSync(configDir, {recursive: true, force: true})
}
