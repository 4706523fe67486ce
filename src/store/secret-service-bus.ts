import {DbusConnection, DbusCallError} from './dbus-client.js'
import type {DbusValue, Variant} from './dbus-wire.js'
import {EARLY_CALLS, type EarlySessionBus} from './early-bus.js'

/** The Secret Service's well-known bus name, its object and interface. */
export const SECRETS = {destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', interface: 'org.freedesktop.Secret.Service'} as const

/** The session algorithm the reader asks for ("Transfer of Secrets"; why `plain`: secret-service-read.ts). */
export const SESSION_ALGORITHM = 'plain'

/** A session bus connection that has asked the Secret Service for a session. */
export interface SecretServiceBus {
  /** The bus address it was opened for (DBUS_SESSION_BUS_ADDRESS). */
  address: string
  connection: DbusConnection
  /** The OpenSession reply: the session's object path, or the error that refused one. */
  session: Promise<string>
  /** Whether OpenSession carried NO_AUTO_START (see {@link sessionOf}). */
  autoStart: boolean
}

/**
 * Connects to the session bus and asks for a `plain` Secret Service session (OpenSession), without waiting.
 *
 * @throws for an address the D-Bus client does not speak, or a socket that cannot be made.
 */
export function openSecretServiceBus(address: string, uid: number, env?: NodeJS.ProcessEnv): SecretServiceBus {
  const connection = DbusConnection.open(address, uid, env)
  return {address, connection, session: sessionPath(openSession(connection)), autoStart: true}
}

/** The connection of a bus bin/run.js opened early (early-bus.ts): its OpenSession was written there, without auto-start. */
export function adoptEarlyBus(early: EarlySessionBus): SecretServiceBus {
  const {connection, replies} = DbusConnection.adopt(early.socket, EARLY_CALLS)
  return {address: early.address, connection, session: sessionPath(replies[EARLY_CALLS.indexOf('OpenSession')]!), autoStart: false}
}

/** OpenSession as the reader asks for it itself: without NO_AUTO_START (the early one is in early-bus.ts). */
function openSession(connection: DbusConnection): Promise<DbusValue[]> {
  return connection.call({...SECRETS, member: 'OpenSession', signature: 'sv', body: [SESSION_ALGORITHM, {signature: 's', value: ''}]})
}

function sessionPath(reply: Promise<DbusValue[]>): Promise<string> {
  const path = reply.then((body) => (body as [Variant, string])[1])
  path.catch(() => {})
  return path
}

/**
 * The bus's session. If it was asked for without starting the Secret Service and none was running
 * (`ServiceUnknown`), asks again and lets the bus start it (D-Bus activation), as any read of a login kept
 * in the keyring does.
 */
export function sessionOf(bus: SecretServiceBus): Promise<string> {
  if (bus.autoStart) return bus.session
  return bus.session.catch((error: unknown) => {
    if (error instanceof DbusCallError && error.errorName === 'org.freedesktop.DBus.Error.ServiceUnknown') return sessionPath(openSession(bus.connection))
    throw error
  })
}
