import {ConfigError} from '../errors.js'
import type {ProviderPreset} from './preset.js'
import {ownValue} from '../util/safe-object.js'

/**
 * Parameterised presets (Microsoft `{tenant}`, GitLab `{host}`, Salesforce `{loginHost}`) are data with
 * placeholders; this module fills them in. The flows never branch on a provider's name.
 */

/** Option values by option key (`{tenant: 'contoso.onmicrosoft.com'}`). */
export type OptionValues = Record<string, string>

/**
 * The values a preset is used with: its declared defaults, then `saved` (the config), then `given` (the
 * command line). A value for an option the preset does not declare, or one that does not look like what
 * the option expects, is a configuration error (exit 3) naming the flag.
 */
export function resolveOptionValues(preset: ProviderPreset, saved: OptionValues = {}, given: OptionValues = {}): OptionValues {
  const declared = preset.options ?? {}
  const values: OptionValues = {}
  for (const [key, option] of Object.entries(declared)) values[key] = option.default
  for (const [source, entries] of [['config', saved], ['command line', given]] as const) {
    for (const [key, value] of Object.entries(entries)) {
      const option = ownValue(declared, key) as (typeof declared)[string] | undefined
      if (!option) {
        const flags = Object.values(declared).map((candidate) => `--${candidate.flag}`)
        throw new ConfigError(`${preset.displayName} has no "${key}" option (from the ${source})`, {
          hint: flags.length > 0 ? `Its options: ${flags.join(', ')}.` : `${preset.name} takes no provider options.`,
        })
      }
      if (!new RegExp(option.pattern).test(value)) {
        const where = source === 'config' ? `providers.${preset.name}.optionValues.${key} in the config file:` : `--${option.flag}`
        throw new ConfigError(`${where} "${value}" is not a valid value for ${preset.displayName}`, {
          hint: `${option.description} Default: ${option.default}.`,
        })
      }
      values[key] = value
    }
  }
  return values
}

/** Maps `login` flag names (`login-host`) to option keys (`loginHost`) for one preset. */
export function optionValuesFromFlags(preset: ProviderPreset, flags: Record<string, string | undefined>): OptionValues {
  const values: OptionValues = {}
  for (const [flag, value] of Object.entries(flags)) {
    if (value === undefined) continue
    const entry = Object.entries(preset.options ?? {}).find(([, option]) => option.flag === flag)
    if (!entry) {
      const flags = Object.values(preset.options ?? {}).map((option) => `--${option.flag}`)
      throw new ConfigError(`--${flag} does not apply to ${preset.displayName}`, {
        hint: flags.length > 0 ? `Its options: ${flags.join(', ')}.` : `${preset.name} takes no provider options.`,
      })
    }
    values[entry[0]] = value
  }
  return values
}

/** A copy of the preset with every `{key}` of a declared option replaced by its value. */
export function applyOptionValues(preset: ProviderPreset, values: OptionValues): ProviderPreset {
  const keys = Object.keys(preset.options ?? {})
  if (keys.length === 0) return preset
  const fill = (text: string): string => text.replace(/\{(\w+)\}/g, (match, key: string) => (keys.includes(key) ? values[key] ?? match : match))
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return fill(value)
    if (Array.isArray(value)) return value.map(walk)
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]))
    }
    return value
  }
  const {options, ...rest} = preset
  return {...(walk(rest) as Omit<ProviderPreset, 'options'>), options}
}
