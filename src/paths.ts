import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * The directory that holds all of oauthctl's state: `config.json`, the file token store, locks.
 * `OAUTHCTL_CONFIG_DIR` overrides it (tests and isolation); otherwise the platform config dir, computed the
 * way env-paths (which conf used to write config.json) does, so existing configs are found where they are.
 */
export function resolveConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OAUTHCTL_CONFIG_DIR) return env.OAUTHCTL_CONFIG_DIR
  // $HOME is what os.homedir() returns on Linux and macOS; node:os is then not loaded (the fast path).
  const home = (process.platform !== 'win32' && process.env.HOME) || homedir()
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'oauthctl')
  if (process.platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'oauthctl', 'Config')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'oauthctl')
}

export const configFile = (dir: string): string => join(dir, 'config.json')
export const tokenDir = (dir: string): string => join(dir, 'tokens')
export const lockDir = (dir: string): string => join(dir, 'locks')
