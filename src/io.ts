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

export function createProcessIO(): IO {
  return createIO(process.stdout, process.stderr, process.stdin, {
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
  })
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
    say: (line) => void stderr.write(`${toTerminalText(line)}\n`),
    warn: (line) => void stderr.write(`${toTerminalText(line.startsWith('warning:') ? line : `warning: ${line}`)}\n`),
  }
}

/** Colour only on a TTY and never with NO_COLOR (https://no-color.org). */
export function colorEnabled(io: IO, env: NodeJS.ProcessEnv, stream: 'stdout' | 'stderr' = 'stderr'): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY
}
