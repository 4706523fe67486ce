import {DbusConnection} from './dbus-client.js'
import type {Variant} from './dbus-wire.js'
import {DEFAULT_KEYRING_TIMEOUT_MS, loadNativeKeyring} from './keyring-store.js'
import type {KeyringBackend, KeyringLoader} from './keyring-store.js'
import {loadCrypto} from '../util/lazy-builtins.js'

/**
 * A read-only Secret Service client in plain JavaScript, for the hot path (`oauthctl token`, the API verbs,
 * the kubectl and docker credential helpers): loading @napi-rs/keyring (a 3 MB native addon) and its first
 * read cost a fresh process about twice the CPU of this reader's first read, node:net and node:crypto
 * included (46 vs 20 ms on the loaded 2-core development machine; a further read ~4 ms), most of what is
 * left being the Secret Service's own work and the D-Bus round trips.
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
 * Secrets never cross the bus in plain text: the session uses `dh-ietf1024-sha256-aes128-cbc-pkcs7`, like
 * libsecret and the native addon (see {@link deriveSessionKey}).
 *
 * @see https://specifications.freedesktop.org/secret-service/latest/ (org.freedesktop.Secret.Service:
 *   OpenSession, SearchItems, GetSecrets; org.freedesktop.Secret.Session: Close; "Transfer of Secrets")
 */
export async function readSecretServicePassword(
  service: string,
  account: string,
  options: {timeoutMs: number; env?: NodeJS.ProcessEnv; uid?: number},
): Promise<string | undefined> {
  const env = options.env ?? process.env
  const address = env.DBUS_SESSION_BUS_ADDRESS
  const uid = options.uid ?? process.getuid?.()
  if (!address || uid === undefined) return undefined
  let connection: DbusConnection
  try {
    connection = DbusConnection.open(address, uid)
  } catch {
    return undefined
  }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SecretServiceTimeoutError(`the Secret Service did not answer within ${options.timeoutMs} ms`)), options.timeoutMs)
  })
  const work = readOver(connection, service, account)
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

/** The Secret Service's well-known bus name, its object, and the session algorithm the reader uses. */
const SECRETS = {destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', interface: 'org.freedesktop.Secret.Service'}
export const SESSION_ALGORITHM = 'dh-ietf1024-sha256-aes128-cbc-pkcs7'

async function readOver(connection: DbusConnection, service: string, account: string): Promise<string | undefined> {
  const keys = createSessionKeyPair()
  // OpenSession and SearchItems go out together: the search needs no session.
  const opened = connection.call({...SECRETS, member: 'OpenSession', signature: 'sv', body: [SESSION_ALGORITHM, {signature: 'ay', value: keys.publicKey}]})
  const searched = connection.call({...SECRETS, member: 'SearchItems', signature: 'a{ss}', body: [[['service', service], ['username', account]]]})
  opened.catch(() => {})
  const [[output, session], [unlocked, locked]] = (await Promise.all([opened, searched])) as [[Variant, string], [string[], string[]]]
  try {
    if (output.signature !== 'ay' || !Buffer.isBuffer(output.value)) return undefined
    // Exactly one unlocked match; a locked one (even beside it) or several are the native keyring's to judge.
    if (unlocked.length !== 1 || locked.length !== 0) return undefined
    const key = deriveSessionKey(keys.privateKey, output.value)
    if (!key) return undefined
    const [secrets] = (await connection.call({...SECRETS, member: 'GetSecrets', signature: 'aoo', body: [unlocked, session]})) as [[string, [string, Buffer, Buffer, string]][]]
    const found = secrets.find(([path]) => path === unlocked[0])
    if (!found || secrets.length !== 1 || found[1][0] !== session) return undefined
    const [, parameters, value] = found[1]
    return new TextDecoder('utf-8', {fatal: true}).decode(decryptSecret(key, parameters, value))
  } finally {
    connection.send({destination: SECRETS.destination, path: session, interface: 'org.freedesktop.Secret.Session', member: 'Close'})
  }
}

/**
 * The 1024-bit MODP group of RFC 2409 section 6.2 (the "Second Oakley Group"), generator 2: the group of
 * `dh-ietf1024-sha256-aes128-cbc-pkcs7`.
 */
export const MODP2_PRIME = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF',
)

/**
 * A Diffie-Hellman key pair in {@link MODP2_PRIME}: a 256-bit private exponent (twice the ~80-bit strength
 * of the group, RFC 3526 section 8) and the public value as 128 big-endian bytes.
 *
 * Computed with BigInt, not node:crypto's DiffieHellman: creating one for this group runs OpenSSL's
 * primality check of the prime, 30-130 ms, more than the whole read. BigInt exponentiation is not
 * constant-time; the exchange is with a daemon of the same user over a local socket, and the session only
 * protects one read.
 */
export function createSessionKeyPair(random: Buffer = loadCrypto().randomBytes(32)): {privateKey: bigint; publicKey: Buffer} {
  const privateKey = (bigintOf(random) % (MODP2_PRIME - 3n)) + 2n
  return {privateKey, publicKey: bytesOf(modPow(2n, privateKey, MODP2_PRIME), 128)}
}

/**
 * The session key of `dh-ietf1024-sha256-aes128-cbc-pkcs7`: the Diffie-Hellman shared secret as a
 * big-endian integer zero-padded to the prime's 128 bytes (as libsecret's egg-dh does), then HKDF-SHA256
 * with no salt and empty info to 128 bits. Undefined for a server public value outside 2..p-2.
 *
 * @see https://specifications.freedesktop.org/secret-service/latest/ ("Transfer of Secrets", algorithm
 *   dh-ietf1024-sha256-aes128-cbc-pkcs7)
 * @see RFC 2409 section 6.2 (the group), RFC 5869 (HKDF)
 */
export function deriveSessionKey(privateKey: bigint, serverPublicKey: Buffer): Buffer | undefined {
  const peer = bigintOf(serverPublicKey)
  if (serverPublicKey.length > 128 || peer < 2n || peer > MODP2_PRIME - 2n) return undefined
  const shared = bytesOf(modPow(peer, privateKey, MODP2_PRIME), 128)
  return Buffer.from(loadCrypto().hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 16))
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let square = base % modulus
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus
    square = (square * square) % modulus
  }
  return result
}

function bigintOf(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`)
}

function bytesOf(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex')
}

/**
 * Decrypts a Secret's `value` with the session key: AES-128-CBC, the Secret's `parameters` as the IV,
 * PKCS#7 padding.
 *
 * @see https://specifications.freedesktop.org/secret-service/latest/ ("Secret" struct (oayays), algorithm
 *   dh-ietf1024-sha256-aes128-cbc-pkcs7)
 */
export function decryptSecret(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const decipher = loadCrypto().createDecipheriv('aes-128-cbc', key, iv)
  return Buffer.concat([decipher.update(ciphertext), decipher.final()])
}

/**
 * A keyring backend that reads through {@link readSecretServicePassword} and goes to the native keyring
 * (loaded on first need) for everything else: reads the reader leaves open, writes and deletes.
 */
export function readingSecretServiceFirst(loadNative: KeyringLoader, options: {timeoutMs: number}): KeyringBackend {
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
      const value = await readSecretServicePassword(service, account, options)
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
export function defaultKeyringLoader(options: {timeoutMs?: number} = {}): KeyringLoader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS
  const loadNative = () => loadNativeKeyring({timeoutMs})
  if (process.platform !== 'linux') return loadNative
  return async () => readingSecretServiceFirst(loadNative, {timeoutMs})
}
