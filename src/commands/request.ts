import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, requestFlags} from '../http/api-flags-oclif.js'

export default class Request extends BaseCommand {
  static override summary = 'Send a request with any method (-X) to an API path with the stored token.'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    '<%= config.bin %> request -X OPTIONS /things',
    '<%= config.bin %> request -X HEAD -i /things/1',
    '<%= config.bin %> request -X PROPFIND /dav/ --data @query.xml --content-type application/xml',
  ]
  static override args = apiArgs
  static override flags = requestFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Request)
    await runApiRequest(this.ctx, apiRequestInput(flags.method, args.path, flags))
  }
}
