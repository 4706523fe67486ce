import type {Hook} from '@oclif/core'
import {suggestionHint} from '../cli/did-you-mean.js'
import {ExitCode} from '../errors.js'
import {createProcessIO} from '../io.js'

/**
 * `oauthctl logn`, `oauthctl providers lst`: a usage error (exit 2) naming the closest command and the
 * exact command line to run instead, as gh's "Did you mean this?". Never runs the guess.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const io = createProcessIO()
  const visible = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const [first, ...rest] = options.id.split(':')
  let wrong = first
  let candidates = [...new Set([...visible.map((id) => id.split(':')[0]), 'help'])]
  let typed = first
  if (rest.length > 0 && options.config.findTopic(first)) {
    wrong = rest[0]
    candidates = visible.filter((id) => id.startsWith(`${first}:`)).map((id) => id.split(':')[1])
    typed = `${first} ${wrong}`
  }
  io.say(`error: unknown command "${typed}"`)
  const suggestion = suggestionHint(process.argv.slice(2), wrong, candidates)
  if (suggestion) io.say(suggestion)
  io.say(`See \`oauthctl help\` for the list of commands.`)
  process.exitCode = ExitCode.usage
}

export default hook
