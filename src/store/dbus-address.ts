/**
 * One entry (`transport:key=value,...`) of a D-Bus server address, its values %-decoded as the address
 * syntax requires; `bare` counts the pairs that have no `=`. Undefined when the entry has no transport or a
 * value holds a bad %-escape.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#addresses
 */
export function parseBusAddressEntry(entry: string): {transport: string; params: Map<string, string>; bare: number} | undefined {
  const colon = entry.indexOf(':')
  if (colon < 0) return undefined
  const params = new Map<string, string>()
  let bare = 0
  for (const pair of entry.slice(colon + 1).split(',')) {
    const equals = pair.indexOf('=')
    if (equals < 0) {
      bare++
      continue
    }
    try {
      params.set(pair.slice(0, equals), decodeURIComponent(pair.slice(equals + 1)))
    } catch {
      return undefined
    }
  }
  return {transport: entry.slice(0, colon), params, bare}
}
