import {Command, Flags} from '@oclif/core'
import {createContext, type Context} from './context.js'
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

  /** Report failures in one line (`oauthctl: ...`): for commands other programs run (git helpers, exec). */
  static oneLineErrors = false

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
    const oneLine = (this.constructor as typeof BaseCommand).oneLineErrors
    const code = reportError(error, io, this.ctx?.debugEnabled ?? false, this.id, {oneLine})
    this.exit(code)
  }
}
