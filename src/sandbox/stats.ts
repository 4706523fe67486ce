/// <reference path="./oidc-provider.d.ts" />
import type {KoaContextWithOIDC, Provider} from 'oidc-provider'

/** What the sandbox counted since it started; tests assert on it (e.g. "exactly one refresh"). */
export interface SandboxStats {
  /** Successful token endpoint responses by `grant_type`, e.g. `{"authorization_code": 1}`. */
  grants: Record<string, number>
  /** Successful refresh_token grants (the same number as `grants.refresh_token`, or 0). */
  refreshGrants: number
  /** Revocation requests answered 200 (RFC 7009 answers 200 for unknown tokens too). */
  revocations: number
  /** Clients created at the registration endpoint (RFC 7591). */
  registrations: number
  /** `--mtls` only: requests that reached the HTTPS listener (the RFC 8705 endpoint aliases), by path. */
  mtlsRequests?: Record<string, number>
}

export interface StatsRecorder {
  snapshot(): SandboxStats
}

/**
 * Counts grants, revocations and registrations from oidc-provider's events and, for revocation (which
 * emits no success event), from a middleware that looks at the finished response. Also forwards a
 * line per event and per error to `log`.
 */
export function recordStats(provider: Provider, log: (line: string) => void): StatsRecorder {
  const grants: Record<string, number> = {}
  let revocations = 0
  let registrations = 0

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = ctx.oidc.params?.grant_type ?? 'unknown'
    grants[grantType] = (grants[grantType] ?? 0) + 1
    log(`token issued: ${grantType} for client ${ctx.oidc.client?.clientId ?? '?'}`)
  })
  provider.on('registration_create.success', (_ctx: KoaContextWithOIDC, client: {clientId: string}) => {
    registrations++
    log(`client registered: ${client.clientId}`)
  })
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    log(`authorization granted to client ${ctx.oidc.client?.clientId ?? '?'}`)
  })
  for (const event of [
    'authorization.error',
    'grant.error',
    'revocation.error',
    'introspection.error',
    'userinfo.error',
    'registration_create.error',
    'device_authorization.error',
    'code_verification.error',
  ]) {
    provider.on(event, (_ctx: KoaContextWithOIDC, error: Error & {error_description?: string}) => {
      log(`${event.replace('.error', '')} failed: ${error.message}${error.error_description ? ` (${error.error_description})` : ''}`)
    })
  }
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    log(`server error: ${error.stack ?? error.message}`)
  })

  provider.use(async (ctx, next) => {
    await next()
    if (ctx.oidc?.route === 'revocation' && ctx.status === 200) {
      revocations++
      log('token revoked')
    }
  })

  return {
    snapshot: () => ({
      grants: {...grants},
      refreshGrants: grants.refresh_token ?? 0,
      revocations,
      registrations,
    }),
  }
}
