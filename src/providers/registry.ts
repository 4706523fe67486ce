import type {ConfigData} from '../config.js'
import {ConfigError} from '../errors.js'
import {mergeEntry, type ProviderEntry} from './custom.js'
import {applyOptionValues, resolveOptionValues, type OptionValues} from './options.js'
import type {ProviderPreset} from './preset.js'
import {builtinPresets} from './presets.js'

/** Where a provider's definition comes from. */
export type ProviderSource = 'builtin' | 'override' | 'custom'

export interface ResolvedProvider {
  preset: ProviderPreset
  source: ProviderSource
  /** The option values the preset was filled with (empty for presets without options). */
  optionValues: OptionValues
}

/**
 * Every provider the user can name: built-in presets, overridden or extended by `providers` in the config,
 * with their `{option}` placeholders filled (saved values, else defaults).
 */
export function listProviders(config: ConfigData, env: NodeJS.ProcessEnv = process.env): ProviderPreset[] {
  return listResolvedProviders(config, env).map((resolved) => resolved.preset)
}

/** {@link listProviders}, saying for each where it comes from and which option values it uses. */
export function listResolvedProviders(config: ConfigData, env: NodeJS.ProcessEnv = process.env): ResolvedProvider[] {
  const builtins = builtinPresets(env)
  const names = [...builtins.map((preset) => preset.name)]
  for (const name of Object.keys(config.providers ?? {})) if (!names.includes(name)) names.push(name)
  return names.map((name) => resolveNamed(name, config, builtins, {}))
}

function resolveNamed(name: string, config: ConfigData, builtins: ProviderPreset[], given: OptionValues): ResolvedProvider {
  const entry = config.providers?.[name] as ProviderEntry | undefined
  const builtin = builtins.find((preset) => preset.name === name)
  const base = builtin ?? (entry?.extends ? builtins.find((preset) => preset.name === entry.extends) : undefined)
  const source: ProviderSource = builtin ? (entry ? 'override' : 'builtin') : 'custom'
  const merged = entry ? mergeEntry(name, entry, base) : (builtin as ProviderPreset)
  const optionValues = resolveOptionValues(merged, entry?.optionValues, given)
  return {preset: applyOptionValues(merged, optionValues), source, optionValues}
}

/**
 * The provider called `name`, with `given` option values (`--tenant`, `--host`) over the saved ones, or a
 * ConfigError (exit 3) listing the known names.
 */
export function resolveProviderDetails(
  name: string,
  config: ConfigData,
  env: NodeJS.ProcessEnv = process.env,
  given: OptionValues = {},
): ResolvedProvider {
  const builtins = builtinPresets(env)
  if (!builtins.some((preset) => preset.name === name) && !config.providers?.[name]) {
    const known = [...builtins.map((preset) => preset.name), ...Object.keys(config.providers ?? {})]
    throw new ConfigError(`unknown provider "${name}"`, {
      suggest: {wrong: name, candidates: known},
      hint: `Known providers: ${[...new Set(known)].join(', ')}. Add your own with \`oauthctl providers add ${name} --issuer <url>\`.`,
    })
  }
  return resolveNamed(name, config, builtins, given)
}

/** The preset for `name`, or a ConfigError (exit 3) listing the known names. */
export function resolveProvider(
  name: string,
  config: ConfigData,
  env: NodeJS.ProcessEnv = process.env,
  given: OptionValues = {},
): ProviderPreset {
  return resolveProviderDetails(name, config, env, given).preset
}
