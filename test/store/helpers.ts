import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import type {KeyringBackend} from '../../src/store/keyring-store.js'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A keyring backend kept in a Map, recording every call. */
export function fakeKeyring(initial: Record<string, string> = {}): KeyringBackend & {calls: string[]; entries: Map<string, string>} {
  const entries = new Map(Object.entries(initial))
  const calls: string[] = []
  return {
    calls,
    entries,
    async getPassword(service, account) {
      calls.push(`get ${service} ${account}`)
      return entries.get(`${service}/${account}`) ?? null
    },
    async setPassword(service, account, password) {
      calls.push(`set ${service} ${account}`)
      entries.set(`${service}/${account}`, password)
    },
    async deletePassword(service, account) {
      calls.push(`delete ${service} ${account}`)
      return entries.delete(`${service}/${account}`)
    },
  }
}

/** A keyring whose every call never settles, like a daemon stuck behind a prompt no one can see. */
export function hangingKeyring(): KeyringBackend {
  const never = () => new Promise<never>(() => {})
  return {getPassword: never, setPassword: never, deletePassword: never}
}

/** A keyring whose every call fails the way a locked or missing Secret Service does. */
export function failingKeyring(reason = 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided'): KeyringBackend {
  const fail = async () => {
    throw new Error(reason)
  }
  return {getPassword: fail, setPassword: fail, deletePassword: fail}
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  elapsedMs: number
}

/** Runs a TypeScript fixture in its own node process (through tsx), killing it after `killAfterMs`. */
export function runFixture(fixture: string, args: string[], env: NodeJS.ProcessEnv, killAfterMs = 20_000): Promise<RunResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(fixture, import.meta.url)), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({code, signal, stdout, stderr, elapsedMs: Date.now() - started})
    })
  })
}

/** process.env without the variables that would let a child find a real keyring or pick a store. */
export function isolatedEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = {...process.env}
  delete env.DBUS_SESSION_BUS_ADDRESS
  delete env.OAUTHCTL_STORE
  delete env.NODE_TEST_CONTEXT
  delete env.NODE_OPTIONS
  return {...env, ...overrides}
}
