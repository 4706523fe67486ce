import {ExitCode, OauthctlError} from './errors.js'
import type {IO} from './io.js'
import {redact} from './redact.js'

/**
 * The one place where failures become stderr text and an exit code (see errors.ts for the table).
 * oclif's own parse errors (unknown flag, missing argument) are usage errors: exit 2.
 */
export function reportError(error: unknown, io: IO, debug: boolean, commandId?: string, options: {oneLine?: boolean} = {}): number {
  if (error instanceof OauthctlError && options.oneLine) {
    // Helpers that other programs run (git, exec): one line, which git shows as is.
    io.say(`oauthctl: ${redact(error.message)}${error.hint ? `. ${redact(error.hint)}` : ''}`)
    if (debug && error.cause instanceof Error) io.say(redact(`cause: ${error.cause.stack ?? error.cause.message}`))
    return error.exitCode
  }
  if (error instanceof OauthctlError) {
    io.say(`error: ${redact(error.message)}`)
    if (error.hint) io.say(redact(error.hint))
    if (debug && error.cause instanceof Error) io.say(redact(`cause: ${error.cause.stack ?? error.cause.message}`))
    return error.exitCode
  }
  const oclifExit = (error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  if (typeof oclifExit === 'number' && oclifExit !== ExitCode.bug) {
    const message = (error as Error).message
    if (message && oclifExit !== 0) {
      io.say(`error: ${redact(message.replace(/\n*See more help with --help\s*$/, ''))}`)
      io.say(`See \`oauthctl ${commandId ? `${commandId} ` : ''}--help\`.`)
    }
    return oclifExit
  }
  const message = error instanceof Error ? error.message : String(error)
  io.say(`error: unexpected failure: ${redact(message)}`)
  if (debug && error instanceof Error && error.stack) io.say(redact(error.stack))
  else io.say('This is a bug in oauthctl. Run the command again with --debug and report the output.')
  return ExitCode.bug
}
