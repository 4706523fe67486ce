import {Command, Flags, type Interfaces} from '@oclif/core'
import {createContext, type Context} from './context.js'
import {closestShortFlag} from './cli/did-you-mean.js'
import {UsageError} from './errors.js'
import {createProcessIO} from './io.js'
import {reportError} from './report-error.js'

/** oclif's parser output shapes (not exported by @oclif/core's Interfaces). */
type FlagOutput = Parameters<Command['parse']>[0] extends Interfaces.Input<infer F, any, any> | undefined ? F : never
type ArgOutput = Parameters<Command['parse']>[0] extends Interfaces.Input<any, any, infer A> | undefined ? A : never

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

  /**
   * oclif takes a missing optional argument from piped stdin: `echo x | oauthctl logout` would log out
   * provider "x". No argument of ours is ever read that way (stdin is data: `--data -`, `--with-token`, git's
   * and docker's helper protocols), so every command parses with `ignoreStdin` on all of its arguments.
   */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv: string[] = this.argv,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const input = options ?? (this.ctor as unknown as Interfaces.Input<F, B, A>)
    // A command class keeps baseFlags, strict and the rest as inherited statics, which a spread would drop.
    const fields = ['flags', 'baseFlags', 'constraints', 'enableJsonFlag', 'strict', 'context', '--'] as const
    const own = Object.fromEntries(fields.filter((field) => input[field] !== undefined).map((field) => [field, input[field]]))
    return super.parse({...own, args: ignoreStdin(input.args)} as Interfaces.Input<F, B, A>, argv)
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<never> {
    // oclif's this.exit() throws an ExitError; let it through untouched.
    if (error.oclif?.exit !== undefined && error.constructor?.name === 'ExitError') throw error
    const io = this.ctx?.io ?? createProcessIO()
    const oneLine = (this.constructor as typeof BaseCommand).oneLineErrors
    const code = reportError(suggestFlag(error, this.ctor, this.id) ?? error, io, this.ctx?.debugEnabled ?? false, this.id, undefined, {oneLine})
    this.exit(code)
  }
}

/** The same argument definitions, none of them read from piped stdin. */
function ignoreStdin<T extends Interfaces.ArgInput | undefined>(args: T): T {
  if (!args) return args
  return Object.fromEntries(Object.entries(args).map(([name, arg]) => [name, {...arg, ignoreStdin: true}])) as T
}

/** oclif's "Nonexistent flag: --paginat" as a usage error that names the closest real flag. */
function suggestFlag(error: Error & {flags?: unknown}, command: Command.Class, id: string | undefined): UsageError | undefined {
  if (!error.message.startsWith('Nonexistent flag') || !Array.isArray(error.flags) || error.flags.length !== 1) return undefined
  const wrong = String(error.flags[0]).split('=')[0]
  if (!wrong.startsWith('-')) return undefined
  const flags = {...command.baseFlags, ...command.flags} as Record<string, {allowNo?: boolean; hidden?: boolean; char?: string}>
  const visible = Object.entries(flags).filter(([, flag]) => !flag.hidden)
  const candidates = [...visible.flatMap(([name, flag]) => (flag.allowNo ? [`--${name}`, `--no-${name}`] : [`--${name}`])), '--help']
  const shorts = [...visible.flatMap(([, flag]) => (flag.char ? [`-${flag.char}`] : [])), '-h']
  const right = wrong.startsWith('--') ? undefined : closestShortFlag(wrong, shorts, candidates)
  return new UsageError(`unknown flag ${wrong}`, {
    suggest: {wrong, candidates: wrong.startsWith('--') ? candidates : [], ...(right ? {right} : {})},
    hint: `See \`oauthctl ${id ? `${id.replaceAll(':', ' ')} ` : ''}--help\`.`,
  })
}
