import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, apiFlags} from '../http/api-flags-oclif.js'

export default class Patch extends BaseCommand {
  static override summary = 'PATCH an API path with the stored token (fields as a JSON body, or --data).'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    '<%= config.bin %> patch /things/1 -f name=new --content-type application/merge-patch+json',
  ]
  static override args = apiArgs
  static override flags = apiFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Patch)
    await runApiRequest(this.ctx, apiRequestInput('PATCH', args.path, flags))
  }
}
