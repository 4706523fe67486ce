import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {after, before} from 'node:test'
import {fileURLToPath} from 'node:url'

/** Drives the built CLI (bin/run.js + dist/) as a user would: a child process with its own streams. */
export const root = fileURLToPath(new URL('../..', import.meta.url))
export const cliPath = join(root, 'bin', 'run.js')
export const httpBrowser = `"${process.execPath}" "${join(root, 'dist', 'callback', 'http-browser.js')}"`

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Waits for `promise`, or fails after `ms` naming what was awaited: a test never waits without a limit. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}

/**
 * Runs a program with its own streams and collects what it writes; `input` goes to its stdin. A run that
 * takes longer than `timeoutMs` is killed and fails the test (no limit when undefined).
 */
export function runProcess(
  command: string,
  args: string[],
  options: {env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number; label?: string},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL')
            reject(new Error(`${options.label ?? command} timed out; stderr: ${stderr}`))
          }, options.timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    // A child that exits without reading its stdin (a shell line like `echo x >> file`) makes this write EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs = 60_000): Promise<RunResult> {
  return runProcess(process.execPath, [cliPath, ...args], {env, input, timeoutMs, label: `oauthctl ${args.join(' ')}`})
}

export interface SandboxProcess {
  issuer: string
  child: ChildProcess
  stderr: () => string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Starts `oauthctl sandbox --port 0` and waits for the issuer line on stdout. */
export async function startSandboxProcess(extraArgs: string[] = ['--auto-approve'], env: NodeJS.ProcessEnv = process.env): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [cliPath, 'sandbox', '--port', '0', ...extraArgs], {env, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const issuer = await new Promise<string>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${stderr}`)))
  })
  return {
    issuer,
    child,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill(signal)
      }),
  }
}

/** A private config dir and the environment for one test user. */
export function makeUserEnv(issuer: string, extra: NodeJS.ProcessEnv = {}): {env: NodeJS.ProcessEnv; configDir: string; cleanup(): void} {
  const configDir = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-'))
  const inherited: NodeJS.ProcessEnv = {...process.env}
  for (const name of ['BROWSER', 'OAUTHCTL_DEBUG', 'OAUTHCTL_TOKEN', 'OAUTHCTL_CLIENT_ID', 'OAUTHCTL_CLIENT_SECRET']) delete inherited[name]
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    OAUTHCTL_CONFIG_DIR: configDir,
    OAUTHCTL_SANDBOX_ISSUER: issuer,
    OAUTHCTL_BROWSER: httpBrowser,
    OAUTHCTL_STORE: 'file',
    NO_COLOR: '1',
    ...extra,
  }
  return {env, configDir, cleanup: () => rmSync(configDir, {recursive: true, force: true})}
}

export async function sandboxStats(issuer: string): Promise<{grants: Record<string, number>; refreshGrants: number; revocations: number; registrations: number}> {
  const response = await fetch(`${issuer}/sandbox/stats`)
  return (await response.json()) as never
}

export type UserEnv = ReturnType<typeof makeUserEnv>

/**
 * For a describe block: starts `oauthctl sandbox` with `args` and a private user environment before its
 * tests, and stops and removes both after them. Read `suite.sandbox` / `suite.user` inside the tests.
 */
export function sandboxSuite(args: string[] = ['--auto-approve'], extraEnv: NodeJS.ProcessEnv = {}): {sandbox: SandboxProcess; user: UserEnv} {
  const suite = {} as {sandbox: SandboxProcess; user: UserEnv}
  before(async () => {
    suite.sandbox = await startSandboxProcess(args)
    suite.user = makeUserEnv(suite.sandbox.issuer, extraEnv)
  })
  after(async () => {
    await suite.sandbox?.stop()
    suite.user?.cleanup()
  })
  return suite
}
