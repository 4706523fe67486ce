import {isUtf8} from 'node:buffer'
import type {DbusConnection} from './dbus-client.js'
import {openSecretServiceBus, SECRETS, sessionOf, type SecretServiceBus} from './secret-service-bus.js'
import {DEFAULT_KEYRING_TIMEOUT_MS, loadNativeKeyring} from './keyring-store.js'
import type {KeyringBackend, KeyringLoader} from './keyring-store.js'

/**
 * A read-only Secret Service client in plain JavaScript, for the hot path (`oauthctl token`, the API verbs,
 * the kubectl and docker credential helpers): loading @napi-rs/keyring (a 3 MB native addon) and its first
 * read cost a fresh process about twice the CPU of this reader's first read (46 vs 20 ms on the loaded
 * 2-core development machine, when this reader still loaded node:crypto). It speaks over unix-socket.ts
 * (not node:net, ~3 ms to load), usually on the connection bin/run.js opened before the command loaded
 * (early-bus.ts, secret-service-bus.ts), so what is left is the Secret Service's own work, the messages
 * and two round trips (SearchItems; GetSecrets with the session's Close behind it).
 *
 * It reads what @napi-rs/keyring writes on Linux and finds it the same way: that binding's Secret Service
 * store (dbus-secret-service-keyring-store 1.0, src/cred.rs and src/service.rs) creates items with exactly
 * the attributes `service` and `username`, searches them with Service.SearchItems over all collections,
 * unlocks locked matches (a prompt), requires exactly one match (else "ambiguous") and reads its secret as
 * UTF-8. This reader answers only when that answer is plain: exactly one match, unlocked, a UTF-8 secret. Anything else (no bus address or one that is
 * not a single unix socket, a refused connection, no Secret Service, no such item, several items, a locked
 * item, an error reply, a malformed message) resolves undefined, and the caller asks the native keyring,
 * which then behaves, and fails, exactly as it did before. Only a bus that stays silent past the time box
 * rejects: the caller's own deadline has fired by then, and a second wait would only keep the process alive.
 *
 * The session uses the spec's `plain` algorithm: the secret crosses the user's own session bus unencrypted,
 * as in gh's keyring library (zalando/go-keyring, secret_service/secret_service.go: OpenSession "plain").
 * The encrypted `dh-ietf1024-sha256-aes128-cbc-pkcs7` session, which this reader used before, protects
 * against nobody a `plain` session exposes the secret to: the bus only admits the user's own processes
 * (and root), and any of them can ask the unlocked Secret Service for the item directly. It cost every
 * read node:crypto (~2.7 ms to load), two 1024-bit exponentiations here and two in the daemon, and a
 * garbage collection: about 8 ms of a `oauthctl token` that should take ~12 ms more than `node -e ''`
 * (`npm run bench`). A Secret Service that refuses `plain` (NotSupported) gets the native keyring, which
 * negotiates its own session. Writes always go through the native keyring.
 *
 * @see https://specifications.freedesktop.org/secret-service/latest/ (org.freedesktop.Secret.Service:
 *   OpenSession, SearchItems, GetSecrets; org.freedesktop.Secret.Session: Close; "Transfer of Secrets")
 */
