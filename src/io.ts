import {toTerminalText} from './util/terminal-text.js'

/**
 * The process's three streams, passed in so tests can capture them. stdout carries data only; everything
 * meant for people goes through `say`/`warn` on stderr, which escape control characters (much of that
 * text comes from servers: see util/terminal-text.ts).
 */
export interface IO {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  stdin: NodeJS.ReadableStream
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  stdinIsTTY: boolean
  /** Writes data to stdout as is. */
  out(text: string | Uint8Array): void
  /** One line for people, on stderr; control characters are escaped. */
  say(line: string): void
  /** A warning for people, on stderr, prefixed `warning: ` unless it already is; control characters are escaped. */
  warn(line: string): void
}

/**
 * The process's own streams. stdin and stderr (and whether they are terminals) are looked up on first use:
 * Node builds `process.stdin` / `process.stderr` lazily, and building them (a pipe loads node:net, a file a
 * read stream) is a few ms that `oauthctl token` and `get`, which never read stdin and mostly write nothing
 * to stderr, would otherwise spend on every call.
 */
export function createProcessIO(): IO {
  const stdout = process.stdout
  return {
    stdout,
    get stderr() {
      return process.stderr
    },
    get stdin() {
      return process.stdin
    },
    stdoutIsTTY: Boolean(stdout.isTTY),
    get stderrIsTTY() {
      return Boolean(process.stderr.isTTY)
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY)
    },
    out: (text) => void stdout.write(text),
    say: (line) => void process.stderr.write(sayLine(line)),
    warn: (line) => void process.stderr.write(warningLine(line)),
  }
}

export function createIO(
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  stdin: NodeJS.ReadableStream,
  tty: {stdoutIsTTY: boolean; stderrIsTTY: boolean; stdinIsTTY: boolean},
): IO {
  return {
    stdout,
    stderr,
    stdin,
    ...tty,
    out: (text) => void stdout.write(text),
    say: (line) => void stderr.write(sayLine(line)),
    warn: (line) => void stderr.write(warningLine(line)),
  }
}

const sayLine = (line: string): string => `${toTerminalText(line)}\n`
const warningLine = (line: string): string => sayLine(line.startsWith('warning:') ? line : `warning: ${line}`)

/** Colour only on a TTY and never with NO_COLOR (https://no-color.org). */
export function colorEnabled(io: IO, env: NodeJS.ProcessEnv, stream: 'stdout' | 'stderr' = 'stderr'): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY
}
