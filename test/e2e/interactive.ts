import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {cliPath, root} from './harness.js'

/** The built CLI as a child process whose output can be waited on while it runs (device and paste logins). */
export interface LiveCli {
  child: ChildProcessWithoutNullStreams
  stdout(): string
  stderr(): string
  /** Resolves with the first match of `pattern` in stderr, or rejects after `timeoutMs`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<number | null>
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): LiveCli {
  return watchCli(spawn(process.execPath, [cliPath, ...args], {env, stdio: ['pipe', 'pipe', 'pipe']}))
}

/**
 * The built CLI on a pseudo-terminal (stdin, stdout and stderr all the terminal, as for a person): what the
 * test writes to `child.stdin` is typed, and `stderr()` is everything the terminal showed, echo included.
 */
export function spawnCliOnTerminal(args: string[], env: NodeJS.ProcessEnv): LiveCli {
  const bridge = join(root, 'test', 'e2e', 'fixtures', 'pty-bridge.py')
  return watchCli(spawn('python3', [bridge, '--', process.execPath, cliPath, ...args], {env, stdio: ['pipe', 'pipe', 'pipe']}))
}

function watchCli(child: ChildProcessWithoutNullStreams): LiveCli {
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => {
    stderr += chunk
    for (const listener of listeners) listener()
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null))))
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000)
  void exited.then(() => clearTimeout(kill))
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr)
          if (!match) return false
          cleanup()
          resolve(match)
          return true
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${pattern} on stderr: ${stderr}`))
        }, timeoutMs)
        const onExit = () => {
          if (!check()) {
            cleanup()
            reject(new Error(`exited before ${pattern} appeared on stderr: ${stderr}`))
          }
        }
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(listener)
          child.off('close', onExit)
        }
        const listener = () => void check()
        if (check()) return
        listeners.add(listener)
        child.once('close', onExit)
      })
    },
  }
}

/** The secrets stored under `key` in a file store (`tokens/*.json`), or undefined. */
export function storedEntry(configDir: string, key: string): {accessToken: string; refreshToken?: string; expiresAt?: number; clientSecret?: string} | undefined {
  const dir = join(configDir, 'tokens')
  let files: string[]
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'))
  } catch {
    return undefined
  }
  for (const file of files) {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    if (data.key === key) return data.secrets
  }
  return undefined
}

/** Store keys present in a file store. */
export function storedKeys(configDir: string): string[] {
  const dir = join(configDir, 'tokens')
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')).key as string)
      .sort()
  } catch {
    return []
  }
}

/** GET an API path of the sandbox with a raw bearer token, as another program holding a copy would. */
export async function callWithToken(issuer: string, path: string, token: string): Promise<number> {
  const response = await fetch(`${issuer}${path}`, {headers: {authorization: `Bearer ${token}`}})
  await response.body?.cancel()
  return response.status
}
