import type {IO, OutputStream} from '../io.js'
import {formatJson, isJsonText, type JsonPainter} from './json-text.js'
import {ApiUnreachableError, describeNetworkFailure} from './retry.js'

/**
 * How API responses reach stdout:
 * - not a terminal: the body byte for byte, nothing added (with --paginate, each page followed by a
 *   newline when it does not end with one);
 * - a terminal: JSON bodies pretty-printed (two-space indent, every token kept as sent), coloured unless
 *   NO_COLOR is set; other bodies unchanged;
 * - `--include`: `HTTP/1.1 <status> <reason>`, the headers and an empty line (CRLF, as curl -i) first;
 * - `--silent`: nothing.
 */
export interface OutputMode {
  include: boolean
  silent: boolean
  /** stdout is a terminal: pretty-print JSON bodies. */
  pretty: boolean
  /** ...and colour them. */
  color: boolean
  /** `--jq EXPR`: bodies of successful responses go through jq (src/cli/jq.ts). */
  jq?: string
}

/**
 * Writes to a stream, waiting for `drain` when its buffer is full, so a slow reader (jq, a pipe) throttles
 * the download instead of letting memory grow.
 */
export function writeOut(stream: OutputStream, chunk: string | Uint8Array): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.removeListener('drain', onDrain)
      stream.removeListener('error', onError)
      stream.removeListener('close', onDrain)
    }
    const onDrain = (): void => {
      cleanup()
      resolve()
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    stream.once('drain', onDrain)
    stream.once('error', onError)
    stream.once('close', onDrain)
  })
}

async function loadPainter(): Promise<JsonPainter & {header(text: string): string}> {
  const {Chalk} = await import('chalk')
  const chalk = new Chalk({level: 1})
  return {
    key: (text) => chalk.blue.bold(text),
    string: (text) => chalk.green(text),
    number: (text) => chalk.cyan(text),
    boolean: (text) => chalk.yellow(text),
    null: (text) => chalk.gray(text),
    header: (text) => chalk.blue.bold(text),
  }
}

export interface BodyOptions {
  /** Return the body's bytes (for pagination); otherwise they are dropped once written. */
  keep: boolean
  /** A page of --paginate: end it with a newline if it does not end with one. */
  page: boolean
}

/** Prints responses on stdout according to an {@link OutputMode}. */
export class ResponsePrinter {
  private painter?: ReturnType<typeof loadPainter>
  /** The last byte written to stdout (0x0a when nothing was): see {@link endLine}. */
  private lastByte = 0x0a

  constructor(
    private readonly io: IO,
    readonly mode: OutputMode,
  ) {}

  private paint(): ReturnType<typeof loadPainter> | undefined {
    if (!this.mode.color) return undefined
    this.painter ??= loadPainter()
    return this.painter
  }

