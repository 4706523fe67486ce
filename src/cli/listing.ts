import type {IO} from '../io.js'
import {toTerminalText} from '../util/terminal-text.js'

/** Width that listings (`status`, `providers list`) are laid out for: the terminal's, else 80. */
export function listingWidth(io: IO): number {
  const columns = io.stdoutIsTTY ? (io.stdout as unknown as NodeJS.WriteStream).columns : undefined
  return typeof columns === 'number' && columns >= 40 ? columns : 80
}

/** Cuts a line to `width` characters, ending it with `…` when something was cut. */
export function truncateLine(line: string, width: number): string {
  const chars = [...line]
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`
}

/**
 * A listing is data: it goes to stdout (so `oauthctl providers list | grep github` works), with control
 * characters escaped as on stderr, since much of it comes from servers and config files.
 */
export function printListing(io: IO, lines: string[]): void {
  io.out(lines.map((line) => `${toTerminalText(line)}\n`).join(''))
}
