import {fstatSync, statSync, writeSync} from 'node:fs'
import {toTerminalText} from './util/terminal-text.js'

/**
 * The process's three streams, passed in so tests can capture them. stdout carries data only; everything
 * meant for people goes through `say`/`warn` on stderr, which escape control characters (much of that
 * text comes from servers: see util/terminal-text.ts).
 */
export interface IO {
  stdout: OutputStream
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

/** What oauthctl needs of stdout: writes, and the events that say a full pipe drained or failed. */
export interface OutputStream {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean
  once(event: 'drain' | 'error' | 'close', listener: (...args: any[]) => void): unknown
  removeListener(event: 'drain' | 'error' | 'close', listener: (...args: any[]) => void): unknown
}

/**
 * The process's own streams. stdin, stderr and stdout (and whether they are terminals) are looked up on
 * first use: Node builds `process.stdin` / `process.stderr` / `process.stdout` lazily, and building them (a
 * pipe loads node:net, a file or /dev/null the whole of node:stream) is 1-3 ms each that `oauthctl token`
 * and `get`, which never read stdin and mostly write nothing to stderr, would otherwise spend on every call.
 * On Linux, stdout that is not a terminal is written with write(2) on descriptor 1 ({@link DescriptorStdout}).
 */
export function createProcessIO(): IO {
  let stdout: OutputStream | undefined
  let stdoutIsTTY: boolean | undefined
  const isTTY = (): boolean => (stdoutIsTTY ??= process.platform === 'linux' ? stdoutIsTerminal() : Boolean(process.stdout.isTTY))
  const out = (): OutputStream => (stdout ??= process.platform === 'linux' && !isTTY() ? new DescriptorStdout() : process.stdout)
  return {
    get stdout() {
      return out()
    },
    get stdoutIsTTY() {
      return isTTY()
    },
    get stderr() {
      return process.stderr
    },
    get stdin() {
      return process.stdin
    },
    get stderrIsTTY() {
      return Boolean(process.stderr.isTTY)
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY)
    },
    out: (text) => void out().write(text),
    say: (line) => void process.stderr.write(sayLine(line)),
    warn: (line) => void process.stderr.write(warningLine(line)),
  }
}

/**
 * Whether descriptor 1 is a terminal, without building `process.stdout` when the answer is plainly no: a
 * pipe, a socket, a file, or /dev/null (a character device, like a terminal). Any other character device,
 * or a descriptor fstat cannot read, is left to `process.stdout.isTTY`.
 */
export function stdoutIsTerminal(fd = 1, stdout: () => {isTTY?: boolean} = () => process.stdout): boolean {
  try {
    const stats = fstatSync(fd)
    if (!stats.isCharacterDevice()) return false
    if (stats.rdev === statSync('/dev/null').rdev) return false
  } catch {
    // Closed or unusual: Node's own stdout knows what to do.
  }
  return Boolean(stdout().isTTY)
}

/**
 * stdout that is not a terminal, on Linux, written with write(2) on descriptor 1 as `process.stdout` does
 * there for files and pipes (synchronously: https://nodejs.org/api/process.html#a-note-on-process-io), but
 * without building it. It hands over to `process.stdout` for good when the descriptor is non-blocking and
 * full (EAGAIN), and reports any other failure (EPIPE: the reader went away) as an `error` event of
 * `process.stdout`, where bin/run.js handles it. The events a caller waits for (`drain`, `error`, `close`)
 * are `process.stdout`'s.
 */
export class DescriptorStdout implements OutputStream {
  #stream?: NodeJS.WritableStream

  constructor(
    private readonly fd = 1,
    private readonly stream: () => NodeJS.WritableStream = () => process.stdout,
  ) {}

  #real(): NodeJS.WritableStream {
    return (this.#stream ??= this.stream())
  }

  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    if (this.#stream) return this.#stream.write(chunk, callback)
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    while (bytes.byteLength > 0) {
      try {
        bytes = bytes.subarray(writeSync(this.fd, bytes))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return this.#real().write(bytes, callback)
        this.#real().emit('error', error)
        return false
      }
    }
    if (callback) process.nextTick(callback)
    return true
  }

  once(event: 'drain' | 'error' | 'close', listener: (...args: any[]) => void): this {
    this.#real().once(event, listener as () => void)
    return this
  }

  removeListener(event: 'drain' | 'error' | 'close', listener: (...args: any[]) => void): this {
    this.#real().removeListener(event, listener as () => void)
    return this
  }
}

export function createIO(
  stdout: OutputStream,
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
