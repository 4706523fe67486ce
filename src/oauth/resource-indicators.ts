import {UsageError} from '../errors.js'

/** More than this many `--resource` values is a mistake, not a request. */
export const MAX_RESOURCES = 20

/**
 * Checks `--resource` values: absolute URIs without a fragment (RFC 8707 §2), each at most 2,000
 * characters, de-duplicated in order.
 * @throws UsageError (exit 2) naming the bad value.
 * @see RFC 8707 §2
 */
export function checkResources(values: readonly string[] | undefined): string[] {
  const resources = [...new Set(values ?? [])]
  if (resources.length > MAX_RESOURCES) throw new UsageError(`at most ${MAX_RESOURCES} --resource values are accepted`)
  for (const value of resources) {
    const shown = JSON.stringify(value.slice(0, 80))
    if (value.length > 2000 || !URL.canParse(value)) {
      throw new UsageError(`--resource ${shown} is not an absolute URI`, {hint: 'Pass the resource server\'s URI, e.g. --resource https://api.example.com/'})
    }
    if (new URL(value).hash !== '' || value.includes('#')) throw new UsageError(`--resource ${shown} must not have a fragment (RFC 8707 §2)`)
  }
  return resources
}

/** Adds one `resource` parameter per value (RFC 8707 §2.1, §2.2). */
export function appendResources(params: URLSearchParams, resources: readonly string[] | undefined): URLSearchParams {
  for (const resource of resources ?? []) params.append('resource', resource)
  return params
}
