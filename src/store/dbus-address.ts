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

/** A bus address other than one `unix:path=` or `unix:abstract=` entry. */
export class UnsupportedBusAddressError extends Error {
  override name = 'UnsupportedBusAddressError'
}

/**
 * The socket path of a single-entry unix bus address (`unix:path=/run/user/1000/bus`,
 * `unix:abstract=/tmp/dbus-x,guid=...`); abstract names get the leading NUL Linux expects. Values are
 * %-decoded as the address syntax requires.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#addresses
 */
export function socketPathOf(address: string): string {
  const entries = address.split(';').filter(Boolean)
  const entry = entries[0]
  if (entries.length !== 1 || !entry!.startsWith('unix:')) throw new UnsupportedBusAddressError(`unsupported D-Bus address ${JSON.stringify(address)}`)
  const parsed = parseBusAddressEntry(entry!)
  if (!parsed || parsed.bare > 0) throw new UnsupportedBusAddressError(`malformed D-Bus address ${JSON.stringify(address)}`)
  const {params} = parsed
  const path = params.get('path')
  const abstract = params.get('abstract')
  if (path && abstract === undefined) return path
  if (abstract && path === undefined && process.platform === 'linux') return `\0${abstract}`
  throw new UnsupportedBusAddressError(`unsupported D-Bus address ${JSON.stringify(address)}`)
}
