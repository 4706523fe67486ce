import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {providerFlag} from '../../cli/oclif-provider-flags.js'
import {pickProvider} from '../../cli/provider-flag.js'
import {printListing} from '../../cli/listing.js'
import {jqFlag} from '../../cli/oclif-jq-flag.js'
import {printJson} from '../../cli/jq.js'
import {formatProviderDetails, showProvider} from '../../providers/provider-report.js'
import {optionValuesFromFlags} from '../../providers/options.js'
import {pickProviderOptionFlags, providerOptionFlags} from '../../providers/option-flags.js'
import {resolveProvider} from '../../providers/registry.js'

export default class ProvidersShow extends BaseCommand {
  static override summary = 'Show everything oauthctl knows about one provider, and the redirect URI to register.'
  static override description =
    'Endpoints, API base and allowed API hosts, default scopes and how they are joined, client authentication, loopback rules, extra authorize parameters, refresh-token rotation, pagination and the quirks handled. Printed on stdout; --json prints the same as JSON.'
  static override examples = [
    '<%= config.bin %> providers show sandbox',
    '<%= config.bin %> providers show -p github',
    '<%= config.bin %> providers show microsoft --tenant contoso.onmicrosoft.com',
    '<%= config.bin %> providers show linkedin --port 8090 --json | jq -r .redirectUri',
  ]
  static override args = {
    name: Args.string({description: 'Provider name (see `oauthctl providers list`).'}),
  }
  static override flags = {
    provider: providerFlag,
    json: Flags.boolean({description: 'Print the details as JSON on stdout.'}),
    jq: jqFlag,
    port: Flags.integer({description: 'Show the redirect URI for `login --port N`.', min: 1, max: 65535}),
    ...providerOptionFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProvidersShow)
    const name = pickProvider(args.name, flags.provider, true)!
    const config = this.ctx.config()
    const optionValues = optionValuesFromFlags(resolveProvider(name, config, this.ctx.env), pickProviderOptionFlags(flags))
    const details = showProvider(config, this.ctx.env, name, {optionValues, port: flags.port})
    if (flags.json || flags.jq !== undefined) await printJson(this.ctx.io, details, flags.jq)
    else printListing(this.ctx.io, formatProviderDetails(details))
  }
}
