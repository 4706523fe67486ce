import {format} from 'node:util'

type ConsoleMethod = 'log' | 'info' | 'warn' | 'debug'
const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'debug']

// oidc-provider colours its notices when the stream is a TTY; the log sink gets plain text.
const ansi = /\x1b\[[0-9;]*m/g

/**
 * Runs `work` with `console.log/info/warn/debug` redirected to `sink`, dropping lines `drop` matches.
 *
 * oidc-provider writes its notices with `console.info` (stdout) and `console.warn`, some at import time
 * (the Node 20 "Unsupported runtime" warning), some while building the Provider. `oauthctl sandbox`
 * prints its issuer on stdout and nothing else may land there, so the module is imported and the
 * Provider constructed inside this function. The console is restored before it returns, even on error.
 *
 * Anything else logging through the console while `work` runs is redirected too; keep `work` short.
 */
export async function withQuietConsole<T>(
  work: () => Promise<T>,
  sink: (line: string) => void,
  drop: (line: string) => boolean = () => false,
): Promise<T> {
  const saved = new Map(methods.map((name) => [name, console[name]] as const))
  const forward = (...args: unknown[]): void => {
    const line = format(...args).replace(ansi, '')
    if (!drop(line)) sink(line)
  }
  for (const name of methods) console[name] = forward
  try {
    return await work()
  } finally {
    for (const [name, original] of saved) console[name] = original
  }
}

/** oidc-provider's import-time warning on Node 20: true, and nothing the user can act on. */
export function isUnsupportedRuntimeWarning(line: string): boolean {
  return line.includes('oidc-provider WARNING: Unsupported runtime')
}
