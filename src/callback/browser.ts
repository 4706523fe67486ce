/**
 * Opens the authorization URL in the user's browser. The URL is always printed as well (by the flow), so
 * every failure here is a warning, never an error.
 *
 * @see RFC 8252 §4.1 (the authorization request goes through the system browser)
 */
import {spawn} from 'node:child_process'

export interface Browser {
  open(url: URL): Promise<void>
}

const fallbackAdvice = 'open the URL above yourself'

/**
 * `OAUTHCTL_BROWSER`, else `BROWSER`: a command line (split by {@link parseCommandLine}) that is run with
 * the URL appended as its last argument. Otherwise the `open` package picks the system browser.
 *
 * The command's stdout goes to our stderr, so nothing it prints can end up in `TOKEN=$(oauthctl ...)`.
 * It is not waited for beyond a successful spawn.
 */
export function createBrowser(env: NodeJS.ProcessEnv, warn: (line: string) => void): Browser {
  const configured = pickCommand(env)
  return {
    async open(url) {
      if (configured) {
        await openWithCommand(configured.name, configured.value, url, warn)
      } else {
        await openWithSystemBrowser(url, warn)
      }
    },
  }
}

function pickCommand(env: NodeJS.ProcessEnv): {name: string; value: string} | undefined {
  for (const name of ['OAUTHCTL_BROWSER', 'BROWSER']) {
    const value = env[name]?.trim()
    if (value) return {name, value}
  }
  return undefined
}

async function openWithCommand(variable: string, commandLine: string, url: URL, warn: (line: string) => void): Promise<void> {
  let argv: string[]
  try {
    argv = parseCommandLine(commandLine)
  } catch (error) {
    warn(`could not parse ${variable} (${(error as Error).message}); ${fallbackAdvice}`)
    return
  }
  const [command, ...args] = argv
  if (!command) {
    warn(`${variable} names no command; ${fallbackAdvice}`)
    return
  }
  await new Promise<void>((resolve) => {
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(command, [...args, url.href], {
        // fd 2 for the child's stdout too: our stdout carries data only.
        stdio: ['ignore', 2, 2],
        // Its own process group: Ctrl-C on our login must not kill the user's browser.
        detached: true,
        windowsHide: true,
      })
    } catch (error) {
      warn(`could not run ${variable} command "${command}": ${(error as Error).message}; ${fallbackAdvice}`)
      resolve()
      return
    }
    child.once('spawn', () => {
      child.unref()
      resolve()
    })
    // A launcher that gives up (no display, no browser installed) exits non-zero: say so.
    child.once('exit', (code) => {
      if (code) warn(`${variable} command "${command}" exited with ${code}; ${fallbackAdvice}`)
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      warn(`could not run ${variable} command "${command}": ${error.code ?? error.message}; ${fallbackAdvice}`)
      resolve()
    })
  })
}

async function openWithSystemBrowser(url: URL, warn: (line: string) => void): Promise<void> {
  try {
    const {default: open} = await import('open')
    const child = await open(url.href)
    // The launcher (xdg-open, open, PowerShell) exits quickly; non-zero means no browser came up,
    // e.g. xdg-open on a machine without a desktop. Say so whenever that happens.
    child.once('exit', (code) => {
      if (code) warn(`could not open a browser (the launcher exited with ${code}); ${fallbackAdvice}`)
    })
  } catch {
    warn(`could not open a browser; ${fallbackAdvice}`)
  }
}

/**
 * Split a command line the way a POSIX shell would, minus expansion: whitespace separates words, single
 * quotes are literal, double quotes allow `\"` and `\\`. Outside quotes a backslash escapes only
 * whitespace, a quote or another backslash, so Windows paths like `C:\Tools\browser.exe` survive.
 *
 * @throws Error on an unterminated quote.
 */
export function parseCommandLine(s: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
      continue
    }
    inWord = true
    if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end === -1) throw new Error('unterminated single quote')
      word += s.slice(i + 1, end)
      i = end + 1
    } else if (c === '"') {
      i++
      for (;;) {
        if (i >= s.length) throw new Error('unterminated double quote')
        const d = s[i]!
        if (d === '"') break
        if (d === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          word += s[i + 1]
          i += 2
        } else {
          word += d
          i++
        }
      }
      i++
    } else if (c === '\\' && i + 1 < s.length && /[\s'"\\]/.test(s[i + 1]!)) {
      word += s[i + 1]
      i += 2
    } else {
      word += c
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
