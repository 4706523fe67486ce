import type {TokenSecrets, TokenStore} from './token-store.js'
import {parseJsonSafely} from '../util/safe-object.js'

/**
 * A {@link TokenStore} that lives and dies with the process: for tests and for Context fakes. Records are
 * kept as JSON text, as the real stores keep them, so a caller mutating a returned object cannot change
 * what is stored.
 */
export class MemoryTokenStore implements TokenStore {
  readonly kind = 'memory' as const
  readonly location = 'memory (this process only)'
  readonly #entries = new Map<string, string>()

  constructor(initial: Record<string, TokenSecrets> = {}) {
    for (const [key, secrets] of Object.entries(initial)) this.#entries.set(key, JSON.stringify(secrets))
  }

  async get(key: string): Promise<TokenSecrets | undefined> {
    const value = this.#entries.get(key)
    return value === undefined ? undefined : (parseJsonSafely(value) as TokenSecrets)
  }

  async set(key: string, secrets: TokenSecrets): Promise<void> {
    this.#entries.set(key, JSON.stringify(secrets))
  }

  async delete(key: string): Promise<boolean> {
    return this.#entries.delete(key)
  }

  /** The keys currently stored, for assertions in tests. */
  keys(): string[] {
    return [...this.#entries.keys()]
  }
}
