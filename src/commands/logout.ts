import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {logout} from '../flows/logout.js'

export default class Logout extends BaseCommand {
  static override summary = 'Remove the stored tokens and metadata of a login.'
  static override examples = ['<%= config.bin %> logout', '<%= config.bin %> logout github --profile work']
  static override args = {
    provider: Args.string({description: 'Provider name; defaults to the default login.'}),
  }
  static override flags = {
    profile: Flags.string({description: 'Profile name.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logout)
    const target = await logout(this.ctx, {provider: args.provider, profile: flags.profile})
    this.ctx.io.say(`Logged out of ${target.provider} (profile ${target.profile}); its tokens were removed.`)
  }
}
