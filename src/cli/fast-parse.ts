import {parseArgs, type ParseArgsConfig} from 'node:util'
import {globalFlags, type CommandSpec, type FlagValue, type ParsedCommand} from './flag-spec.js'

/**
 * Parses argv for a command spec the way oclif would, for the common cases only. Anything unusual (an
 * unknown flag, a bad integer, a missing argument, --help) returns undefined so that oclif handles it and
 * the user sees exactly the same help and errors as on the slow path.
 */
export function parseFast(spec: CommandSpec, argv: string[], env: NodeJS.ProcessEnv): ParsedCommand | undefined {
  const all = {...globalFlags, ...spec.flags}
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, flag] of Object.entries(all)) {
    options[name] = {type: flag.type === 'boolean' ? 'boolean' : 'string'}
    if (flag.multiple) options[name].multiple = true
    if (flag.char) options[name].short = flag.char
    if (flag.type === 'boolean' && flag.allowNo) options[`no-${name}`] = {type: 'boolean'}
  }
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return undefined
  let parsed
  try {
    parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true, tokens: true})
  } catch {
    return undefined
  }
  // oclif rejects a repeated single-value flag; let it say so.
  const seen = new Set<string>()
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue
    const name = token.name.startsWith('no-') && !(token.name in all) ? token.name.slice(3) : token.name
    if (seen.has(name) && !all[name]?.multiple) return undefined
    seen.add(name)
  }
  // Flags that exclude each other: oclif names the conflict.
  for (const name of seen) if (all[name]?.exclusive?.some((other) => seen.has(other))) return undefined
  if (parsed.positionals.length > spec.args.length) return undefined
  const args: Record<string, string | undefined> = {}
  for (const [index, arg] of spec.args.entries()) {
    args[arg.name] = parsed.positionals[index]
    if (arg.required && args[arg.name] === undefined) return undefined
  }
  const flags: Record<string, FlagValue> = {}
  for (const [name, flag] of Object.entries(all)) {
    let value: FlagValue = parsed.values[name] as FlagValue
    if (flag.type === 'boolean' && flag.allowNo && parsed.values[`no-${name}`]) value = false
    if (value === undefined && flag.env && env[flag.env] !== undefined && env[flag.env] !== '') {
      value = flag.type === 'boolean' ? ['1', 'true', 'yes'].includes(env[flag.env]!.toLowerCase()) : env[flag.env]
    }
    if (flag.type === 'integer' && value !== undefined) {
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return undefined
      const number = Number(value)
      if ((flag.min !== undefined && number < flag.min) || (flag.max !== undefined && number > flag.max)) return undefined
      value = number
    }
    if (flag.options && typeof value === 'string' && !flag.options.includes(value)) return undefined
    if (flag.options && Array.isArray(value) && value.some((item) => !flag.options!.includes(item))) return undefined
    if (value === undefined) value = flag.default
    if (flag.required && value === undefined) return undefined
    flags[name] = value
  }
  return {args, flags}
}
