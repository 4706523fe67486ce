import {join} from 'node:path'
import type {Context} from '../context.js'
import {CredentialStoreError} from '../errors.js'
import {lockDir} from '../paths.js'
import type {TokenSecrets} from '../store/token-store.js'
import {expiresWithin, readSecrets, refreshWindowMs, type LoadedLogin, type Target} from './session.js'

/* A usable access token for a stored login: the stored one, or a refreshed one (session/refresh.ts) under the
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
 * A usable access token for the login: the stored one while it is valid for at least 60 s (or half its
 * lifetime, see {@link refreshWindowMs}), otherwise a refreshed one. Refreshes are serialised across processes: after taking the lock the store is read again,
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
    // A rotating refresh token can be spent only once: make sure its successor can be saved first.
    await assertStoreWritable(login, fresh)
    return refreshTokens(ctx, login, fresh)
  })
}

function needsRefresh(secrets: TokenSecrets, now: number, options: AccessOptions): boolean {
  if (options.rejectedAccessToken !== undefined) return secrets.accessToken === options.rejectedAccessToken
  return expiresWithin(secrets, now, refreshWindowMs(secrets))
}

/**
 * Checks, before a refresh token is spent, that the store can take the new record (free space, a writable
 * folder). Stores that cannot tell (the OS keyring) pass.
 * @throws CredentialStoreError (exit 6) naming what failed ("disk full", "read-only file system"); the login
 * is untouched.
 */
async function assertStoreWritable(login: LoadedLogin, current: TokenSecrets): Promise<void> {
  if (login.unsaved || !login.store.checkWritable) return
  // The new record is about as long as the current one; leave room for a longer token.
  const bytes = JSON.stringify(current).length * 2 + 4096
  try {
    await login.store.checkWritable(login.target.key, bytes)
  } catch (error) {
    if (!(error instanceof CredentialStoreError)) throw error
    throw new CredentialStoreError(
      `cannot refresh the ${login.target.provider} token: ${error.message}; the refresh token was not used, so the login works again once the store is writable`,
      {hint: error.hint, cause: error},
      'store_not_writable',
    )
  }
}
