import {readFileSync} from 'node:fs'
import {configFile, resolveConfigDir} from '../paths.js'
import {builtinPresets} from '../providers/presets.js'
import {HELP_TOPICS} from './help-topics.js'

/**
 * `oauthctl __complete WORD... CURRENT`: the candidates for the word being typed, one a line, for the
 * bash, zsh and fish scripts of `oauthctl completion`. Runs on every Tab, so it never loads @oclif/core:
 * commands and flags come from oclif.manifest.json (written at build time from the same definitions),
 * provider names from the presets and config.json, profiles from config.json. Never fails: a missing or
 * broken file just means fewer candidates.
 */

interface ManifestFlag {
  char?: string
  type: 'boolean' | 'option'
  options?: string[]
  hidden?: boolean
  allowNo?: boolean
}

interface ManifestCommand {
  hidden?: boolean
  args: Record<string, {name: string}>
  flags: Record<string, ManifestFlag>
}

/** Only names a shell can take as they are: completion output is read by shell code. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

/** Flags whose value is a provider or profile name. */
const PROVIDER_FLAGS = new Set(['provider', 'preset'])
const PROFILE_FLAGS = new Set(['profile'])
/** Positional arguments whose value is a provider name (`providers add NAME` is a new name: none). */
const PROVIDER_ARGS = new Set(['provider', 'name'])

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

function readManifest(): Record<string, ManifestCommand> {
  return readJson(new URL('../../oclif.manifest.json', import.meta.url).pathname)?.commands ?? {}
}

interface UserNames {
  providers: string[]
  logins: {provider: string; profile: string}[]
}

function readUserNames(env: NodeJS.ProcessEnv): UserNames {
  const config = readJson(configFile(resolveConfigDir(env)))
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
  const providers = isObject(config?.providers) ? Object.keys(config.providers) : []
  const logins = isObject(config?.logins)
    ? Object.values(config.logins).flatMap((record) =>
        isObject(record) && typeof record.provider === 'string' && typeof record.profile === 'string' ? [{provider: record.provider, profile: record.profile}] : [],
      )
    : []
  return {providers, logins}
}

function providerNames(env: NodeJS.ProcessEnv, user: UserNames): string[] {
  return [...builtinPresets(env).map((preset) => preset.name), ...user.providers]
}

/** The command id the words name (`providers show` -> `providers:show`) and how many words it took. */
function findCommand(words: string[], manifest: Record<string, ManifestCommand>): {id: string; length: number} | undefined {
  if (words.length >= 2 && manifest[`${words[0]}:${words[1]}`]) return {id: `${words[0]}:${words[1]}`, length: 2}
  if (words.length >= 1 && (manifest[words[0]] || words[0] === 'help')) return {id: words[0], length: 1}
  return undefined
}

/** The candidates for `current`, given the words before it (without `oauthctl`). */
export function completeWords(before: string[], current: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const manifest = readManifest()
  const words = [...before]
  while (words[0] === '--debug') words.shift()
  const visible = Object.entries(manifest).filter(([, command]) => !command.hidden).map(([id]) => id)
  const found = findCommand(words, manifest)
  let candidates: string[]
  if (!found) {
    const topic = words[0]
    candidates =
      words.length === 0
        ? [...new Set([...visible.map((id) => id.split(':')[0]), 'help'])]
        : words.length === 1 && visible.some((id) => id.startsWith(`${topic}:`))
          ? visible.filter((id) => id.startsWith(`${topic}:`)).map((id) => id.split(':')[1])
          : []
  } else if (found.id === 'help') {
    candidates = words.length === 1 ? [...new Set(visible.map((id) => id.split(':')[0])), ...Object.keys(HELP_TOPICS)] : words.length === 2 ? visible.filter((id) => id.startsWith(`${words[1]}:`)).map((id) => id.split(':')[1]) : []
  } else {
    candidates = completeCommand(manifest[found.id], found.id, words.slice(found.length), current, env)
  }
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(current) && (candidate.startsWith('-') || SAFE_NAME.test(candidate)))
}

function completeCommand(command: ManifestCommand, id: string, words: string[], current: string, env: NodeJS.ProcessEnv): string[] {
  const byChar = new Map(Object.entries(command.flags).filter(([, flag]) => flag.char).map(([name, flag]) => [`-${flag.char}`, name]))
  const flagName = (word: string): string | undefined => (word.startsWith('--') ? word.slice(2) : byChar.get(word))
  // The value of a flag that takes one?
  const previous = words.at(-1)
  const previousFlag = previous === undefined ? undefined : flagName(previous)
  if (previousFlag && command.flags[previousFlag]?.type === 'option') {
    const flag = command.flags[previousFlag]
    if (flag.options) return flag.options
    const user = readUserNames(env)
    if (PROVIDER_FLAGS.has(previousFlag)) return providerNames(env, user)
    if (PROFILE_FLAGS.has(previousFlag)) return profilesFor(user, providerIn(words, command, byChar))
    return []
  }
  if (current.startsWith('-')) {
    const flags = Object.entries(command.flags).filter(([, flag]) => !flag.hidden)
    return [...flags.flatMap(([name, flag]) => [`--${name}`, ...(flag.allowNo ? [`--no-${name}`] : [])]), '--help']
  }
  if (id === 'completion') return ['bash', 'zsh', 'fish']
  const position = positionals(words, command, byChar).length
  const arg = Object.values(command.args)[position]
  if (!arg) return []
  const user = readUserNames(env)
  if (arg.name === 'provider' && (id === 'switch' || id === 'logout' || id === 'introspect')) return user.logins.map((login) => login.provider)
  if (arg.name === 'profile') return profilesFor(user, positionals(words, command, byChar)[0])
  if (PROVIDER_ARGS.has(arg.name) && id !== 'providers:add') {
    return id === 'providers:remove' ? user.providers : providerNames(env, user)
  }
  return []
}

/** The positional words, skipping flags and the values of flags that take one. */
function positionals(words: string[], command: ManifestCommand, byChar: Map<string, string>): string[] {
  const out: string[] = []
  for (let index = 0; index < words.length; index++) {
    const word = words[index]
    if (word === '--') return [...out, ...words.slice(index + 1)]
    if (!word.startsWith('-') || word === '-') {
      out.push(word)
      continue
    }
    const name = word.startsWith('--') ? word.slice(2) : byChar.get(word)
    if (name && !name.includes('=') && command.flags[name]?.type === 'option') index++
  }
  return out
}

/** The provider the words name: `-p NAME`, `--provider NAME`, or the first positional. */
function providerIn(words: string[], command: ManifestCommand, byChar: Map<string, string>): string | undefined {
  for (let index = 0; index < words.length - 1; index++) {
    const name = words[index].startsWith('--') ? words[index].slice(2) : byChar.get(words[index])
    if (name === 'provider') return words[index + 1]
  }
  return command.args.provider ? positionals(words, command, byChar)[0] : undefined
}

function profilesFor(user: UserNames, provider: string | undefined): string[] {
  return user.logins.filter((login) => provider === undefined || login.provider === provider).map((login) => login.profile)
}

/** bin/run.js entry: prints the candidates, exit 0 whatever happens. */
export function runComplete(argv: string[]): number {
  try {
    const words = argv.length === 0 ? [''] : argv
    const lines = completeWords(words.slice(0, -1), words.at(-1) ?? '', process.env)
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  } catch {
    // Completion must never print an error into the user's prompt.
  }
  return 0
}
