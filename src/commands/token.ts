import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {printToken} from '../flows/print-token.js'

export default class Token extends BaseCommand {
  static override summary = 'Print the access token (refreshing it first when it expires within 60 s).'
  static override description = `Prints the access token and a newline on stdout, nothing else, for TOKEN=$(oauthctl token). The only command that prints a secret.`
  static override examples = ['TOKEN=$(<%= config.bin %> token)', '<%= config.bin %> token linkedin --json | jq .expiresAt']
  static override args = {
    provider: Args.string({description: 'Provider name; defaults to the last one logged in to.'}),
  }
  static override flags = {
    profile: Flags.string({description: 'Profile name.'}),
    json: Flags.boolean({description: 'Print the non-secret metadata plus the access token as JSON.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Token)
    await printToken(this.ctx, {provider: args.provider, profile: flags.profile, json: flags.json})
  }
}
