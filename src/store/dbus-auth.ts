/**
 * What a D-Bus client says before its first message: SASL `EXTERNAL` with the process's uid (its ASCII
 * digits, hex-encoded), then `BEGIN`. The server answers `OK <guid>` and reads the messages that follow.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#auth-protocol
 */
export function authenticationText(uid: number): string {
  // The hex of an ASCII digit d is "3d".
  let hex = ''
  for (const digit of String(uid)) hex += `3${digit}`
  return `\0AUTH EXTERNAL ${hex}\r\nBEGIN\r\n`
}
