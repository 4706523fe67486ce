import {Flags} from '@oclif/core'
import {profileFlagSpec, providerFlagSpec} from './provider-flag.js'

/** `-p/--provider` and `--profile` as oclif flags, from the same specs as the fast path's. */
export const providerFlag = Flags.string({char: 'p', helpValue: providerFlagSpec.helpValue, description: providerFlagSpec.description})
export const profileFlag = Flags.string({helpValue: profileFlagSpec.helpValue, description: profileFlagSpec.description})
