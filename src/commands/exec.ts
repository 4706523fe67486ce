import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'

export default class Exec extends BaseCommand {
  static override summary = 'Run a command with a fresh access token in an environment variable (never in its argv).'
  static override description =
    "Refreshes the token first when it expires within 60 s (under the same lock as `token`), then runs the command with it in OAUTH_TOKEN (or --env NAME), sharing stdin, stdout and stderr and passing on SIGINT, SIGTERM and SIGHUP. Exits with the command's exit code (128 + N when signal N ended it, 127 when it is not found). A missing login or a failed refresh is exit 4 and the command does not run."
  static override examples = [
    '<%= config.bin %> exec sandbox --env API_TOKEN -- sh -c \'test -n "$API_TOKEN" && echo token received\'',
    '<%= config.bin %> exec -- sh -c \'printf "header = \\"Authorization: Bearer %s\\"" "$OAUTH_TOKEN" | curl -sf -K - http://127.0.0.1:9000/api/v2/me\'',
  ]
  static override strict = false
  static override oneLineErrors = true
  static override args = {provider: Args.string({description: 'Provider name; defaults to the last one logged in to.', ignoreStdin: true})}
  static override flags = {
    provider: Flags.string({char: 'p', description: 'Provider name (instead of the argument).'}),
    profile: Flags.string({description: 'Profile name.'}),
    env: Flags.string({description: 'Environment variable that carries the token.', default: 'OAUTH_TOKEN', helpValue: 'NAME'}),
  }

  async run(): Promise<void> {
    const all = [...this.argv] // parse() replaces this.argv
    const split = all.indexOf('--')
    if (split === -1) throw new UsageError('put the command after --', {hint: 'Example: oauthctl exec github -- gh api /user'})
    const {args, flags, argv} = await this.parse(Exec, all.slice(0, split))
    if (argv.length > 1) throw new UsageError(`unexpected argument "${argv[1]}" before --`)
    if (args.provider && flags.provider && args.provider !== flags.provider) throw new UsageError('two different providers given (argument and -p)')
    const {execWithToken} = await import('../credential-helpers/exec-command.js')
    const code = await execWithToken(this.ctx, {
      provider: flags.provider ?? args.provider,
      profile: flags.profile,
      envName: flags.env,
      command: all.slice(split + 1),
    })
    if (code !== 0) this.exit(code)
  }
}
