/**
 * The commands that run on the fast path (src/cli/fast-path.ts) instead of @oclif/core: `token`, which
 * scripts call in loops, the API verbs, and the kubectl / docker credential helpers. The one list: fast-path.ts maps each to its spec, and the build
 * (scripts/bundle-fast-path.mjs) puts it in dist/cli/fast-start.cjs, which bin/run.js reads before
 * deciding what to load. No imports here, so reading it costs next to nothing.
 */
export const FAST_COMMANDS = ['token', 'get', 'post', 'put', 'patch', 'delete', 'request', 'kubectl-credential', 'docker-credential'] as const

/** The id of a fast command. */
export type FastCommandId = (typeof FAST_COMMANDS)[number]

/**
 * The V8 code cache a fast command uses (see code-cache.ts). A cache holds the functions compiled by the
 * run that wrote it, so one cache for all would serve `get` the functions of whichever command ran first
 * (usually `token`), and every `get` would compile the HTTP client again (~3 ms, `npm run bench`). For the
 * same reason a run that opened the session bus early (`keyring`: bin/run.js, src/store/early-bus.ts),
 * which reads its token over D-Bus, has caches of its own: the D-Bus client's functions are not in a cache
 * written by a run that read the file store.
 */
export function codeCacheGroup(command: string, keyring = false): `${'token' | 'api'}${'' | '-keyring'}` {
  const group = command === 'token' || command.endsWith('-credential') ? 'token' : 'api'
  return keyring ? `${group}-keyring` : group
}
