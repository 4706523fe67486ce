#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx). Keyring tests need a real
// Secret Service: when gnome-keyring and dbus-run-session are installed, the run happens inside a private
// D-Bus session with a freshly unlocked keyring whose files live in a temporary folder (the user's own
// keyring is never touched). Usage: node scripts/test.mjs [path-filter ...]
import {spawnSync} from 'node:child_process'
import {mkdtempSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2)
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0

if (process.env.OAUTHCTL_TEST_KEYRING_SESSION !== '1' && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const tmp = mkdtempSync(join(tmpdir(), 'oauthctl-test-keyring-'))
  const dirs = {XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_RUNTIME_DIR: 'run'}
  const env = {...process.env, OAUTHCTL_TEST_KEYRING_SESSION: '1'}
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = join(tmp, dir)
    mkdirSync(env[name], {recursive: true, mode: 0o700})
  }
  const script = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node "$0" "$@"'
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, fileURLToPath(import.meta.url), ...filters], {
    env,
    stdio: 'inherit',
  })
  rmSync(tmp, {recursive: true, force: true})
  process.exit(result.status ?? 1)
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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  {cwd: root, stdio: 'inherit', env: process.env},
)
process.exit(result.status ?? 1)
