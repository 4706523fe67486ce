import {suggestionHint} from './cli/did-you-mean.js'
import {ExitCode, OauthctlError} from './errors.js'
import type {IO} from './io.js'
import {redact} from './redact.js'

/**
 * oclif's parse errors carry advice that is wrong for oauthctl: the "Note: ... provide all arguments before
 * flags" (every repeatable flag here takes one value per occurrence, so `get -H 'A: b' /path` works) and
 * the "See more help" line we replace with the exact help command.
 */
function cleanOclifMessage(message: string): string {
  return message
    .replace(/\n*See more help with --help\s*$/, '')
    .replace(/\n*Note: [^\n]*allows? multiple values\.[^\n]*(\nAlternatively, you can use "--"[^\n]*)?/, '')
    .trimEnd()
}

/**
 * The one place where failures become stderr text and an exit code (see errors.ts for the table).
 * oclif's own parse errors (unknown flag, missing argument) are usage errors: exit 2.
 * `argv` is the command line as typed, for the corrected command of a "Did you mean this?".
 */
export function reportError(
  error: unknown,
  io: IO,
  debug: boolean,
  commandId?: string,
  argv: readonly string[] = process.argv.slice(2),
  options: {oneLine?: boolean} = {},
): number {
  if (error instanceof OauthctlError && options.oneLine) {
    // Helpers that other programs run (git, exec): one line, which git shows as is.
    io.say(`oauthctl: ${redact(error.message)}${error.hint ? `. ${redact(error.hint)}` : ''}`)
    if (debug && error.cause instanceof Error) io.say(redact(`cause: ${error.cause.stack ?? error.cause.message}`))
    return error.exitCode
  }
  if (error instanceof OauthctlError) {
    io.say(`error: ${redact(error.message)}`)
    const suggestion = error.suggest && suggestionHint(argv, error.suggest.wrong, error.suggest.candidates, error.suggest.right)
    if (suggestion) io.say(redact(suggestion))
    // After "Run: <corrected command>", the error's own "Run: ..." is the other way out.
    if (error.hint) io.say(redact(suggestion && error.hint.startsWith('Run: ') ? `Or run: ${error.hint.slice(5)}` : error.hint))
    if (debug && error.cause instanceof Error) io.say(redact(`cause: ${error.cause.stack ?? error.cause.message}`))
    return error.exitCode
  }
  const oclifExit = (error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  if (typeof oclifExit === 'number' && oclifExit !== ExitCode.bug) {
    const message = (error as Error).message
    if (message && oclifExit !== 0) {
      io.say(`error: ${redact(cleanOclifMessage(message))}`)
      io.say(`See \`oauthctl ${commandId ? `${commandId.replaceAll(':', ' ')} ` : ''}--help\`.`)
    }
    return oclifExit
  }
  const message = error instanceof Error ? error.message : String(error)
  io.say(`error: unexpected failure: ${redact(message)}`)
  if (debug && error instanceof Error && error.stack) io.say(redact(error.stack))
  else io.say('This is a bug in oauthctl. Run the command again with --debug and report the output.')
  return ExitCode.bug
}
