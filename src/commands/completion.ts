import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {COMPLETION_SCRIPTS} from '../cli/completion-scripts.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description = `Completes commands, flags, provider names (the presets and your own) and the profiles you are logged in with. Install it once:
  bash: echo 'eval "$(oauthctl completion bash)"' >> ~/.bashrc
  zsh:  echo 'eval "$(oauthctl completion zsh)"' >> ~/.zshrc   (after compinit)
  fish: oauthctl completion fish > ~/.config/fish/completions/oauthctl.fish`
  static override examples = ['eval "$(<%= config.bin %> completion bash)"', 'mkdir -p ~/.config/fish/completions && <%= config.bin %> completion fish > ~/.config/fish/completions/oauthctl.fish']
  static override args = {
    shell: Args.string({description: 'Shell to complete in.', required: true, options: Object.keys(COMPLETION_SCRIPTS)}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Completion)
    this.ctx.io.out(COMPLETION_SCRIPTS[args.shell as keyof typeof COMPLETION_SCRIPTS])
  }
}
