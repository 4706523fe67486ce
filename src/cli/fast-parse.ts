import {globalFlags, type CommandSpec, type FlagSpec, type FlagValue, type ParsedCommand} from './flag-spec.js'

/**
 * Parses argv for a command spec the way oclif would, for the common cases only. Anything unusual (an
 * unknown flag, a bad integer, a missing argument, --help) returns undefined so that oclif handles it and
 * the user sees exactly the same help and errors as on the slow path.
 */
export function parseFast(spec: CommandSpec, argv: string[], env: NodeJS.ProcessEnv): ParsedCommand | undefined {
  const all: Record<string, FlagSpec> = {...globalFlags, ...spec.flags}
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return undefined
  const parsed = tokenize(all, argv)
  if (!parsed) return undefined
  // oclif rejects a repeated single-value flag; let it say so.
  const seen = new Set<string>()
  for (const token of parsed.tokens) {
    const name = token.startsWith('no-') && !(token in all) ? token.slice(3) : token
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

/**
 * What node:util's parseArgs (strict, with positionals) makes of argv, for the forms scripts use:
 * `--name value`, `--name=value`, `--name`, `--no-name`, `-c value`, `-c`, and positionals. Undefined for
 * anything else (an unknown flag, `--`, `-abc` or `-cvalue`, a value missing or looking like a flag, a
 * boolean given a value), which oclif then parses. parseArgs itself costs ~0.6 ms to load and run once,
 * on every `oauthctl token` (`npm run bench`).
 */
function tokenize(all: Record<string, FlagSpec>, argv: readonly string[]): {values: Record<string, string | string[] | boolean>; positionals: string[]; tokens: string[]} | undefined {
  const values: Record<string, string | string[] | boolean> = Object.create(null)
  const positionals: string[] = []
  const tokens: string[] = []
  const byChar = new Map<string, string>()
  for (const [name, flag] of Object.entries(all)) if (flag.char) byChar.set(flag.char, name)
  const own = (key: string): FlagSpec | undefined => (Object.hasOwn(all, key) ? all[key] : undefined)
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!
    let name: string | undefined
    let inline: string | undefined
    if (arg.startsWith('--')) {
      if (arg === '--') return undefined
      const equals = arg.indexOf('=')
      name = equals < 0 ? arg.slice(2) : arg.slice(2, equals)
      if (equals >= 0) inline = arg.slice(equals + 1)
    } else if (arg.startsWith('-') && arg.length > 1) {
      if (arg.length !== 2) return undefined
      name = byChar.get(arg[1]!)
      if (name === undefined) return undefined
    } else {
      positionals.push(arg)
      continue
    }
    const flag = own(name)
    const negated = !flag && name.startsWith('no-') && own(name.slice(3))?.type === 'boolean' && own(name.slice(3))?.allowNo === true
    if (!negated && !flag) return undefined
    tokens.push(name)
    if (negated || flag!.type === 'boolean') {
      if (inline !== undefined) return undefined
      values[name] = true
      continue
    }
    let value = inline
    if (value === undefined) {
      const next = argv[index + 1]
      // parseArgs (strict) refuses a value that looks like a flag as ambiguous; so does this.
      if (next === undefined || (next.startsWith('-') && next.length > 1)) return undefined
      value = next
      index++
    }
    if (flag!.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value]
    else values[name] = value
  }
  return {values, positionals, tokens}
}
