import {UsageError} from '../errors.js'

/**
 * `--jq EXPR`, as `gh api --jq`: the filter runs in real jq (jq 1.7 compiled to WebAssembly, the
 * `jq-wasm` package, ~1.4 MB, loaded only when `--jq` is given: about 150 ms). String results print raw,
 * other values as JSON (indented on a terminal, one line each otherwise), one result per line.
 * A filter that does not compile, or fails on the input, is a usage error (exit 2) with jq's own message.
 */
export async function runJq(jsonText: string, filter: string, options: {pretty: boolean}): Promise<string> {
  const jq = await import('jq-wasm')
  try {
    return await jq.raw(jsonText, filter, options.pretty ? ['-r'] : ['-r', '-c'])
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to execute raw query: /, '').trimEnd()
    const hint = /compile error/.test(message)
      ? 'The filter is jq syntax: https://jqlang.org/manual/ (quote it in single quotes).'
      : /parse error/.test(message)
        ? 'The input is not JSON; --jq needs a JSON body.'
        : undefined
    throw new UsageError(`--jq: ${message}`, hint ? {hint} : undefined)
  }
}

/**
 * A `-q` value that reads as a jq filter (`.id`, `.[] | .name`) rather than `KEY=VALUE`: gh users type
 * `-q` for `--jq`, where here `-q` is a query parameter.
 */
export function looksLikeJqFilter(value: string): boolean {
  return !value.includes('=') && (value.startsWith('.') || value.includes('|'))
}

/** Prints `value` as the `--json` output of a command, or what `--jq` makes of it. */
export async function printJson(io: {out(text: string): void; stdoutIsTTY: boolean}, value: unknown, jq: string | undefined): Promise<void> {
  const text = JSON.stringify(value, null, 2)
  if (jq === undefined) {
    io.out(`${text}\n`)
    return
  }
  const result = await runJq(text, jq, {pretty: io.stdoutIsTTY})
  if (result) io.out(result.endsWith('\n') ? result : `${result}\n`)
}

/** The `--jq` flag of the commands with `--json` output (implies `--json`). */
export const JQ_JSON_FLAG_DESCRIPTION = 'Filter the JSON output with jq (implies --json): strings print raw, other values as JSON, one per line.'
