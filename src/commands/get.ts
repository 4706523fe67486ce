import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'

export default class Get extends BaseCommand {
  static override summary = "GET an API path with the stored token and print the response body."
  static override description = `A path is resolved against the provider's API base; an absolute URL must be on the provider's API hosts. The body goes to stdout unchanged (pipe it into jq). A 401 triggers one refresh and one retry. Status >= 400 exits 7 with the status line on stderr; no stored token exits 4.`
  static override examples = ['<%= config.bin %> get /v2/me | jq .id', '<%= config.bin %> get -p github /user/repos -H "Accept: application/vnd.github+json"']
  static override args = {
    path: Args.string({description: 'API path (/v2/me) or absolute URL on an API host.', required: true}),
  }
  static override flags = {
    provider: Flags.string({char: 'p', description: 'Provider to use instead of the default.'}),
    profile: Flags.string({description: 'Profile name.'}),
    header: Flags.string({char: 'H', description: 'Extra request header "Name: value" (repeatable).', multiple: true, default: []}),
    include: Flags.boolean({char: 'i', description: 'Print the status line and response headers before the body.'}),
    'allow-host': Flags.string({description: 'Also allow sending the token to this host (repeatable).', multiple: true, default: []}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Get)
    await runApiRequest(this.ctx, {
      provider: flags.provider,
      profile: flags.profile,
      method: 'GET',
      pathOrUrl: args.path,
      headers: flags.header,
      allowHosts: flags['allow-host'],
      include: flags.include,
    })
  }
}
