import {join} from 'node:path'
import type {Context} from '../context.js'
import {lockDir} from '../paths.js'
import type {TokenSecrets} from '../store/token-store.js'
import {expiresWithin, readSecrets, REFRESH_AHEAD_MS, type LoadedLogin, type Target} from './session.js'

/* A usable access token for a stored login: the stored one, or a refreshed one (flows/refresh.ts) under the
 * login's cross-process lock. Apart from session.ts so that the refresh flows, which need session.ts, are
 * not needed by it (no import circle). */

/** Path of the cross-process lock that serialises refreshes of one login. */
export function refreshLockPath(ctx: Context, target: Target): string {
  return join(lockDir(ctx.configDir), `refresh-${encodeURIComponent(target.key)}.lock`)
}

export interface AccessOptions {
  /** Refresh even when the token looks valid, because the API rejected this access token (401). */
  rejectedAccessToken?: string
}

/**
 * A usable access token for the login: the stored one while it is valid for at least 60 s, otherwise a
 * refreshed one. Refreshes are serialised across processes: after taking the lock the store is read again,
 * and if another process has already refreshed, its token is used and no second refresh is sent (a rotating
 * refresh token can be used only once).
 */
export async function getAccessToken(ctx: Context, login: LoadedLogin, options: AccessOptions = {}): Promise<TokenSecrets> {
  const current = await readSecrets(login)
  if (!needsRefresh(current, ctx.now(), options)) return current
  const [{withLock}, {refreshTokens}] = await Promise.all([import('../util/lock.js'), import('./refresh.js')])
  return withLock(refreshLockPath(ctx, login.target), async () => {
    const fresh = await readSecrets(login)
    if (!needsRefresh(fresh, ctx.now(), options)) {
      ctx.debug(`another process already refreshed ${login.target.key}`)
      return fresh
    }
    return refreshTokens(ctx, login, fresh)
  })
}

function needsRefresh(secrets: TokenSecrets, now: number, options: AccessOptions): boolean {
  if (options.rejectedAccessToken !== undefined) return secrets.accessToken === options.rejectedAccessToken
  return expiresWithin(secrets, now, REFRESH_AHEAD_MS)
}
