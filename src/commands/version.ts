import {Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'

export default class Version extends BaseCommand {
  static override summary = 'Print the oauthctl version (same as --version).'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json | jq -r .version']
  static override flags = {json: Flags.boolean({description: 'Print version, Node.js version, platform and architecture as JSON.'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const {version, platform, arch} = this.config
    if (flags.json) this.ctx.io.out(`${JSON.stringify({version, node: process.versions.node, platform, arch}, null, 2)}\n`)
    else this.ctx.io.out(`${this.config.userAgent}\n`)
  }
}
