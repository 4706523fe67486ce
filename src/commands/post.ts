import {BaseCommand} from '../base-command.js'
import {runApiRequest} from '../flows/api-request.js'
import {API_COMMAND_DESCRIPTION, apiRequestInput} from '../http/api-flags.js'
import {apiArgs, apiFlags} from '../http/api-flags-oclif.js'

export default class Post extends BaseCommand {
  static override summary = 'POST to an API path with the stored token: fields as a JSON body, or --data.'
  static override description = API_COMMAND_DESCRIPTION
  static override examples = [
    "<%= config.bin %> post -p github /repos/o/r/issues -f title=Bug -F draft=false -f 'labels[]=bug'",
    '<%= config.bin %> post /upload --data @photo.jpg --content-type image/jpeg',
    `jq -n '{name: "x"}' | <%= config.bin %> post /things --data -`,
  ]
  static override args = apiArgs
  static override flags = apiFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Post)
    await runApiRequest(this.ctx, apiRequestInput('POST', args.path, flags))
  }
}
