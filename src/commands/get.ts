import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, apiFlags} from '../http/api-flags-oclif.js'

export default class Get extends BaseCommand {
  static override summary = 'GET an API path with the stored token and print the response body.'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    '<%= config.bin %> get /v2/me | jq .id',
    '<%= config.bin %> get -p github /user/repos -q per_page=100 --paginate --slurp | jq length',
    "<%= config.bin %> get -i /items -H 'Accept: application/vnd.github+json'",
  ]
  static override args = apiArgs
  static override flags = apiFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Get)
    await runApiRequest(this.ctx, apiRequestInput('GET', args.path, flags))
  }
}
