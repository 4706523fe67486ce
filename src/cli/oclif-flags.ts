import {Args, Flags} from '@oclif/core'
import type {ArgSpec, FlagSpec} from './flag-spec.js'

/** The oclif flag definitions for a spec (help text, validation and parsing stay oclif's). */
export function toOclifFlags(specs: Record<string, FlagSpec>): Record<string, any> {
  const flags: Record<string, any> = {}
  for (const [name, spec] of Object.entries(specs)) {
    const common = {
      description: spec.description,
      char: spec.char as never,
      env: spec.env,
      helpGroup: spec.helpGroup,
      hidden: spec.hidden,
      helpValue: spec.helpValue,
      required: spec.required,
      exclusive: spec.exclusive,
      // One value per occurrence (`-H a -H b`), so a repeatable flag never swallows the positional argument.
      ...(spec.multiple ? {multipleNonGreedy: true} : {}),
    }
    if (spec.type === 'boolean') {
      flags[name] = Flags.boolean({...common, allowNo: spec.allowNo, default: spec.default as boolean | undefined})
    } else if (spec.type === 'integer') {
      flags[name] = Flags.integer({...common, min: spec.min, max: spec.max, default: spec.default as number | undefined, multiple: spec.multiple as false | undefined})
    } else {
      flags[name] = Flags.string({...common, options: spec.options, multiple: spec.multiple as false | undefined, default: spec.default as string | undefined})
    }
  }
  return flags
}

export function toOclifArgs(specs: ArgSpec[]): Record<string, any> {
  // ignoreStdin: oclif would otherwise take a missing argument from piped stdin (`echo x | oauthctl token`).
  return Object.fromEntries(
    specs.map((spec) => [spec.name, Args.string({description: spec.description, required: spec.required, ignoreStdin: true})]),
  )
}
