import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {providerFlag} from '../../cli/oclif-provider-flags.js'
import {pickProvider} from '../../cli/provider-flag.js'
import {removeProvider} from '../../providers/remove-provider.js'

export default class ProvidersRemove extends BaseCommand {
  static override summary = 'Remove a custom provider, or your settings for a built-in one.'
  static override description =
    'The client secret kept for it is removed from the secret store too. Refused (exit 3) while you are logged in to it, unless --force, which logs out every profile first.'
  static override examples = ['<%= config.bin %> providers remove legacy', '<%= config.bin %> providers remove corp --force']
  static override args = {
    name: Args.string({description: 'Provider name.'}),
  }
  static override flags = {
    provider: providerFlag,
    force: Flags.boolean({description: 'Log out of the provider first.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProvidersRemove)
    const name = pickProvider(args.name, flags.provider, true)!
    const result = await removeProvider(this.ctx, {name: name, force: flags.force})
    for (const profile of result.loggedOut) this.ctx.io.say(`Logged out of ${result.name} (profile ${profile}).`)
    this.ctx.io.say(
      result.removed === 'custom'
        ? `Removed provider ${result.name}.`
        : `Removed your settings for ${result.name}; the built-in preset applies again.`,
    )
  }
}
