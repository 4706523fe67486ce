#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx). Keyring tests need a real
// Secret Service: when gnome-keyring and dbus-run-session are installed, the run happens inside a private
// D-Bus session with a freshly unlocked keyring whose files live in a temporary folder (the user's own
// keyring is never touched). Usage: node scripts/test.mjs [path-filter ...]
//
// A run never hangs: each test has a time limit (--test-timeout), each test file's process is ended when its
// tests are done even if it left a handle open (--test-force-exit), the whole run has a deadline
// (OAUTHCTL_TEST_DEADLINE_MINUTES, 40 by default) after which the processes still running are listed and
// killed, and whatever the run started in its process group is killed when it ends, so no stray daemon keeps
// the caller's stdout or stderr open.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2)
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0
const deadlineMinutes = Number(process.env.OAUTHCTL_TEST_DEADLINE_MINUTES ?? 40)
const perTestMs = 240_000

/** Runs a command in its own process group; resolves with its exit code once it ends and the group is gone. */
function runGroup(command, args, options, {deadlineMs, label}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {...options, stdio: 'inherit', detached: true})
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal)
      } catch {}
    }
    const forward = (signal) => () => killGroup(signal)
    const onInt = forward('SIGINT')
    const onTerm = forward('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    let timedOut = false
    const timer = deadlineMs
      ? setTimeout(() => {
          timedOut = true
          console.error(`\n${label}: still running after ${deadlineMinutes} minutes; these processes are killed now:`)
          const ps = spawnSync('ps', ['-eo', 'pid,ppid,pgid,etime,args', '--forest'], {encoding: 'utf8'})
          // Kernel threads ([kworker/...]) are not ours.
          console.error(String(ps.stdout ?? '').split('\n').filter((line) => line && !/^\s*\d+\s+(0|2)\s+0\s/.test(line)).join('\n'))
          killGroup('SIGKILL')
        }, deadlineMs)
      : undefined
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      // Anything the run left behind in its group (a daemon, a server a test forgot) goes with it.
      killGroup('SIGKILL')
      resolve(timedOut ? 1 : (code ?? (signal === 'SIGINT' ? 130 : 1)))
    })
    child.once('error', (error) => {
      console.error(`${label}: ${error.message}`)
      resolve(1)
    })
  })
}

/** Kills (SIGKILL) every process of ours whose environment holds `entry` exactly (Linux /proc). */
function killByEnvironment(entry) {
  let pids = []
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
  } catch {
    return
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry)) process.kill(Number(pid), 'SIGKILL')
    } catch {}
  }
}

if (process.env.OAUTHCTL_TEST_KEYRING_SESSION !== '1' && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const tmp = mkdtempSync(join(tmpdir(), 'oauthctl-test-keyring-'))
  const dirs = {XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_RUNTIME_DIR: 'run'}
  const env = {...process.env, OAUTHCTL_TEST_KEYRING_SESSION: '1'}
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = join(tmp, dir)
    mkdirSync(env[name], {recursive: true, mode: 0o700})
  }
  const script = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node "$0" "$@"'
  const code = await runGroup('dbus-run-session', ['--', 'sh', '-c', script, fileURLToPath(import.meta.url), ...filters], {env}, {
    label: 'test session',
  })
  // gnome-keyring-daemon daemonizes into a group of its own: every process whose environment names this
  // run's private XDG_RUNTIME_DIR is this run's, and goes too.
  killByEnvironment(`XDG_RUNTIME_DIR=${env.XDG_RUNTIME_DIR}`)
  rmSync(tmp, {recursive: true, force: true})
  process.exit(code)
}

if (process.env.CI === 'true' && process.env.OAUTHCTL_TEST_KEYRING_SESSION !== '1') {
  console.error('CI=true but gnome-keyring / dbus-run-session are missing: keyring tests cannot run. Run .ci/run, which installs them.')
  process.exit(1)
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return findTests(path)
    return name.endsWith('.test.ts') ? [relative(root, path)] : []
  })
}

const files = findTests(join(root, 'test'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort()
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`)
  process.exit(1)
}
const code = await runGroup(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    `--test-timeout=${perTestMs}`,
    '--test-force-exit',
    ...files,
  ],
  {cwd: root, env: process.env},
  {deadlineMs: deadlineMinutes * 60_000, label: 'node --test'},
)
process.exit(code)
