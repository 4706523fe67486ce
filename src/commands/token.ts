import {BaseCommand} from '../base-command.js'
import type {ParsedCommand} from '../cli/flag-spec.js'
import {toOclifArgs, toOclifFlags} from '../cli/oclif-flags.js'
import {run, spec} from '../cli/specs/token.js'

export default class Token extends BaseCommand {
  static override summary = spec.summary
  static override description = spec.description
  static override examples = spec.examples ?? []
  static override args = toOclifArgs(spec.args)
  static override flags = toOclifFlags(spec.flags)

  async run(): Promise<void> {
    await run(this.ctx, (await this.parse(Token)) as ParsedCommand)
  }
}
