import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'

export default class SetupGit extends BaseCommand {
  static override summary = 'Make git use oauthctl as the credential helper for a host (global git config).'
  static override description =
    'Writes `credential.https://HOST.helper` into your global git config (first an empty entry, which drops helpers configured before it for that host, then oauthctl by its absolute path) and remembers which login answers for HOST. Known hosts: github.com (github), gitlab.com or a self-managed GitLab logged in with --host (gitlab), dev.azure.com (microsoft), bitbucket.org (a provider you add as "bitbucket").'
  static override examples = [
    '<%= config.bin %> setup-git github',
    '<%= config.bin %> setup-git --host gitlab.example.com gitlab',
    '<%= config.bin %> setup-git --host github.com github --profile work',
  ]
  static override args = {provider: Args.string({description: "Provider name; defaults to the host's provider, else the default login.", ignoreStdin: true})}
  static override flags = {
    host: Flags.string({description: "Git host (default: the provider's git host).", helpValue: 'HOST'}),
    profile: Flags.string({description: "Profile name (default: the provider's default profile when git asks)."}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SetupGit)
    const {setupGit} = await import('../credential-helpers/setup-git.js')
    const result = await setupGit(this.ctx, {
      provider: args.provider,
      profile: flags.profile,
      host: flags.host,
      cliCommand: [process.execPath, process.argv[1]],
    })
    this.ctx.io.say(`git now asks oauthctl for ${result.url} (login ${result.provider}${result.profile ? ` --profile ${result.profile}` : ''}, user ${result.username}).`)
    if (!result.loggedIn) this.ctx.io.warn(`there is no ${result.provider} login yet: run oauthctl login ${result.provider}`)
  }
}
