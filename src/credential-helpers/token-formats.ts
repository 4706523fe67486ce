import {NotLoggedInError, UsageError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'

/**
 * The access token in the shapes other tools read from stdin, so that it never appears on a command line
 * (`ps`, `/proc/PID/cmdline`, shell history): `curl -H @-`, `curl -K -`, a `.netrc` line.
 */
export type TokenFormat = 'plain' | 'header' | 'curl-config' | 'netrc'

/** User name sent with the token as password when the provider names none (GitLab's word, widely accepted). */
export const DEFAULT_TOKEN_USER = 'oauth2'

/** A DNS name or IP literal with an optional port, as `--netrc` and `setup-git --host` take it. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** Checks a host name given on the command line (exit 2 otherwise). */
export function checkHostName(host: string, flag: string): string {
  if (!HOST.test(host)) throw new UsageError(`${flag} "${host}" is not a host name (example.com or example.com:8443)`)
  return host.toLowerCase()
}

/**
 * Refuses a token that would break the line it is written into: anything but visible ASCII (RFC 6750 §2.1
 * b64token is a subset) could end a header or a netrc field early and inject another one.
 */
export function checkTokenText(token: string, provider: string, relogin: string): string {
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new NotLoggedInError(`the stored ${provider} access token contains characters that cannot be sent in a header`, {
      hint: `Log in again: ${relogin}`,
    })
  }
  return token
}

/** The user name that goes with the token where a tool wants a user and a password. */
export function tokenUserName(preset: ProviderPreset): string {
  return preset.passwordLogin?.username ?? DEFAULT_TOKEN_USER
}

/**
 * One output line for `token`. `relogin` is the login command a refusal names (the login's own, with its
 * `--profile` and `--port`; by default just the provider's). `curl-config` quotes the value as curl's config parser reads it: inside
 * double quotes a backslash escapes the next character (tool_parsecfg.c), so `\` and `"` are escaped.
 * @see RFC 6750 §2.1 (the Authorization request header field)
 */
export function formatToken(token: string, format: TokenFormat, options: {provider: string; preset?: ProviderPreset; host?: string; relogin?: string}): string {
  if (format === 'plain') return `${token}\n`
  const safe = checkTokenText(token, options.provider, options.relogin ?? `oauthctl login ${options.provider}`)
  const header = `Authorization: Bearer ${safe}`
  if (format === 'header') return `${header}\n`
  if (format === 'curl-config') return `header = "${header.replace(/[\\"]/g, (char) => `\\${char}`)}"\n`
  return `machine ${options.host} login ${options.preset ? tokenUserName(options.preset) : DEFAULT_TOKEN_USER} password ${safe}\n`
}
