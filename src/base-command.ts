import {Command, Flags} from '@oclif/core'
import {createContext, type Context} from './context.js'
import {UsageError} from './errors.js'
import {createProcessIO} from './io.js'
import {reportError} from './report-error.js'

/**
 * Shared flags, the Context, and the single error-to-exit-code mapping for every command.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      description: 'Print redacted diagnostics to stderr.',
      helpGroup: 'GLOBAL',
    }),
  }

  protected ctx!: Context

  override async init(): Promise<void> {
    await super.init()
    const debugEnabled = this.argv.includes('--debug') || process.env.OAUTHCTL_DEBUG === '1'
    this.ctx = createContext({debugEnabled})
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<never> {
    // oclif's this.exit() throws an ExitError; let it through untouched.
    if (error.oclif?.exit !== undefined && error.constructor?.name === 'ExitError') throw error
    const io = this.ctx?.io ?? createProcessIO()
    const code = reportError(suggestFlag(error, this.ctor, this.id) ?? error, io, this.ctx?.debugEnabled ?? false, this.id)
    this.exit(code)
  }
}

/** oclif's "Nonexistent flag: --paginat" as a usage error that names the closest real flag. */
function suggestFlag(error: Error & {flags?: unknown}, command: Command.Class, id: string | undefined): UsageError | undefined {
  if (!error.message.startsWith('Nonexistent flag') || !Array.isArray(error.flags) || error.flags.length !== 1) return undefined
  const wrong = String(error.flags[0]).split('=')[0]
  if (!wrong.startsWith('--')) return undefined
  const flags = {...command.baseFlags, ...command.flags} as Record<string, {allowNo?: boolean; hidden?: boolean}>
  const candidates = Object.entries(flags)
    .filter(([, flag]) => !flag.hidden)
    .flatMap(([name, flag]) => (flag.allowNo ? [`--${name}`, `--no-${name}`] : [`--${name}`]))
  return new UsageError(`unknown flag ${wrong}`, {
    suggest: {wrong, candidates: [...candidates, '--help']},
    hint: `See \`oauthctl ${id ? `${id.replaceAll(':', ' ')} ` : ''}--help\`.`,
  })
}