export async function readSecretServicePassword(
  service: string,
  account: string,
  options: {timeoutMs: number; env?: NodeJS.ProcessEnv; uid?: number; bus?: SecretServiceBus},
): Promise<string | undefined> {
  const env = options.env ?? process.env
  const address = env.DBUS_SESSION_BUS_ADDRESS
  const uid = options.uid ?? process.getuid?.()
  if (!address || uid === undefined) {
    options.bus?.connection.close()
    return undefined
  }
  let bus: SecretServiceBus
  if (options.bus?.address === address) {
    bus = options.bus
  } else {
    options.bus?.connection.close()
    try {
      bus = openSecretServiceBus(address, uid, env)
    } catch {
      return undefined
    }
  }
  const {connection} = bus
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SecretServiceTimeoutError(`the Secret Service did not answer within ${options.timeoutMs} ms`)), options.timeoutMs)
  })
  const work = readOver(connection, sessionOf(bus), service, account)
  work.catch(() => {})
  try {
    const value = await Promise.race([work, deadline])
    connection.close()
    return value
  } catch (error) {
    connection.destroy()
    if (error instanceof SecretServiceTimeoutError) throw error
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** The reader's time box ran out (the bus or the Secret Service never answered). */
export class SecretServiceTimeoutError extends Error {
  override name = 'SecretServiceTimeoutError'
}

async function readOver(connection: DbusConnection, opened: Promise<string>, service: string, account: string): Promise<string | undefined> {
  // The search needs no session: it goes out while the session is being opened (or already is).
  const searched = connection.call({...SECRETS, member: 'SearchItems', signature: 'a{ss}', body: [[['service', service], ['username', account]]]})
  const [session, [unlocked, locked]] = (await Promise.all([opened, searched])) as [string, [string[], string[]]]
  const close = {destination: SECRETS.destination, path: session, interface: 'org.freedesktop.Secret.Session', member: 'Close'}
  // Exactly one unlocked match; a locked one (even beside it) or several are the native keyring's to judge.
  if (unlocked.length !== 1 || locked.length !== 0) {
    connection.send(close)
    return undefined
  }
  // The session is closed right behind GetSecrets, in the same write: the service answers in order.
  const [secrets] = (await connection.call({...SECRETS, member: 'GetSecrets', signature: 'aoo', body: [unlocked, session]}, close)) as [[string, [string, Buffer, Buffer, string]][]]
  const found = secrets.find(([path]) => path === unlocked[0])
  if (!found || secrets.length !== 1 || found[1][0] !== session) return undefined
  const [, parameters, value] = found[1]
  // A plain session's Secret has empty parameters (no IV); anything else is not a plain value.
  if (parameters.length !== 0) return undefined
  // isUtf8 (simdutf) and toString, rather than a fatal TextDecoder: its first use costs ~0.2 ms more.
  return isUtf8(value) ? value.toString('utf8') : undefined
}

/** Hands over, once, the bus bin/run.js opened early (early-bus.ts, taken over by secret-service-bus.ts adoptEarlyBus); then undefined. */
export type TakeEarlyBus = () => SecretServiceBus | undefined

/**
 * A keyring backend that reads through {@link readSecretServicePassword} and goes to the native keyring
 * (loaded on first need) for everything else: reads the reader leaves open, writes and deletes. The first
 * read uses the bus `takeEarlyBus` hands over, if any.
 */
export function readingSecretServiceFirst(loadNative: KeyringLoader, options: {timeoutMs: number; takeEarlyBus?: TakeEarlyBus}): KeyringBackend {
  let native: Promise<KeyringBackend> | undefined
  const nativeOnce = () => {
    if (!native) {
      const loading = loadNative()
      native = loading
      loading.catch(() => {
        if (native === loading) native = undefined
      })
    }
    return native
  }
  return {
    async getPassword(service, account) {
      const value = await readSecretServicePassword(service, account, {timeoutMs: options.timeoutMs, bus: options.takeEarlyBus?.()})
      return value ?? (await nativeOnce()).getPassword(service, account)
    },
    setPassword: async (service, account, password) => (await nativeOnce()).setPassword(service, account, password),
    deletePassword: async (service, account) => (await nativeOnce()).deletePassword(service, account),
  }
}

/**
 * The keyring stores use unless told otherwise: on Linux the native keyring behind
 * {@link readingSecretServiceFirst}, elsewhere the native keyring alone. Nothing is loaded until first use.
 */
export function defaultKeyringLoader(options: {timeoutMs?: number; takeEarlyBus?: TakeEarlyBus} = {}): KeyringLoader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS
  const loadNative = () => loadNativeKeyring({timeoutMs})
  if (process.platform !== 'linux') return loadNative
  return async () => readingSecretServiceFirst(loadNative, {timeoutMs, takeEarlyBus: options.takeEarlyBus})
}