  write(chunk: string | Uint8Array): Promise<void> {
    if (chunk.length > 0) this.lastByte = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1]!
    return writeOut(this.io.stdout, chunk)
  }

  /**
   * On a terminal, ends a body that did not end with a newline, so that the error line that follows on
   * stderr starts on a line of its own (`Not Found` then `error: HTTP 404`, not `Not Founderror: ...`).
   * Piped output stays byte for byte.
   */
  async endLine(): Promise<void> {
    if (this.io.stdoutIsTTY && !this.mode.silent && this.lastByte !== 0x0a) await this.write('\n')
  }

  /** The status line and headers, with `--include`. */
  async head(response: Response): Promise<void> {
    if (!this.mode.include || this.mode.silent) return
    const paint = await this.paint()
    const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`.trimEnd()]
    response.headers.forEach((value, name) => lines.push(`${paint ? paint.header(name) : name}: ${value}`))
    await this.write(`${lines.join('\r\n')}\r\n\r\n`)
  }

  /** Writes one body as the mode says; returns its bytes when `keep` is set. */
  async body(response: Response, options: BodyOptions): Promise<Buffer | undefined> {
    if (this.mode.silent) {
      if (options.keep) return readWhole(response)
      await response.body?.cancel()
      return undefined
    }
    if (this.mode.jq !== undefined && response.status < 400) {
      const bytes = await readWhole(response)
      const {runJq} = await import('../cli/jq.js')
      const result = await runJq(bytes.toString('utf8'), this.mode.jq, {pretty: this.mode.pretty})
      if (result) await this.write(result.endsWith('\n') ? result : `${result}\n`)
      return bytes
    }
    if (this.mode.pretty) {
      const bytes = await readWhole(response)
      await this.writePretty(bytes, options.page)
      return bytes
    }
    return this.stream(response, options)
  }

  private async writePretty(bytes: Buffer, page: boolean): Promise<void> {
    const text = bytes.toString('utf8')
    if (bytes.length > 0 && isJsonText(text)) {
      const paint = await this.paint()
      await this.write(`${formatJson(text, paint)}\n`)
      return
    }
    await this.write(bytes)
    if (page && bytes.length > 0 && bytes.at(-1) !== 0x0a) await this.write('\n')
  }

  private async stream(response: Response, options: BodyOptions): Promise<Buffer | undefined> {
    const kept: Buffer[] = []
    let last: number | undefined
    await readChunks(response, async (chunk) => {
      await this.write(chunk)
      if (chunk.length > 0) last = chunk[chunk.length - 1]
      if (options.keep) kept.push(Buffer.from(chunk))
    })
    if (options.page && last !== undefined && last !== 0x0a) await this.write('\n')
    return options.keep ? Buffer.concat(kept) : undefined
  }

  /** A writer for `--slurp`: the pages' items as one JSON array, written as each page arrives. */
  slurp(): SlurpWriter {
    return new SlurpWriter(this)
  }

  /** Formats one JSON text for a terminal (used by the slurp writer). */
  async formatForTerminal(text: string): Promise<string> {
    return formatJson(text, await this.paint())
  }
}

/** Writes `[`, the items separated by commas, and `]` plus a newline (indented on a terminal). */
export class SlurpWriter {
  private opened = false
  private closed = false
  private pages = 0

  constructor(private readonly printer: ResponsePrinter) {}

  async add(elements: string[]): Promise<void> {
    this.pages++
    if (this.printer.mode.silent) return
    for (const element of elements) {
      const prefix = this.opened ? ',' : '['
      this.opened = true
      if (this.printer.mode.pretty) {
        const text = await this.printer.formatForTerminal(element)
        await this.printer.write(`${prefix}\n  ${text.replaceAll('\n', '\n  ')}`)
      } else {
        await this.printer.write(`${prefix}${element}`)
      }
    }
  }

  /** Ends the array; after a failure on the first page there is no array at all. */
  async close(complete: boolean): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.printer.mode.silent || (!complete && this.pages === 0)) return
    if (!this.opened) await this.printer.write('[]\n')
    else await this.printer.write(this.printer.mode.pretty ? '\n]\n' : ']\n')
  }
}

/** Reads a whole body; a connection that breaks half-way is exit 7. */
export async function readWhole(response: Response): Promise<Buffer> {
  const chunks: Buffer[] = []
  await readChunks(response, async (chunk) => void chunks.push(Buffer.from(chunk)))
  return Buffer.concat(chunks)
}

async function readChunks(response: Response, onChunk: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  if (!response.body) return
  const reader = response.body.getReader()
  for (;;) {
    let result: Awaited<ReturnType<typeof reader.read>>
    try {
      result = await reader.read()
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error
      const host = URL.canParse(response.url) ? new URL(response.url).host : 'the API'
      throw new ApiUnreachableError(`the connection to ${host} broke while reading the response (${describeNetworkFailure(error)})`, {
        hint: 'What was received so far is on stdout. Run the command again.',
        cause: error,
      })
    }
    if (result.done) return
    await onChunk(result.value)
  }
}
