#!/usr/bin/env node
// `npm run bench`: whole-process time of the hot commands against `node -e ''`, with a stored login in the
// file store and in the keyring, then where that time goes, and the peak memory of `get --paginate` over
// 200 pages of 100 KB. Every command runs right after a `node -e ''` (A B A B ...), so machine drift hits
// both alike; a ratio is the median of the command over the median of its own baseline runs. Prints
// figures; it asserts nothing (targets, in the README: token <= 1.2x, get <= 1.45x, paginate < 100 MB).
// The keyring needs a Secret Service: like scripts/test.mjs, the bench re-runs itself in a private D-Bus
// session with a fresh gnome-keyring when both are installed (otherwise the keyring rows are skipped).
// Needs a build (`npm run bench` does it). BENCH_RUNS sets the number of pairs (default 25).
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0

if (process.env.OAUTHCTL_BENCH_KEYRING_SESSION !== '1' && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const tmp = mkdtempSync(join(tmpdir(), 'oauthctl-bench-keyring-'))
  const env = {...process.env, OAUTHCTL_BENCH_KEYRING_SESSION: '1'}
  for (const [name, dir] of Object.entries({XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_RUNTIME_DIR: 'run'})) {
    env[name] = join(tmp, dir)
    mkdirSync(env[name], {recursive: true, mode: 0o700})
  }
  const script = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node "$0" "$@"'
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, fileURLToPath(import.meta.url)], {env, stdio: ['ignore', 'inherit', 'pipe']})
  // dbus-daemon's own chatter (fd limits and the like) is not the bench's.
  process.stderr.write(String(result.stderr).split('\n').filter((line) => line && !line.startsWith('dbus-daemon[')).map((line) => `${line}\n`).join(''))
  rmSync(tmp, {recursive: true, force: true})
  process.exit(result.status ?? 1)
}

const cli = join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS || 25)
const {startSandbox} = await import(join(root, 'dist', 'sandbox', 'server.js'))
const sandbox = await startSandbox({port: 0, autoApprove: true, accessTokenTtl: 3600})
const fileDir = mkdtempSync(join(tmpdir(), 'oauthctl-bench-'))
const keyringDir = mkdtempSync(join(tmpdir(), 'oauthctl-bench-keyring-'))
const env = {
  ...process.env,
  OAUTHCTL_SANDBOX_ISSUER: sandbox.issuer,
  OAUTHCTL_BROWSER: `"${process.execPath}" "${join(root, 'dist', 'callback', 'http-browser.js')}"`,
  NO_COLOR: '1',
}
const fileEnv = {OAUTHCTL_CONFIG_DIR: fileDir, OAUTHCTL_STORE: 'file'}
const keyringEnv = {OAUTHCTL_CONFIG_DIR: keyringDir, OAUTHCTL_STORE: 'keyring'}
// A DPoP-bound login (RFC 9449): every `get` signs a proof with node:crypto and, as a new process, answers
// the demo API's first use_dpop_nonce with one retry.
const dpopDir = mkdtempSync(join(tmpdir(), 'oauthctl-bench-dpop-'))
const dpopEnv = {OAUTHCTL_CONFIG_DIR: dpopDir, OAUTHCTL_STORE: 'file'}

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

/** Each case runs `runs` times, each time right after its own `node -e ''`, all cases interleaved. */
async function measurePaired(cases) {
  const times = cases.map(() => ({base: [], command: []}))
  for (const c of cases) await run(c.args, c.env) // warm the file-system cache
  for (let i = 0; i < runs; i++) {
    for (const [index, c] of cases.entries()) {
      times[index].base.push(await run(['-e', '']))
      times[index].command.push(await run(c.args, c.env))
    }
  }
  return cases.map((c, index) => {
    const {base, command} = times[index]
    return {...c, base: median(base), median: median(command), ratio: median(command) / median(base), pairRatio: median(command.map((ms, i) => ms / base[i]))}
  })
}

