import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.js'

export default class GitCredential extends BaseCommand {
  static override summary = "git's credential helper: answers `get` with a fresh token for hosts set up with `setup-git`."
  static override description =
    'Reads the credential description git writes on stdin. `get` for a host mapped by `oauthctl setup-git` prints username= and password= (the access token, refreshed when it expires within 60 s); any other host prints nothing, so git tries its other helpers. `store` and `erase` do nothing (the login is never deleted). Never prompts: a missing login or a failed refresh is one line on stderr and exit 4.'
  static override examples = [
    '<%= config.bin %> setup-git --host git.example.test sandbox && printf "protocol=https\\nhost=git.example.test\\n\\n" | <%= config.bin %> git-credential get',
  ]
  static override oneLineErrors = true
  static override args = {operation: Args.string({description: 'get, store or erase (git passes it).', required: true, ignoreStdin: true})}

  async run(): Promise<void> {
    const {args} = await this.parse(GitCredential)
    const {answerGitCredential, readCredentialRequest} = await import('../credential-helpers/git-credential.js')
    const request = await readCredentialRequest(this.ctx.io.stdin)
    this.ctx.io.out(await answerGitCredential(this.ctx, args.operation, request))
  }
}
