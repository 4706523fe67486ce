/**
 * The `--scope` values as typed, the way gh's `-s` takes them: repeats, commas and spaces all separate
 * (`--scope a,b --scope "c d"` is a, b, c, d), duplicates dropped, order kept. The request joins them with
 * the provider's own separator (a space, or a comma for Slack-style presets).
 * @see RFC 6749 §3.3 (scope is a space-delimited list; no scope token contains a space or a comma in practice)
 */
export function splitScopes(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined
  const scopes = values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean)
  return [...new Set(scopes)]
}
