#!/usr/bin/env node
// The README's first command: a real OAuth 2.0 login and a protected API call, on this machine, with no
// account anywhere. Starts `oauthctl sandbox`, logs in to it, calls `oauthctl get /v2/me`, shows `status`,
// logs out, stops the sandbox. All state lives in a temporary folder, never in your own config.
//
// On a desktop the login happens in your browser (user name: anything, password: sandbox). On a headless
// machine (no DISPLAY/WAYLAND_DISPLAY on Linux, CI=true, or OAUTHCTL_DEMO_HEADLESS=1) the sandbox
// auto-approves and a stand-in browser follows the redirects over plain HTTP.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'bin', 'run.js')
if (!existsSync(join(root, 'dist', 'commands'))) {
  console.error('oauthctl is not built yet: run `npm install` (it builds) first.')
  process.exit(1)
}
const headless =
  process.env.OAUTHCTL_DEMO_HEADLESS === '1' ||
  process.env.CI === 'true' ||
  (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)

const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-demo-'))
const env = {...process.env, OAUTHCTL_CONFIG_DIR: configDir}
if (headless) env.OAUTHCTL_BROWSER = `"${process.execPath}" "${join(root, 'dist', 'callback', 'http-browser.js')}"`

const bold = process.stderr.isTTY && !process.env.NO_COLOR
const step = (text) => console.error(bold ? `\n\x1b[1m==> ${text}\x1b[0m` : `\n==> ${text}`)

function run(args) {
  step(`oauthctl ${args.join(' ')}`)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {env, stdio: ['inherit', 'pipe', 'inherit']})
    let last = '\n'
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      last = chunk.toString().slice(-1)
    })
    // The API body is printed as sent (no trailing newline); end the line before anything else is logged.
    child.on('close', (code) => {
      if (last !== '\n') process.stdout.write('\n')
      resolve(code ?? 1)
    })
  })
}

step(`oauthctl sandbox --port 0${headless ? ' --auto-approve' : ''}   (state in ${configDir})`)
const sandbox = spawn(process.execPath, [cli, 'sandbox', '--port', '0', ...(headless ? ['--auto-approve'] : [])], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
})
const issuer = await new Promise((resolve, reject) => {
  createInterface({input: sandbox.stdout}).once('line', resolve)
  sandbox.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)))
})
env.OAUTHCTL_SANDBOX_ISSUER = issuer

let failed = 0
try {
  if (!headless) console.error('Your browser opens the sandbox login page: any user name, password "sandbox".')
  for (const args of [['login', 'sandbox'], ['status'], ['get', '/v2/me']]) {
    const code = await run(args)
    if (code !== 0) {
      failed = code
      console.error(`oauthctl ${args.join(' ')} exited with ${code}`)
      break
    }
  }
} finally {
  // Remove the demo's tokens (from the keyring too) before the folder goes.
  await new Promise((resolve) => spawn(process.execPath, [cli, 'logout', 'sandbox'], {env, stdio: 'ignore'}).on('exit', resolve))
  sandbox.kill('SIGTERM')
  rmSync(configDir, {recursive: true, force: true})
}
if (failed === 0) console.error('\nDemo complete: a real authorization-code + PKCE login and a protected API call.')
process.exit(failed)
