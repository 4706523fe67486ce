import {BaseCommand} from '../base-command.js'
import type {Context} from '../context.js'
import type {CommandSpec, ParsedCommand} from './flag-spec.js'
import {toOclifArgs, toOclifFlags} from './oclif-flags.js'

export type RunCommand = (ctx: Context, parsed: ParsedCommand) => Promise<void>

/**
 * The oclif command for a spec: help, manifest and parse errors come from oclif, the work from the same
 * `run` function the fast path calls.
 */
export function specCommand(spec: CommandSpec, run: RunCommand): typeof BaseCommand {
  return class extends BaseCommand {
    static override summary = spec.summary
    static override description = spec.description
    static override examples = spec.examples ?? []
    static override args = toOclifArgs(spec.args)
    static override flags = toOclifFlags(spec.flags)

    async run(): Promise<void> {
      await run(this.ctx, (await this.parse()) as ParsedCommand)
      if (this.ctx.pendingError) throw this.ctx.pendingError
    }
  }
}
