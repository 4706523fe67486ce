import {Args, Flags, type Interfaces} from '@oclif/core'
import {API_FLAG_SPECS, API_PATH_ARG, METHOD_FLAG_SPECS, type ApiFlagSpec} from './api-flags.js'

type OclifFlag<S> = S extends {kind: 'boolean'}
  ? Interfaces.BooleanFlag<boolean>
  : S extends {multiple: true}
    ? Interfaces.OptionFlag<string[] | undefined>
    : S extends {required: true}
      ? Interfaces.OptionFlag<string>
      : Interfaces.OptionFlag<string | undefined>

/** oclif flags built from the plain specs in api-flags.ts, so both stay one definition. */
export function toOclifFlags<T extends Record<string, ApiFlagSpec>>(specs: T): {[K in keyof T]: OclifFlag<T[K]>} {
  const flags: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(specs)) {
    const common = {
      char: spec.char as Interfaces.AlphabetLowercase | undefined,
      description: spec.description,
      helpValue: spec.helpValue,
    }
    if (spec.kind === 'boolean') flags[name] = Flags.boolean(common)
    else if (spec.multiple) flags[name] = Flags.string({...common, multiple: true})
    else flags[name] = Flags.string({...common, required: spec.required})
  }
  return flags as {[K in keyof T]: OclifFlag<T[K]>}
}

export const apiFlags = toOclifFlags(API_FLAG_SPECS)
export const requestFlags = {...toOclifFlags(METHOD_FLAG_SPECS), ...apiFlags}
export const apiArgs = {
  [API_PATH_ARG.name]: Args.string({description: API_PATH_ARG.description, required: API_PATH_ARG.required}),
} as {path: Interfaces.Arg<string>}
