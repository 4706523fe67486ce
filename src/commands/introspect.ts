import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {pickProvider} from '../cli/provider-flag.js'
import {providerFlag, profileFlag} from '../cli/oclif-provider-flags.js'
import {jqFlag} from '../cli/oclif-jq-flag.js'
import {runIntrospect} from '../session/introspect.js'

export default class Introspect extends BaseCommand {
  static override summary = 'Ask the provider about the stored access token (RFC 7662 introspection).'
  static override description = `Prints the provider's introspection response as JSON on stdout: active, scope, exp, client_id, sub and the like; never the token itself. The token is not refreshed first, so an expired one shows "active": false. Exit 3 when the provider has no introspection endpoint, 4 when not logged in.`
  static override examples = ['<%= config.bin %> introspect | jq .active', '<%= config.bin %> introspect sandbox --profile work', '<%= config.bin %> introspect -p sandbox', "<%= config.bin %> introspect --jq .active"]
  static override args = {
    provider: Args.string({description: 'Provider name; defaults to the default login.'}),
  }
  static override flags = {
    provider: providerFlag,
    profile: profileFlag,
    jq: jqFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Introspect)
    await runIntrospect(this.ctx, {provider: pickProvider(args.provider, flags.provider), profile: flags.profile, jq: flags.jq})
  }
}
