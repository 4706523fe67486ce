import {Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {listingWidth, printListing, truncateLine} from '../cli/listing.js'
import {jqFlag} from '../cli/oclif-jq-flag.js'
import {printJson} from '../cli/jq.js'
import {NotLoggedInError} from '../errors.js'
import {formatStatus, listStatus, type StatusEntry} from '../session/status.js'

export default class Status extends BaseCommand {
  static override summary = 'Show every stored login: provider, profile, subject, scopes, expiry, store.'
  static override description =
    'Never prints a secret. The listing goes to stdout (--json: a JSON array with "default": true on the default login); `*` marks the default login, the one used when no provider is named. Exit 4 when nothing is stored (--json still prints []).'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json | jq -r ".[].provider"', "<%= config.bin %> status --jq '.[] | .provider'", '<%= config.bin %> status --check || <%= config.bin %> login sandbox']
  static override flags = {
    json: Flags.boolean({description: 'Print a JSON array on stdout.'}),
    jq: jqFlag,
    check: Flags.boolean({description: 'Confirm each token still works (userinfo, the "me" API or introspection); exit 4 if any fails, 7 if a provider cannot be reached.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Status)
    const json = flags.json || flags.jq !== undefined
    const entries = listStatus(this.ctx)
    if (entries.length === 0) {
      if (json) await printJson(this.ctx.io, [], flags.jq)
      throw new NotLoggedInError('not logged in to any provider', {
        hint: 'Run `oauthctl login <provider>` (try `oauthctl login sandbox` with `oauthctl sandbox` running).',
      })
    }
    if (flags.check) {
      const {checkLogins, failedCheckError, formatCheck} = await import('../session/status-check.js')
      const checked = await checkLogins(this.ctx, entries)
      if (json) await printJson(this.ctx.io, checked, flags.jq)
      else this.print(checked, (entry) => [formatCheck(entry.check)])
      const failure = failedCheckError(checked, this.ctx.config())
      if (failure) throw failure
      return
    }
    if (json) await printJson(this.ctx.io, entries, flags.jq)
    else this.print(entries, () => [])
  }

  private print<T extends StatusEntry>(entries: T[], extra: (entry: T) => string[]): void {
    const width = listingWidth(this.ctx.io)
    const lines = entries.flatMap((entry) => [...formatStatus([entry], this.ctx.now()), ...extra(entry)])
    if (entries.some((entry) => entry.default)) lines.push('* the default login: used when no provider is named')
    printListing(this.ctx.io, this.ctx.io.stdoutIsTTY ? lines.map((line) => truncateLine(line, width)) : lines)
  }
}
