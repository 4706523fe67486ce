import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {cliPath, type RunResult} from './harness.js'

/** A PATH with `oauthctl` on it (the built CLI), as after `npm install -g`, for pasted shell lines. */
export function makeShellEnv(env: NodeJS.ProcessEnv): {env: NodeJS.ProcessEnv; dir: string; cleanup(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'oauthctl-shell-'))
  mkdirSync(join(dir, 'bin'))
  mkdirSync(join(dir, 'home'))
  symlinkSync(cliPath, join(dir, 'bin', 'oauthctl'))
  return {
    dir,
    env: {...env, PATH: `${join(dir, 'bin')}:${dirname(process.execPath)}:${env.PATH ?? ''}`, HOME: join(dir, 'home')},
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}

/** Runs a shell line in bash (as pasted at a prompt), in `cwd`. */
export function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', script], {env, cwd, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`bash -c ${script} timed out; stderr: ${stderr}`))
    }, 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    child.stdin.end(input)
  })
}
