import {join} from 'node:path'
import {writeFileAtomicSync} from '../util/atomic-write.js'
import {inspectStatePathSync, readStateFileSync} from '../util/state-path.js'
import {parseJsonSafely} from '../util/safe-object.js'

/*
 * The DPoP nonces resource servers gave (RFC 9449 §9), kept between processes in
 * `<config dir>/dpop-nonces.json`, so that a script calling `oauthctl get` in a loop does not pay the
 * `use_dpop_nonce` round trip on every call: each new process starts with the nonce the last one got.
 * A nonce is not a secret (it travels in a response header, and a proof made with it still needs the
 * key), and a stale one costs exactly what none does: the server answers `use_dpop_nonce` with a fresh one
 * and the request goes once more. The file is read as hostile input: anything malformed is ignored whole
 * or entry by entry, and it is only written when a server gives a nonce other than the one kept.
 */

/** At most this many origins are kept (the most recently given). */
const MAX_ORIGINS = 32
/** A longer file is not read. */
const MAX_FILE_BYTES = 64 * 1024
/** A nonce is a non-empty NQCHAR string (RFC 9449 §8.1); longer than this is not kept. */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,1024}$/

interface NonceFile {
  version: 1
  /** Origin -> the latest nonce and when it came (epoch ms). */
  nonces: Record<string, {nonce: string; at: number}>
}

/** The kept nonces of one config directory. */
export class DPoPNonceFile {
  readonly path: string
  #entries: Map<string, {nonce: string; at: number}> | undefined

  constructor(configDir: string) {
    this.path = join(configDir, 'dpop-nonces.json')
  }

  /** The nonce kept for an origin, if any. */
  get(origin: string): string | undefined {
    return this.#load().get(origin)?.nonce
  }

  /** Keeps a nonce for an origin; writes the file only when it changes. A write that fails is ignored. */
  set(origin: string, nonce: string, now: number): void {
    if (!NONCE.test(nonce)) return
    const entries = this.#load()
    if (entries.get(origin)?.nonce === nonce) return
    entries.delete(origin)
    entries.set(origin, {nonce, at: now})
    const kept = [...entries].sort((a, b) => b[1].at - a[1].at).slice(0, MAX_ORIGINS)
    const file: NonceFile = {version: 1, nonces: Object.fromEntries(kept)}
    try {
      writeFileAtomicSync(this.path, `${JSON.stringify(file)}\n`, {mode: 0o600})
    } catch {
      // Only a cache: the next process asks the server again.
    }
  }

  #load(): Map<string, {nonce: string; at: number}> {
    if (this.#entries) return this.#entries
    this.#entries = new Map()
    let text: string
    try {
      inspectStatePathSync(this.path, 'file')
      text = readStateFileSync(this.path)
    } catch {
      return this.#entries
    }
    if (text.length > MAX_FILE_BYTES) return this.#entries
    let parsed: unknown
    try {
      parsed = parseJsonSafely(text)
    } catch {
      return this.#entries
    }
    const nonces = (parsed as Partial<NonceFile> | null)?.nonces
    if ((parsed as Partial<NonceFile> | null)?.version !== 1 || !nonces || typeof nonces !== 'object' || Array.isArray(nonces)) return this.#entries
    for (const [origin, entry] of Object.entries(nonces)) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin) || !entry || typeof entry !== 'object') continue
      const {nonce, at} = entry as {nonce?: unknown; at?: unknown}
      if (typeof nonce === 'string' && NONCE.test(nonce) && typeof at === 'number' && Number.isFinite(at)) this.#entries.set(origin, {nonce, at})
    }
    return this.#entries
  }
}
