/**
 * An epoch-milliseconds value as an ISO 8601 string, or null when there is none or it is outside what a
 * Date can hold (a hostile `expires_in` once produced such values): output code never throws on a date.
 */
export function toIsoTime(ms: number | undefined): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return null
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
