/**
 * A Node built-in by name, loaded on first call. process.getBuiltinModule (Node >= 20.16) needs no
 * node:module, which createRequire would load on every `oauthctl token` (~0.5 ms).
 */
const requireBuiltin = (id: string): unknown => process.getBuiltinModule(id)

/**
 * node:crypto, loaded on first use. Loading it costs ~4 ms (measured with `npm run bench`), and the modules
 * that need it for a rare case (a write, an over-long key) are on the path of every `oauthctl token`; an
 * `import` at the top would load it on each call.
 */
export function loadCrypto(): typeof import('node:crypto') {
  return requireBuiltin('node:crypto') as typeof import('node:crypto')
}

/** node:net, loaded on first use: `oauthctl token` with a stored token opens no socket. */
export function loadNet(): typeof import('node:net') {
  return requireBuiltin('node:net') as typeof import('node:net')
}
