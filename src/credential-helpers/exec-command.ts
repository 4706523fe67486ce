import {spawn, type ChildProcess} from 'node:child_process'
import {constants} from 'node:os'
import type {Context} from '../context.js'
import {UsageError} from '../errors.js'
import {getFreshToken} from '../session/fresh-token.js'

/** Signals a terminal or a supervisor sends that the child should get too; oauthctl keeps waiting. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export interface ExecInput {
  provider?: string
  profile?: string
  /** Environment variable that carries the token (POSIX name). */
  envName: string
  /** The program and its arguments. */
  command: string[]
}

/** Checks an environment variable name: letters, digits and `_`, not starting with a digit (exit 2 otherwise). */
export function checkEnvName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`--env "${name}" is not an environment variable name (letters, digits and _, not starting with a digit)`)
  }
  return name
}

/**
 * `oauthctl exec`: runs a program with a fresh access token in its environment, never in its argv (which
 * every user can read in `/proc/PID/cmdline`; `/proc/PID/environ` is the owner's only). The program shares
 * oauthctl's stdin, stdout and stderr; SIGINT, SIGTERM and SIGHUP are passed on and oauthctl waits for it.
 * Resolves to its exit code, 128 + the signal number when a signal ended it, or 127 / 126 (as a shell)
 * when it cannot be found / run. A missing login or a failed refresh throws before anything runs (exit 4).
 */
export async function execWithToken(ctx: Context, input: ExecInput): Promise<number> {
  const envName = checkEnvName(input.envName)
  const [program, ...args] = input.command
  if (!program) throw new UsageError('no command to run', {hint: 'Put it after --: oauthctl exec github -- gh api /user'})
  const {secrets} = await getFreshToken(ctx, input, `the command ${JSON.stringify(program)}`)
  const env = {...ctx.env, [envName]: secrets.accessToken}
  return new Promise((resolve) => {
    // Handlers first: the command shares our stdout, so whoever watches it can signal us as soon as the
    // command has started, before the line after spawn() runs; a signal then must not kill oauthctl.
    let child: ChildProcess | undefined
    const forward = (signal: NodeJS.Signals) => void child?.kill(signal)
    for (const signal of FORWARDED) process.on(signal, forward)
    child = spawn(program, args, {stdio: 'inherit', env})
    const done = (code: number) => {
      for (const signal of FORWARDED) process.off(signal, forward)
      resolve(code)
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      const notFound = error.code === 'ENOENT'
      ctx.io.say(`oauthctl: ${program}: ${notFound ? 'command not found' : `cannot run it (${error.code ?? error.message})`}`)
      done(notFound ? 127 : 126)
    })
    child.once('exit', (code, signal) => {
      if (signal) done(128 + (constants.signals[signal] ?? 0))
      else done(code ?? 1)
    })
  })
}
