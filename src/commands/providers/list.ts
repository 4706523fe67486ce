import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {listingWidth, printListing} from '../../cli/listing.js'
import {jqFlag} from '../../cli/oclif-jq-flag.js'
import {printJson} from '../../cli/jq.js'
import {formatProviderTable, listProviderDetails} from '../../providers/provider-report.js'

export default class ProvidersList extends BaseCommand {
  static override summary = 'List the built-in presets and your own providers.'
  static override description =
    'For each: where it comes from, whether you must bring your own app, device-flow support and the redirect URI to register. The table goes to stdout and fits 80 columns (every detail: `providers show NAME` or --json, a JSON array).'
  static override examples = ['<%= config.bin %> providers list', '<%= config.bin %> providers list | grep github', '<%= config.bin %> providers list --json | jq -r ".[] | select(.needsOwnApp) | .name"']
  static override flags = {
    json: Flags.boolean({description: 'Print a JSON array on stdout.'}),
    jq: jqFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProvidersList)
    const list = listProviderDetails(this.ctx.config(), this.ctx.env)
    if (flags.json || flags.jq !== undefined) await printJson(this.ctx.io, list, flags.jq)
    else {
      printListing(this.ctx.io, formatProviderTable(list, listingWidth(this.ctx.io)))
      this.ctx.io.say('Details: oauthctl providers show <name>')
    }
  }
}
