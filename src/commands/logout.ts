import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {pickProvider} from '../cli/provider-flag.js'
import {providerFlag, profileFlag} from '../cli/oclif-provider-flags.js'
import {logout} from '../session/logout.js'
import {pickLoginIfAmbiguous} from '../session/pick-login.js'

export default class Logout extends BaseCommand {
  static override summary = "Revoke a login's tokens at the provider (RFC 7009), then remove them and its metadata."
  static override description = 'Revokes the tokens at the provider (RFC 7009, or GitHub\'s own API) before deleting them locally. With several logins stored and none named, asks which on a terminal, else exits 2 listing them. A failed revocation is a warning and the login is still removed (exit 0); with --strict it exits 5 and keeps the login.'
  static override examples = ['<%= config.bin %> logout -p sandbox --profile work --no-revoke', '<%= config.bin %> logout sandbox']
  static override args = {
    provider: Args.string({description: 'Provider name; defaults to the default login.'}),
  }
  static override flags = {
    provider: providerFlag,
    profile: profileFlag,
    revoke: Flags.boolean({description: 'Revoke the tokens at the provider first (--no-revoke only forgets them).', default: true, allowNo: true}),
    strict: Flags.boolean({description: 'Exit 5 and keep the login when the revocation fails (default: warn and remove it).'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logout)
    const named = {provider: pickProvider(args.provider, flags.provider), profile: flags.profile}
    const picked = await pickLoginIfAmbiguous(this.ctx.io, this.ctx.config(), named, 'logout')
    const target = await logout(this.ctx, {...named, ...picked, revoke: flags.revoke, strict: flags.strict})
    this.ctx.io.say(`Logged out of ${target.provider} (profile ${target.profile}); its tokens were removed.`)
  }
}
