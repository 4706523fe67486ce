import {join} from 'node:path'

/**
 * The home directory as os.homedir() gives it: $HOME on Linux and macOS, so that node:os is not loaded on
 * the fast path (fast-start.cjs and the bundle both use this).
 */
export function homeDir(): string {
  return (process.platform !== 'win32' && process.env.HOME) || (process.getBuiltinModule('node:os') as typeof import('node:os')).homedir()
}

/**
 * The directory that holds all of oauthctl's state: `config.json`, the file token store, locks.
 * `OAUTHCTL_CONFIG_DIR` overrides it (tests and isolation); otherwise the platform config dir, computed the
 * way env-paths (which conf used to write config.json) does, so existing configs are found where they are.
 */
export function resolveConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OAUTHCTL_CONFIG_DIR) return env.OAUTHCTL_CONFIG_DIR
  const home = homeDir()
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'oauthctl')
  if (process.platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'oauthctl', 'Config')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'oauthctl')
}

export const configFile = (dir: string): string => join(dir, 'config.json')
export const tokenDir = (dir: string): string => join(dir, 'tokens')
export const lockDir = (dir: string): string => join(dir, 'locks')