/** CPU and wall time at the end of each stage of a fast command (scripts/bench-stages.cjs), medians. */
async function measureStages(args, extraEnv) {
  const file = join(fileDir, 'stages.json')
  const samples = []
  const baseCpu = []
  for (let i = 0; i < Math.max(5, Math.round(runs / 2)); i++) {
    await run(['-e', `require('node:fs').writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.cpuUsage()))`])
    const {user, system} = JSON.parse(readFileSync(file, 'utf8'))
    baseCpu.push((user + system) / 1000)
    await run([join(root, 'scripts', 'bench-stages.cjs'), ...args], {...extraEnv, BENCH_STAGES_FILE: file})
    samples.push(JSON.parse(readFileSync(file, 'utf8')))
  }
  const stages = samples[0].map((mark, index) => ({
    stage: mark.stage,
    cpu: median(samples.map((marks) => marks[index].cpu - (index ? marks[index - 1].cpu : 0))),
    wall: median(samples.map((marks) => marks[index].wall - (index ? marks[index - 1].wall : 0))),
  }))
  return {stages, baseCpu: median(baseCpu)}
}

const fmt = (ms) => ms.toFixed(1).padStart(6)

try {
  await run([cli, 'login', 'sandbox'], fileEnv)
  await run([cli, 'login', 'sandbox', '--dpop', '--client-id', 'oauthctl-dpop'], dpopEnv)
  let keyring = true
  try {
    await run([cli, 'login', 'sandbox'], keyringEnv)
  } catch (error) {
    keyring = false
    console.log(`(no keyring: ${String(error.message).split('\n')[0]}; keyring rows skipped)`)
  }
  const cases = [
    {label: 'oauthctl token (file store)', args: [cli, 'token'], env: fileEnv, target: 1.2},
    {label: 'oauthctl get /v2/me (file store)', args: [cli, 'get', '/v2/me'], env: fileEnv, target: 1.45},
    {label: 'oauthctl get /v2/me (DPoP, file)', args: [cli, 'get', '/v2/me'], env: dpopEnv, target: 1.45},
    ...(keyring
      ? [
          {label: 'oauthctl token (keyring)', args: [cli, 'token'], env: keyringEnv, target: 1.2},
          {label: 'oauthctl get /v2/me (keyring)', args: [cli, 'get', '/v2/me'], env: keyringEnv, target: 1.45},
        ]
      : []),
    {label: 'oauthctl get /v2/me --jq .id (loads jq)', args: [cli, 'get', '/v2/me', '--jq', '.id'], env: fileEnv},
    {label: 'oauthctl status (oclif path)', args: [cli, 'status'], env: fileEnv},
  ]
  const results = await measurePaired(cases)
  console.log(`whole-process time, ${runs} pairs "node -e '' then the command" (Node ${process.version}, ${process.platform}):`)
  console.log(`  ${''.padEnd(34)} command  node -e ''  ratio  (median of per-pair ratios)  target`)
  for (const r of results) {
    const target = r.target ? `<= ${r.target.toFixed(2)}x ${r.ratio <= r.target ? 'met' : 'MISSED'}` : ''
    console.log(`  ${r.label.padEnd(34)} ${fmt(r.median)} ms ${fmt(r.base)} ms  ${r.ratio.toFixed(2)}x  (${r.pairRatio.toFixed(2)}x)  ${target}`)
  }

  console.log('where the time goes (scripts/bench-stages.cjs does what bin/run.js does; medians, ms):')
  for (const [label, args, extraEnv] of [
    ['token, file store', ['token'], fileEnv],
    ['get /v2/me, file store', ['get', '/v2/me'], fileEnv],
    ...(keyring ? [['token, keyring', ['token'], keyringEnv]] : []),
  ]) {
    const {stages, baseCpu} = await measureStages(args, extraEnv)
    const total = stages.reduce((sum, s) => sum + s.cpu, 0)
    const parts = stages.map((s) => `${s.stage} ${s.cpu.toFixed(1)}`).join(', ')
    console.log(`  ${label}: CPU ${total.toFixed(1)} ms = ${parts}; node -e '' CPU ${baseCpu.toFixed(1)} ms (${(total / baseCpu).toFixed(2)}x)`)
  }

  const rssFile = join(fileDir, 'rss')
  const pages = 200
  const started = process.hrtime.bigint()
  await run(['--import', join(root, 'scripts', 'bench-rss.mjs'), cli, 'get', '--paginate', `/big?pages=${pages}&size=100000`], {...fileEnv, BENCH_RSS_FILE: rssFile})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024
  console.log(`get --paginate, ${pages} pages of 100 KB (~${(pages * 0.1).toFixed(0)} MB to stdout): peak RSS ${peakMb.toFixed(1)} MB in ${seconds.toFixed(2)} s  (target < 100 MB)`)
} finally {
  await sandbox.close()
  rmSync(fileDir, {recursive: true, force: true})
  rmSync(keyringDir, {recursive: true, force: true})
  rmSync(dpopDir, {recursive: true, force: true})
}
