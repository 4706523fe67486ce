import {socketPathOf} from './dbus-address.js'
import {authenticationText} from './dbus-auth.js'
import {DescriptorSocket, pipeBindings, type ByteSocket} from './unix-socket.js'

/*
 * Opening the session bus before a fast command loads. bin/run.js does this first thing (through
 * dist/cli/fast-start.cjs, which every command loads, hence this file's few imports and no D-Bus encoder):
 * the bus and the Secret Service answer the authentication, Hello and OpenSession while the fast path's
 * bundle loads (~4 ms), so a keyring read starts one round trip through dbus-daemon ahead
 * (secret-service-bus.ts takes the socket over; `npm run bench`, the keyring rows).
 */

/**
 * Whether a fast command should open the session bus early: on Linux, with a session bus, unless
 * `OAUTHCTL_STORE=file` says the token is in the file store or `OAUTHCTL_TOKEN` stands in for every store.
 * The guess costs ~0.3 ms when it is wrong (a login kept in the file store): a connection closed unused.
 */
export function wantsEarlyBus(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && Boolean(env.DBUS_SESSION_BUS_ADDRESS) && env.OAUTHCTL_STORE !== 'file' && !env.OAUTHCTL_TOKEN
}

/** A session bus socket on which the authentication lines and {@link EARLY_CALLS} were written. */
export interface EarlySessionBus {
  /** The bus address it was opened for (DBUS_SESSION_BUS_ADDRESS). */
  address: string
  socket: ByteSocket
}

/** The calls {@link EARLY_MESSAGES} makes, by serial (1, 2): their replies are the adopting connection's to read. */
export const EARLY_CALLS = ['Hello', 'OpenSession'] as const

/**
 * `Hello` (serial 1), then `OpenSession("plain", <"">)` on org.freedesktop.secrets (serial 2) with the
 * NO_AUTO_START flag, so that a Secret Service that is not running is not started for a guess: exactly
 * what dbus-message.ts encodes for them (test/store/early-bus.test.ts checks it), as latin1 text (one
 * character per byte), kept encoded here so that nothing but a write is done before the bundle loads.
 */
export const EARLY_MESSAGES =
  'l\x01\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00m\x00\x00\x00\x01\x01o\x00\x15\x00\x00\x00/org/freedesktop/DBus\x00\x00\x00' +
  '\x02\x01s\x00\x14\x00\x00\x00org.freedesktop.DBus\x00\x00\x00\x00\x03\x01s\x00\x05\x00\x00\x00Hello\x00\x00\x00' +
  '\x06\x01s\x00\x14\x00\x00\x00org.freedesktop.DBus\x00\x00\x00\x00' +
  'l\x01\x02\x01\x15\x00\x00\x00\x02\x00\x00\x00\x90\x00\x00\x00\x01\x01o\x00\x18\x00\x00\x00/org/freedesktop/secrets\x00' +
  '\x00\x00\x00\x00\x00\x00\x00\x02\x01s\x00\x1e\x00\x00\x00org.freedesktop.Secret.Service\x00\x00' +
  '\x03\x01s\x00\x0b\x00\x00\x00OpenSession\x00\x00\x00\x00\x00\x06\x01s\x00\x17\x00\x00\x00org.freedesktop.secrets\x00' +
  '\x08\x01g\x00\x02sv\x00\x05\x00\x00\x00plain\x00\x01s\x00\x00\x00\x00\x00\x00\x00\x00\x00'

/**
 * Connects to the session bus and writes the authentication lines, Hello and OpenSession, without waiting
 * for anything. Only with Node's pipe handle (unix-socket.ts, DescriptorSocket: its writes leave at once,
 * and connecting costs ~0.2 ms, against ~3 ms for node:net, too much to spend on a guess). Undefined when
 * {@link wantsEarlyBus} says no, for a bus address the D-Bus client does not speak, or on any error.
 */
export function openEarlySessionBus(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): EarlySessionBus | undefined {
  const address = env.DBUS_SESSION_BUS_ADDRESS
  if (!wantsEarlyBus(env) || !address || uid === undefined) return undefined
  const bindings = pipeBindings(env)
  if (!bindings) return undefined
  let socket: DescriptorSocket | undefined
  try {
    socket = new DescriptorSocket(socketPathOf(address), bindings)
    socket.writeLatin1(authenticationText(uid) + EARLY_MESSAGES)
    return {address, socket}
  } catch {
    socket?.destroy()
    return undefined
  }
}
