import {UsageError} from '../errors.js'
import type {FlagSpec} from './flag-spec.js'

/**
 * One way to name a login on every command: the positional provider where it reads naturally
 * (`oauthctl token github`), and `-p/--provider NAME` plus `--profile NAME` everywhere (`oauthctl token -p
 * github`, as on the API verbs). Plain data, shared by oclif (via toOclifFlags) and the fast path.
 */
export const providerFlagSpec: FlagSpec = {type: 'string', char: 'p', helpValue: 'NAME', description: 'Provider (same as the positional PROVIDER).'}
export const profileFlagSpec: FlagSpec = {type: 'string', helpValue: 'NAME', description: 'Profile: which login of that provider.'}

/**
 * The provider named by the positional argument or by `-p`; both is fine when they agree.
 * @throws UsageError (exit 2) when they differ, or when `required` and neither is given.
 */
export function pickProvider(positional: string | undefined, flag: string | undefined, required = false): string | undefined {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`two providers given: "${positional}" and -p "${flag}"`, {hint: 'Name the provider once, as an argument or with -p.'})
  }
  const provider = positional ?? flag
  if (required && provider === undefined) {
    throw new UsageError('missing provider', {hint: 'Name it as an argument or with -p, e.g. `oauthctl login sandbox` (see `oauthctl providers list`).'})
  }
  return provider
}
