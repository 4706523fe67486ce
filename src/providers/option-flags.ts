import {Flags} from '@oclif/core'
import type {OptionFlag} from '@oclif/core/interfaces'
import {staticPresets} from './presets.js'

/**
 * One command-line flag per preset option (`--tenant`, `--host`, `--login-host`), generated from the
 * presets' data so that a new parameterised preset needs no new command code.
 */
function buildOptionFlags(): Record<string, OptionFlag<string | undefined>> {
  const byFlag = new Map<string, string[]>()
  for (const preset of staticPresets) {
    for (const option of Object.values(preset.options ?? {})) {
      const lines = byFlag.get(option.flag) ?? []
      lines.push(`${preset.displayName}: ${option.description} Default ${option.default}.`)
      byFlag.set(option.flag, lines)
    }
  }
  return Object.fromEntries(
    [...byFlag].map(([flag, lines]) => [flag, Flags.string({description: lines.join(' '), helpGroup: 'PROVIDER OPTION'})]),
  )
}

export const providerOptionFlags = buildOptionFlags()

/** The provider-option values among parsed flags, by flag name. */
export function pickProviderOptionFlags(flags: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(providerOptionFlags).map((flag) => [flag, typeof flags[flag] === 'string' ? (flags[flag] as string) : undefined]),
  )
}
