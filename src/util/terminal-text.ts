/**
 * Text for people's terminals. Much of what oauthctl tells people comes from servers (an
 * `error_description`, a name in an ID token, an HTTP reason phrase, a device-flow code, discovery
 * values), and a terminal obeys control characters in it: `ESC [2J` clears the screen, `ESC ]0;...BEL`
 * retitles the window, OSC 52 writes the clipboard, a carriage return or bidi override disguises what
 * the line says. Every human line is passed through {@link toTerminalText} where it is written
 * (io.ts), so no caller has to remember; data on stdout (API bodies, `--json`) is never touched.
 */

/**
 * C0 controls but tab and line feed, DEL, C1 controls (U+0080-U+009F: `U+009B` is a one-character CSI),
 * the Unicode line and paragraph separators, and the bidi controls that reorder what is displayed
 * (Unicode UAX #9; "Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** `\x1b` for ESC, `\u202e` for RIGHT-TO-LEFT OVERRIDE: visible, and inert in every terminal. */
function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * `text` with every character a terminal would act on written out as an escape (`\x1b[2J` stays
 * readable as those six characters and clears nothing); line feeds and tabs are kept, and a CRLF
 * becomes a line feed.
 */
export function toTerminalText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, escapeCharacter)
}
