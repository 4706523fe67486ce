import {Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {formatStatus, listStatus} from '../flows/status.js'

export default class Status extends BaseCommand {
  static override summary = 'Show every stored login: provider, profile, subject, scopes, expiry, store.'
  static override description = 'Never prints a secret. The human listing goes to stderr; --json prints a JSON array on stdout. `*` marks the default.'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json | jq -r ".[].provider"', '<%= config.bin %> status --check || <%= config.bin %> login sandbox']
  static override flags = {
    json: Flags.boolean({description: 'Print a JSON array on stdout.'}),
    check: Flags.boolean({description: 'Confirm each token still works (userinfo, the "me" API or introspection); exit 4 if any fails, 7 if a provider cannot be reached.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Status)
    const entries = listStatus(this.ctx)
    if (flags.check && entries.length > 0) {
      const {checkLogins, failedCheckError, formatCheck} = await import('../flows/status-check.js')
      const checked = await checkLogins(this.ctx, entries)
      if (flags.json) this.ctx.io.out(`${JSON.stringify(checked, null, 2)}\n`)
      else for (const entry of checked) for (const line of [...formatStatus([entry], this.ctx.now()), formatCheck(entry.check)]) this.ctx.io.say(line)
      const failure = failedCheckError(checked)
      if (failure) throw failure
      return
    }
    if (flags.json) this.ctx.io.out(`${JSON.stringify(entries, null, 2)}\n`)
    else for (const line of formatStatus(entries, this.ctx.now())) this.ctx.io.say(line)
  }
}
