/**
 * Command-line definitions as plain data. The same definition feeds oclif (help, completion, manifest)
 * and the fast path (`token`, `get`, ... parsed with node:util without loading @oclif/core at all), so the
 * two can never disagree about a flag.
 */
export interface FlagSpec {
  type: 'boolean' | 'string' | 'integer'
  description: string
  char?: string
  /** Placeholder shown in --help (`KEY=VALUE`). */
  helpValue?: string
  required?: boolean
  multiple?: boolean
  /** Booleans only: also accept `--no-<name>`. */
  allowNo?: boolean
  default?: boolean | string | number | string[]
  /** Environment variable that supplies the value when the flag is absent. */
  env?: string
  min?: number
  max?: number
  options?: string[]
  helpGroup?: string
  hidden?: boolean
  /** Flags that cannot be given together with this one (oclif says so, exit 2). */
  exclusive?: string[]
}

export interface ArgSpec {
  name: string
  description: string
  required?: boolean
}

export interface CommandSpec {
  id: string
  summary: string
  description?: string
  examples?: string[]
  args: ArgSpec[]
  flags: Record<string, FlagSpec>
}

/** Flags every command has (BaseCommand.baseFlags). */
export const globalFlags: Record<string, FlagSpec> = {
  debug: {type: 'boolean', description: 'Print redacted diagnostics to stderr.', helpGroup: 'GLOBAL'},
}

/**
 * `--token`, for `token` and the API commands: use this access token instead of a stored login (like
 * OAUTHCTL_TOKEN). Applied with {@link applyTokenFlag}.
 */
export const tokenFlag: FlagSpec = {
  type: 'string',
  helpValue: 'TOKEN',
  description: 'Use this access token instead of the stored one (also OAUTHCTL_TOKEN); nothing is read, refreshed or stored.',
}

/** Makes a `--token` value the context's token override. */
export function applyTokenFlag(ctx: {tokenOverride?: string}, flags: ParsedCommand['flags']): void {
  if (typeof flags.token === 'string' && flags.token) ctx.tokenOverride = flags.token
}

export type FlagValue = boolean | string | number | string[] | undefined

export interface ParsedCommand {
  args: Record<string, string | undefined>
  flags: Record<string, FlagValue>
}
