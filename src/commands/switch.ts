import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {profileFlag, providerFlag} from '../cli/oclif-provider-flags.js'
import {pickProvider} from '../cli/provider-flag.js'
import {UsageError} from '../errors.js'
import {switchDefault} from '../session/switch.js'

export default class Switch extends BaseCommand {
  static override summary = 'Make a stored login the default (for token, get and logout without a provider).'
  static override description =
    "Sets the default provider and that provider's default profile. Without a profile: the provider's current default profile, else \"default\". Exit 4 when there is no such login."
  static override examples = ['<%= config.bin %> switch sandbox', '<%= config.bin %> switch sandbox default', '<%= config.bin %> switch -p sandbox --profile default']
  static override args = {
    provider: Args.string({description: 'Provider name; or -p NAME.'}),
    profile: Args.string({description: 'Profile name; or --profile NAME.'}),
  }
  static override flags = {provider: providerFlag, profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Switch)
    if (args.profile !== undefined && flags.profile !== undefined && args.profile !== flags.profile) {
      throw new UsageError(`two profiles given: "${args.profile}" and --profile "${flags.profile}"`)
    }
    const provider = pickProvider(args.provider, flags.provider, true)!
    const target = await switchDefault(this.ctx, {provider, profile: args.profile ?? flags.profile})
    this.ctx.io.say(`Default is now ${target.provider} (profile ${target.profile}).`)
  }
}
