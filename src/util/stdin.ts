import {InterruptedError} from '../errors.js'

/** Anything pasted or piped in larger than this is refused (a token or URL is far smaller). */
export const MAX_INPUT_BYTES = 1024 * 1024

/**
 * Reads what the user gave on stdin: up to the first newline when `firstLine` (a paste on a terminal),
 * otherwise everything up to EOF (a pipe). Resolves with undefined when stdin ends before any text.
 * Only called by modes that ask for input (`--paste`, `--with-token`); nothing else reads stdin.
 * `secret` on a terminal: the input is not echoed (raw mode, restored afterwards; Enter ends it,
 * Backspace edits, Ctrl-C interrupts), so a pasted token never shows on the screen or in scrollback.
 */
export function readInput(
  stdin: NodeJS.ReadableStream,
  options: {firstLine: boolean; signal?: AbortSignal; secret?: boolean},
): Promise<string | undefined> {
  const tty = stdin as NodeJS.ReadStream
  const hidden = options.secret === true && tty.isTTY === true && typeof tty.setRawMode === 'function'
  return new Promise((resolve, reject) => {
    let text = ''
    let done = false
    const finish = (error?: Error) => {
      if (done) return
      done = true
      stdin.removeListener('data', onData)
      stdin.removeListener('end', onEnd)
      stdin.removeListener('error', onError)
      options.signal?.removeEventListener('abort', onAbort)
      if (hidden) {
        tty.setRawMode(false)
        // Enter was not echoed either: end the prompt's line.
        if (!error) process.stderr.write('\n')
      }
      stdin.pause()
      // A terminal stdin keeps the process alive once resumed; let go of it.
      ;(stdin as NodeJS.ReadStream).unref?.()
      if (error) reject(error)
      else resolve(text.trim() === '' ? undefined : text)
    }
    const onData = (chunk: Buffer | string) => {
      const incoming = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
      if (hidden) return void onKeys(incoming)
      text += incoming
      if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
        finish(new RangeError(`the input on stdin is larger than ${MAX_INPUT_BYTES} bytes`))
        return
      }
      if (options.firstLine) {
        const newline = text.search(/\r?\n/)
        if (newline >= 0 && text.slice(0, newline).trim() !== '') {
          text = text.slice(0, newline)
          finish()
        }
      }
    }
    const onKeys = (keys: string): void => {
      for (const key of keys) {
        if (key === '\u0003') return finish(new InterruptedError('interrupted while waiting for input'))
        if (key === '\r' || key === '\n' || key === '\u0004') {
          if (text.trim() !== '' || key === '\u0004') return finish()
          continue
        }
        if (key === '\u007f' || key === '\b') text = [...text].slice(0, -1).join('')
        else text += key
      }
      if (Buffer.byteLength(text) > MAX_INPUT_BYTES) finish(new RangeError(`the input on stdin is larger than ${MAX_INPUT_BYTES} bytes`))
    }
    const onEnd = () => finish()
    const onError = (error: Error) => finish(error)
    const onAbort = () => finish(new InterruptedError('interrupted while waiting for input'))
    if (options.signal?.aborted) return onAbort()
    options.signal?.addEventListener('abort', onAbort, {once: true})
    stdin.on('data', onData)
    stdin.once('end', onEnd)
    stdin.once('error', onError)
    if (hidden) tty.setRawMode(true)
    stdin.resume()
  })
}
