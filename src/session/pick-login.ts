import {createInterface} from 'node:readline'
import type {ConfigData} from '../config.js'
import type {IO} from '../io.js'
import {UsageError} from '../errors.js'

/** A stored login as named on the command line. */
export interface LoginName {
  provider: string
  profile: string
}

/**
 * Which login a command that destroys one (`logout`) acts on when none was named. With one login stored,
 * that one; with several, never a silent guess: on a terminal the user picks from a numbered list (on
 * stderr, the answer read from stdin); otherwise a usage error (exit 2) lists the exact commands.
 * Returns undefined when a name was given or nothing is stored (the caller's usual resolution applies).
 */
export async function pickLoginIfAmbiguous(io: IO, config: ConfigData, named: {provider?: string; profile?: string}, command: string): Promise<LoginName | undefined> {
  if (named.provider !== undefined || named.profile !== undefined) return undefined
  const logins = Object.values(config.logins ?? {}).map(({provider, profile}) => ({provider, profile}))
  if (logins.length < 2) return undefined
  const commands = logins.map((login) => `oauthctl ${command} ${login.provider} --profile ${login.profile}`)
  if (!io.stdinIsTTY || !io.stderrIsTTY) {
    throw new UsageError(`${logins.length} logins are stored; name the one to ${command}:\n${commands.map((line) => `  ${line}`).join('\n')}`)
  }
  io.say(`${logins.length} logins are stored. Which one to ${command}?`)
  logins.forEach((login, index) => io.say(`  ${index + 1}. ${login.provider} (profile ${login.profile})`))
  const answer = (await askLine(io, `Number (1-${logins.length}, Ctrl-C to cancel): `)).trim()
  const chosen = /^\d+$/.test(answer) ? logins[Number(answer) - 1] : undefined
  if (!chosen) throw new UsageError(`no login chosen ("${answer}")`, {hint: `Name it instead, e.g. ${commands[0]}`})
  return chosen
}

function askLine(io: IO, prompt: string): Promise<string> {
  const rl = createInterface({input: io.stdin, output: io.stderr, terminal: false})
  io.stderr.write(prompt)
  return new Promise((resolve) => {
    let answered = false
    rl.once('line', (line) => {
      answered = true
      rl.close()
      resolve(line)
    })
    rl.once('close', () => {
      if (!answered) resolve('')
    })
  })
}
