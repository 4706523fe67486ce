import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {switchDefault} from '../flows/switch.js'

export default class Switch extends BaseCommand {
  static override summary = 'Make a stored login the default (for token, get and logout without a provider).'
  static override description =
    "Sets the default provider and that provider's default profile. Without a profile: the provider's current default profile, else \"default\". Exit 4 when there is no such login."
  static override examples = ['<%= config.bin %> switch github work', '<%= config.bin %> switch sandbox']
  static override args = {
    provider: Args.string({description: 'Provider name.', required: true}),
    profile: Args.string({description: 'Profile name.'}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Switch)
    const target = await switchDefault(this.ctx, {provider: args.provider, profile: args.profile})
    this.ctx.io.say(`Default is now ${target.provider} (profile ${target.profile}).`)
  }
}
