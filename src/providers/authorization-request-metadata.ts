import {resolve as resolvePath} from 'node:path'
import type * as Client from 'openid-client'
import type {ProviderEntry} from './custom.js'

/**
 * The PAR, JAR and JARM facts of a server's metadata, as provider-definition fields: the PAR endpoint and
 * whether every request must be pushed (RFC 9126 §5), whether request objects are accepted or required
 * (RFC 9101 §10.5), whether `jwt` response modes are offered (JARM §4.1). Absent facts stay absent.
 */
export function authorizationRequestFieldsFrom(
  meta: Client.ServerMetadata,
  url: (value: unknown, field: string) => string | undefined,
): Partial<ProviderEntry> {
  const fields: Partial<ProviderEntry> = {}
  const parEndpoint = url(meta.pushed_authorization_request_endpoint, 'pushed_authorization_request_endpoint')
  if (parEndpoint) fields.parEndpoint = parEndpoint
  if (parEndpoint && meta.require_pushed_authorization_requests === true) fields.par = true
  const algs = meta.request_object_signing_alg_values_supported
  if (Array.isArray(algs) && algs.some((alg) => typeof alg === 'string' && alg !== 'none')) fields.jarSupported = true
  if (fields.jarSupported && meta.require_signed_request_object === true) fields.jar = true
  const modes = meta.response_modes_supported
  if (Array.isArray(modes) && modes.includes('jwt')) fields.jarmSupported = true
  return fields
}

/** `providers add` flags that make PAR, JAR or JARM part of every login to a provider. */
export interface AuthorizationRequestDefaults {
  /** `--par-url`: the pushed authorization request endpoint, for a server without metadata. */
  parUrl?: string
  par?: boolean
  jar?: boolean
  /** `--jar-key`: stored as an absolute path; the key stays in its file. */
  jarKey?: string
  jarm?: boolean
}

/**
 * Applies {@link AuthorizationRequestDefaults} to a provider entry. Saying `--jar` or `--jarm` also records
 * that the server offers the feature (the user vouches for it where no metadata said so).
 */
export function applyAuthorizationRequestDefaults(entry: ProviderEntry, flags: AuthorizationRequestDefaults, checkUrl: (value: string, flag: string) => URL): void {
  if (flags.parUrl !== undefined) entry.parEndpoint = checkUrl(flags.parUrl, '--par-url').href
  if (flags.par) entry.par = true
  if (flags.jar || flags.jarKey !== undefined) Object.assign(entry, {jar: true, jarSupported: true})
  if (flags.jarKey !== undefined) entry.jarKey = resolvePath(flags.jarKey)
  if (flags.jarm) Object.assign(entry, {jarm: true, jarmSupported: true})
}
