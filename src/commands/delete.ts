import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, apiFlags} from '../http/api-flags-oclif.js'

export default class Delete extends BaseCommand {
  static override summary = 'DELETE an API path with the stored token.'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    '<%= config.bin %> delete /things/1',
    '<%= config.bin %> delete /things/1 -q force=true --silent',
  ]
  static override args = apiArgs
  static override flags = apiFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Delete)
    await runApiRequest(this.ctx, apiRequestInput('DELETE', args.path, flags))
  }
}
