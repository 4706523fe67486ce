import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {jqFlag} from '../cli/oclif-jq-flag.js'
import {printJson} from '../cli/jq.js'
import {pickProvider} from '../cli/provider-flag.js'
import {profileFlag, providerFlag} from '../cli/oclif-provider-flags.js'
import {forceRefresh} from '../session/force-refresh.js'
import {MAX_LOGIN_TIMEOUT_S} from '../login/loopback-login.js'
import {splitScopes} from '../login/scopes.js'

export default class Refresh extends BaseCommand {
  static override summary = 'Refresh the tokens now; with --scope, change the scopes (a new consent when they grow).'
  static override description =
    'Like `gh auth refresh`. Without --scope: a refresh_token grant now, under the same lock as automatic refreshes (exit 4 with the login command when there is no refresh token). --scope with fewer of the granted scopes narrows them on the refresh (RFC 6749 §6); any other change opens a new browser login with those scopes. Prints the new expiry on stderr; nothing on stdout unless --json.'
  static override examples = [
    '<%= config.bin %> refresh',
    '<%= config.bin %> refresh sandbox --json',
    '<%= config.bin %> refresh -p sandbox --profile default --scope openid,profile --scope "email offline_access"',
  ]
  static override args = {provider: Args.string({description: 'Provider name; defaults to the default login.'})}
  static override flags = {
    provider: providerFlag,
    profile: profileFlag,
    scope: Flags.string({description: 'The scopes wanted from now on (repeatable, or separated by commas or spaces).', multiple: true, multipleNonGreedy: true}),
    timeout: Flags.integer({description: 'For a new consent: seconds to wait for the browser redirect.', default: 300, min: 1, max: MAX_LOGIN_TIMEOUT_S}),
    browser: Flags.boolean({description: 'For a new consent: open the browser (--no-browser only prints the URL).', default: true, allowNo: true}),
    resource: Flags.string({description: 'Narrow the token to these of the login\'s resource indicators (RFC 8707; repeatable); kept from now on.', multiple: true}),
    json: Flags.boolean({description: 'Print provider, profile, scopes and the new expiry as JSON on stdout.'}),
    jq: jqFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Refresh)
    this.ctx.trapInterrupts()
    const result = await forceRefresh(this.ctx, {
      provider: pickProvider(args.provider, flags.provider),
      profile: flags.profile,
      scopes: splitScopes(flags.scope),
      resources: flags.resource,
      timeoutMs: flags.timeout * 1000,
      openBrowser: flags.browser,
    })
    const {provider, profile} = result.target
    const expiry = result.expiresAt === undefined ? 'no expiry given' : `expires ${new Date(result.expiresAt).toISOString()}`
    const what = {refresh: 'Refreshed', narrowed: 'Refreshed with fewer scopes', reconsent: 'Logged in again'}[result.how]
    this.ctx.io.say(`${what}: ${provider} (profile ${profile}); the access token ${expiry}; scopes: ${result.scopes.join(' ') || '(none)'}.`)
    if (flags.json || flags.jq !== undefined) {
      const document = {provider, profile, how: result.how, scopes: result.scopes, expiresAt: result.expiresAt === undefined ? null : new Date(result.expiresAt).toISOString()}
      await printJson(this.ctx.io, document, flags.jq)
    }
  }
}
