/// <reference path="./oidc-provider.d.ts" />
import type {Adapter, AdapterPayload} from 'oidc-provider'

interface Entry {
  payload: AdapterPayload
  /** Epoch milliseconds; Infinity when oidc-provider gave no lifetime. */
  expiresAt: number
}

/** Models whose entries belong to a grant and go when the grant is revoked (RFC 7009 §2.1). */
const grantBound = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
])

/** Expired entries are swept every this many writes, so a long benchmark does not grow memory forever. */
const sweepEvery = 500

/**
 * In-memory storage for one sandbox's oidc-provider: tokens, codes, sessions, interactions, grants.
 *
 * oidc-provider has a built-in one, but using it prints a "development-only in-memory adapter" warning
 * on every start, and it is an LRU capped at 1000 entries that a benchmark can overflow. This one is a
 * plain Map per sandbox (two sandboxes in one process never share state) and dies with the process,
 * which is what a sandbox wants.
 *
 * Payloads are deep-copied in and out so a caller mutating a found object cannot change stored state
 * without an `upsert`.
 *
 * @returns the `adapter` factory oidc-provider calls once per model name.
 */
export function createMemoryAdapter(now: () => number = Date.now): (model: string) => Adapter {
  const entries = new Map<string, Entry>()
  const grants = new Map<string, Set<string>>()
  const secondary = new Map<string, string>()
  let writes = 0

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key)
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  const sweep = (): void => {
    const at = now()
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key)
    for (const [key, target] of secondary) if (!entries.has(target)) secondary.delete(key)
    for (const [grantId, keys] of grants) {
      for (const key of keys) if (!entries.has(key)) keys.delete(key)
      if (keys.size === 0) grants.delete(grantId)
    }
  }

  return (model: string): Adapter => {
    const keyFor = (id: string): string => `${model}:${id}`
    const read = (key: string | undefined): AdapterPayload | undefined => {
      const entry = key === undefined ? undefined : live(key)
      return entry ? structuredClone(entry.payload) : undefined
    }

    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id)
        const expiresAt = typeof expiresIn === 'number' ? now() + expiresIn * 1000 : Infinity
        entries.set(key, {payload: structuredClone(payload), expiresAt})
        if (model === 'Session' && typeof payload.uid === 'string') secondary.set(`sessionUid:${payload.uid}`, key)
        if (typeof payload.userCode === 'string') secondary.set(`userCode:${payload.userCode}`, key)
        if (grantBound.has(model) && typeof payload.grantId === 'string') {
          const keys = grants.get(payload.grantId) ?? new Set<string>()
          keys.add(key)
          grants.set(payload.grantId, keys)
        }
        if (++writes % sweepEvery === 0) sweep()
      },
      async find(id) {
        return read(keyFor(id))
      },
      async findByUid(uid) {
        return read(secondary.get(`sessionUid:${uid}`))
      },
      async findByUserCode(userCode) {
        return read(secondary.get(`userCode:${userCode}`))
      },
      async consume(id) {
        const entry = live(keyFor(id))
        if (entry) entry.payload.consumed = Math.floor(now() / 1000)
      },
      async destroy(id) {
        entries.delete(keyFor(id))
      },
      async revokeByGrantId(grantId) {
        for (const key of grants.get(grantId) ?? []) entries.delete(key)
        grants.delete(grantId)
      },
    }
  }
}
