import {mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {cliPath, runProcess, type RunResult} from './harness.js'

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
  return runProcess('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', script], {env, cwd, input, timeoutMs: 60_000, label: `bash -c ${script}`})
}
