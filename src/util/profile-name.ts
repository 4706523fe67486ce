import {UsageError} from '../errors.js'

/**
 * Profile names end up in token file names, lock file names and keyring accounts, so they are kept to a conservative set: 1-64 letters, digits, `.`, `_` or `-`, not starting with a
 * dot (no hidden files, no `..`).
 */
export const PROFILE_NAME_PATTERN = /^(?!\.)[A-Za-z0-9._-]{1,64}$/

/**
 * Returns `profile` when it is a usable profile name.
 * @throws UsageError (exit 2) naming the rule.
 */
export function checkProfileName(profile: string): string {
  if (PROFILE_NAME_PATTERN.test(profile)) return profile
  throw new UsageError(`bad profile name ${JSON.stringify(profile)}: use 1-64 letters, digits, ".", "_" or "-", not starting with "."`, {
    hint: 'For example --profile work or --profile alice.example.',
  })
}
