import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {formatProviderTable, listProviderDetails} from '../../flows/providers.js'

export default class ProvidersList extends BaseCommand {
  static override summary = 'List the built-in presets and your own providers.'
  static override description =
    'For each: where it comes from, whether you must bring your own app, device-flow support and the redirect URI to register. The table goes to stderr; --json prints every detail as a JSON array on stdout.'
  static override examples = ['<%= config.bin %> providers list', '<%= config.bin %> providers list --json | jq -r ".[] | select(.needsOwnApp) | .name"']
  static override flags = {
    json: Flags.boolean({description: 'Print a JSON array on stdout.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProvidersList)
    const list = listProviderDetails(this.ctx.config(), this.ctx.env)
    if (flags.json) this.ctx.io.out(`${JSON.stringify(list, null, 2)}\n`)
    else for (const line of formatProviderTable(list)) this.ctx.io.say(line)
  }
}
