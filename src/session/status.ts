import type {LoginRecord} from '../config.js'
import type {Context} from '../context.js'
import {toIsoTime} from '../util/time.js'

export interface StatusEntry {
  provider: string
  profile: string
  default: boolean
  subject: string | null
  name: string | null
  email: string | null
  scopes: string[]
  expiresAt: string | null
  expired: boolean
  hasRefreshToken: boolean
  grant: string
  /** `Bearer`, or `DPoP` for tokens bound to a key (RFC 9449). */
  tokenType: string
  /** The token is bound to the login's TLS client certificate (RFC 8705 §3). */
  certificateBound: boolean
  store: string
  /** RFC 8707 resource indicators of the login (sent again on refresh). */
  resources?: string[]
  /** RFC 9396 authorization details the token response said were granted. */
  authorizationDetails?: Record<string, unknown>[]
}

/** Every stored login, never a secret. */
export function listStatus(ctx: Context): StatusEntry[] {
  const config = ctx.config()
  const now = ctx.now()
  return Object.values(config.logins ?? {})
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.profile.localeCompare(b.profile))
    .map((record: LoginRecord) => ({
      provider: record.provider,
      profile: record.profile,
      default:
        config.defaultProvider === record.provider &&
        (config.defaultProfiles?.[record.provider] ?? 'default') === record.profile,
      subject: record.subject ?? null,
      name: record.name ?? null,
      email: record.email ?? null,
      scopes: record.scopes,
      expiresAt: toIsoTime(record.expiresAt),
      expired: record.expiresAt !== undefined && record.expiresAt <= now,
      hasRefreshToken: record.hasRefreshToken,
      grant: record.grant,
      tokenType: record.tokenType ?? 'Bearer',
      certificateBound: record.certificateBound === true,
      store: record.store,
      // RFC 8707 / RFC 9396: only for logins that asked for them.
      ...(record.resources ? {resources: record.resources} : {}),
      ...(record.authorizationDetails ? {authorizationDetails: record.authorizationDetails} : {}),
    }))
}

/** "in 59m", "2h ago": how far an instant is from now, for people. */
export function relativeTime(iso: string, now: number): string {
  const delta = Date.parse(iso) - now
  const abs = Math.abs(delta)
  const text = abs < 60_000 ? `${Math.round(abs / 1000)}s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)}m` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)}h` : `${Math.round(abs / 86_400_000)}d`
  return delta >= 0 ? `in ${text}` : `${text} ago`
}

/** The human rendering of `status`, written to stdout (the legend of `*` is the command's). */
export function formatStatus(entries: StatusEntry[], now: number): string[] {
  if (entries.length === 0) return ['Not logged in to any provider. Run `oauthctl login <provider>`.']
  const lines: string[] = []
  for (const entry of entries) {
    const who = [entry.name, entry.subject && entry.subject !== entry.name ? `(${entry.subject})` : undefined].filter(Boolean).join(' ')
    lines.push(`${entry.default ? '*' : ' '} ${entry.provider}, profile "${entry.profile}"${who ? `: ${who}` : ''}`)
    const expiry = entry.grant === 'oauth1' ? 'OAuth 1.0a (signed requests), no expiry' : entry.expiresAt === null ? 'no expiry given' : `${entry.expired ? 'expired' : 'expires'} ${relativeTime(entry.expiresAt, now)} (${entry.expiresAt})`
    const bound = `${entry.tokenType === 'DPoP' ? ', DPoP-bound' : ''}${entry.certificateBound ? ', certificate-bound' : ''}`
    lines.push(`    token: ${expiry}${entry.hasRefreshToken ? ', refreshable' : ''}${bound}; store: ${entry.store}`)
    lines.push(`    scopes: ${entry.scopes.join(' ') || '(none)'}`)
    if (entry.resources) lines.push(`    resources: ${entry.resources.join(' ')}`)
  }
  return lines
}
