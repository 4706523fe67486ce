/**
 * A response body for oauthctl's own HTTP path (see lite.ts), shaped like the part of a web
 * `ReadableStream<Uint8Array>` that oauthctl uses: `getReader()` with `read`/`cancel`/`releaseLock`,
 * `cancel()`, `locked`, async iteration (which cancels when the loop stops early), and {@link toWeb} for
 * code that needs a real one (a standard `Response`). Building a web stream loads Node's web-streams
 * implementation, ~2 ms of every `oauthctl get` (`npm run bench`); this is a queue and two promises.
 *
 * A producer feeds it through {@link LiteBodySink}: `push` chunks, then `end` or `fail`. The producer's
 * `demand` is called whenever the body wants more, that is while fewer than `readAheadBytes` are queued
 * (so that a small body that nobody reads still arrives whole and frees its connection, as a web stream
 * with that high-water mark would), and `cancel` when the reader gives up.
 */
export class LiteBody implements AsyncIterable<Uint8Array> {
  readonly #chunks: Uint8Array[] = []
  #queued = 0
  #ended = false
  #failure: {error: unknown} | undefined
  #cancelled = false
  #locked = false
  #waiting: {resolve(result: ReadResult): void; reject(error: unknown): void} | undefined
  readonly #producer: LiteBodyProducer
  readonly #readAheadBytes: number

  constructor(producer: LiteBodyProducer, readAheadBytes = 64 * 1024) {
    this.#producer = producer
    this.#readAheadBytes = readAheadBytes
  }

  /** A body whose bytes are all there. */
  static of(bytes: Uint8Array): LiteBody {
    const body = new LiteBody({demand: () => {}, cancel: () => {}})
    if (bytes.byteLength > 0) body.sink.push(bytes)
    body.sink.end()
    return body
  }

  /** Where the producer delivers. */
  readonly sink: LiteBodySink = {
    push: (chunk) => {
      if (this.#settled()) return
      if (this.#waiting) {
        const waiting = this.#waiting
        this.#waiting = undefined
        waiting.resolve({done: false, value: chunk})
        return
      }
      this.#chunks.push(chunk)
      this.#queued += chunk.byteLength
    },
    end: () => {
      if (this.#settled()) return
      this.#ended = true
      this.#waiting?.resolve({done: true, value: undefined})
      this.#waiting = undefined
    },
    fail: (error) => {
      if (this.#settled()) return
      this.#failure = {error}
      this.#waiting?.reject(error)
      this.#waiting = undefined
    },
    wantsMore: () => !this.#settled() && this.#queued < this.#readAheadBytes,
  }

  /** True once the reader can expect nothing more from the producer (ended, failed or cancelled). */
  #settled(): boolean {
    return this.#ended || this.#failure !== undefined || this.#cancelled
  }

  get locked(): boolean {
    return this.#locked
  }

  /** The next chunk, `{done: true}` at the end (or after a cancel); rejects with the producer's failure. */
  read(): Promise<ReadResult> {
    if (this.#waiting) return Promise.reject(new TypeError('a read is already pending on this body'))
    const chunk = this.#chunks.shift()
    if (chunk !== undefined) {
      this.#queued -= chunk.byteLength
      if (this.sink.wantsMore()) this.#producer.demand()
      return Promise.resolve({done: false, value: chunk})
    }
    if (this.#failure) return Promise.reject(this.#failure.error)
    if (this.#ended || this.#cancelled) return Promise.resolve({done: true, value: undefined})
    const result = new Promise<ReadResult>((resolve, reject) => (this.#waiting = {resolve, reject}))
    this.#producer.demand()
    return result
  }

  /** Drops what is queued and tells the producer to stop; a pending read ends with `{done: true}`. */
  async cancel(_reason?: unknown): Promise<void> {
    if (this.#cancelled) return
    const wasSettled = this.#settled()
    this.#cancelled = true
    this.#chunks.length = 0
    this.#queued = 0
    this.#waiting?.resolve({done: true, value: undefined})
    this.#waiting = undefined
    if (!wasSettled) this.#producer.cancel()
  }

  /** A reader, as `ReadableStream.getReader()` gives; the body stays locked to it until `releaseLock`. */
  getReader(): LiteBodyReader {
    if (this.#locked) throw new TypeError('this body is already locked to a reader')
    this.#locked = true
    return {
      read: () => this.read(),
      cancel: (reason?: unknown) => this.cancel(reason),
      releaseLock: () => {
        this.#locked = false
      },
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const reader = this.getReader()
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      return: async () => {
        await reader.cancel()
        reader.releaseLock()
        return {done: true, value: undefined}
      },
    }
  }

  /** A real web stream over this body (for a standard `Response`); reading it reads this body. */
  toWeb(): ReadableStream<Uint8Array> {
    const reader = this.getReader()
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const result = await reader.read()
        if (result.done) controller.close()
        else controller.enqueue(result.value)
      },
      cancel: (reason) => reader.cancel(reason),
    })
  }
}

/** What `read()` gives, as a web stream reader's `read()` does. */
export type ReadResult = {done: false; value: Uint8Array} | {done: true; value: undefined}

/** What a {@link LiteBody} asks of whoever fills it. */
export interface LiteBodyProducer {
  /** The body wants more (fewer than its read-ahead bytes are queued, or a read is waiting). */
  demand(): void
  /** The reader gave up: stop and release what the producer holds. */
  cancel(): void
}

/** How a producer fills a {@link LiteBody}. Calls after `end`, `fail` or a cancel are ignored. */
export interface LiteBodySink {
  push(chunk: Uint8Array): void
  end(): void
  fail(error: unknown): void
  /** Whether the body still wants chunks now (not settled, read-ahead not full). */
  wantsMore(): boolean
}

/** The reader of a {@link LiteBody}. */
export interface LiteBodyReader {
  read(): Promise<ReadResult>
  cancel(reason?: unknown): Promise<void>
  releaseLock(): void
}
