import {Args, loadHelpClass} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {HELP_TOPICS} from '../cli/help-topics.js'
import {UsageError} from '../errors.js'

export default class Help extends BaseCommand {
  static override summary = 'Help for a command, or a topic: environment, exit-codes.'
  static override description = `Same as \`oauthctl COMMAND --help\` (or -h). Topics: ${Object.entries(HELP_TOPICS)
    .map(([name, topic]) => `${name} (${topic.summary.replace(/\.$/, '').toLowerCase()})`)
    .join(', ')}.`
  static override examples = ['<%= config.bin %> help login', '<%= config.bin %> help providers add', '<%= config.bin %> help exit-codes']
  static override strict = false
  static override args = {command: Args.string({description: 'Command (words separated by spaces) or help topic.'})}

  async run(): Promise<void> {
    const words = this.argv.filter((word) => !word.startsWith('-'))
    const topic = words.length === 1 ? HELP_TOPICS[words[0]] : undefined
    if (topic) return void this.ctx.io.out(topic.text)
    if (words.length > 0) checkHelpSubject(this.config, words)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config).showHelp(words)
  }
}

/** `help logn`: exit 2 with the closest command or topic instead of oclif's "command help:logn not found". */
function checkHelpSubject(config: Help['config'], words: string[]): void {
  const id = words.join(':')
  if (config.findCommand(id) || config.findTopic(id)) return
  const visible = config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const topicWord = words.length > 1 && config.findTopic(words[0]) ? words[0] : undefined
  const wrong = topicWord ? words[1] : words[0]
  const candidates = topicWord
    ? visible.filter((candidate) => candidate.startsWith(`${topicWord}:`)).map((candidate) => candidate.split(':')[1])
    : [...new Set(visible.map((candidate) => candidate.split(':')[0])), ...Object.keys(HELP_TOPICS)]
  throw new UsageError(`no command or help topic "${words.join(' ')}"`, {
    suggest: {wrong, candidates},
    hint: 'See `oauthctl help` for the commands and topics.',
  })
}
