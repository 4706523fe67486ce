import {Help} from '@oclif/core'
import {HELP_TOPICS} from './cli/help-topics.js'

/** oclif's help, with the help topics that are not commands listed after the root help. */
export default class OauthctlHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    const width = Math.max(...Object.keys(HELP_TOPICS).map((name) => name.length))
    this.log(this.section('HELP TOPICS', Object.entries(HELP_TOPICS).map(([name, topic]) => `${name.padEnd(width)}  ${topic.summary}`).join('\n')))
    this.log('')
    this.log('Help on a command: `oauthctl help COMMAND` or `oauthctl COMMAND -h`.')
  }
}
