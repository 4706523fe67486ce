import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, apiFlags} from '../http/api-flags-oclif.js'

export default class Put extends BaseCommand {
  static override summary = 'PUT to an API path with the stored token (fields as a JSON body, or --data).'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    '<%= config.bin %> put -p github /user/starred/o/r',
    '<%= config.bin %> put /things/1 -F count=3 -F enabled=true',
  ]
  static override args = apiArgs
  static override flags = apiFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Put)
    await runApiRequest(this.ctx, apiRequestInput('PUT', args.path, flags))
  }
}
