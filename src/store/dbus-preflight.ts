import {existsSync} from 'node:fs'
import type {Socket} from 'node:net'
import {join} from 'node:path'
import {loadNet} from '../util/lazy-builtins.js'
import {parseBusAddressEntry} from './dbus-address.js'

/**
 * Checks, in plain JavaScript, that the D-Bus session bus answers before the native keyring is touched.
 *
 * Why: the Linux keyring binding connects to the bus *synchronously* on the main thread when an entry is
 * created. If the bus socket accepts connections but never answers (a wedged or stopped dbus-daemon), that
 * call blocks the event loop forever, so no JavaScript timer can fire and not even `process.exit` runs.
 * Secret Service hangs behind a healthy bus are not a problem: the binding gives up on those after ~2 s.
 *
 * The check speaks the first line of the D-Bus auth protocol (`AUTH` with no mechanism, which any server
 * must answer with `REJECTED <mechanisms>`) and costs about a millisecond. Successes are remembered for the
 * life of the process.
 *
 * @see https://dbus.freedesktop.org/doc/dbus-specification.html#auth-protocol
 */
export async function checkSessionBus(options: {timeoutMs: number; env?: NodeJS.ProcessEnv}): Promise<void> {
  const env = options.env ?? process.env
  const address = sessionBusAddress(env)
  const cached = answered.get(address)
  if (cached) return cached
  const check = probeAddress(address, options.timeoutMs)
  answered.set(address, check)
  check.catch(() => answered.delete(address))
  return check
}

/** Thrown by {@link checkSessionBus}; `message` is a short reason fit for a one-line warning. */
export class SessionBusError extends Error {
  override name = 'SessionBusError'
}

const answered = new Map<string, Promise<void>>()

/** The address libdbus would use: the variable, else `$XDG_RUNTIME_DIR/bus` when that socket exists. */
function sessionBusAddress(env: NodeJS.ProcessEnv): string {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS
  const runtimeBus = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'bus') : undefined
  if (runtimeBus && existsSync(runtimeBus)) return `unix:path=${runtimeBus}`
  throw new SessionBusError('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set')
}

type Endpoint = {path: string} | {host: string; port: number}

/** Parses one `transport:key=value,...` entry; undefined for transports this check cannot speak. */
function endpointOf(entry: string): Endpoint | undefined {
  const parsed = parseBusAddressEntry(entry)
  if (!parsed) return undefined
  const {transport, params} = parsed
  if (transport === 'unix' && params.has('path')) return {path: params.get('path')!}
  if (transport === 'unix' && params.has('abstract') && process.platform === 'linux') return {path: `\0${params.get('abstract')}`}
  if (transport === 'tcp' && params.has('port')) return {host: params.get('host') ?? 'localhost', port: Number(params.get('port'))}
  return undefined
}

async function probeAddress(address: string, timeoutMs: number): Promise<void> {
  const failures: string[] = []
  // Like libdbus, try each `;`-separated address in turn until one accepts the connection.
  for (const entry of address.split(';').filter(Boolean)) {
    const endpoint = endpointOf(entry)
    // A transport we cannot speak (launchd:, autolaunch:, ...): leave the verdict to the native library.
    if (!endpoint) return
    const outcome = await handshake(endpoint, timeoutMs)
    if (outcome === 'answered') return
    if (outcome === 'silent') {
      throw new SessionBusError(`the D-Bus session bus at ${entry} accepted the connection but did not answer within ${formatSeconds(timeoutMs)}`)
    }
    failures.push(`${entry}: ${outcome}`)
  }
  if (failures.length === 0) throw new SessionBusError('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is empty')
  throw new SessionBusError(`cannot connect to the D-Bus session bus at ${failures.join('; ')}`)
}

/** 'answered', 'silent' (timed out after connecting), or why the connection failed. */
function handshake(endpoint: Endpoint, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let connected = false
    let settled = false
    const socket: Socket = 'path' in endpoint ? loadNet().connect(endpoint.path) : loadNet().connect(endpoint.port, endpoint.host)
    const finish = (outcome: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish(connected ? 'silent' : 'connection timed out'), timeoutMs)
    socket.on('connect', () => {
      connected = true
      socket.write('\0AUTH\r\n')
    })
    let received = ''
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n')) finish('answered')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message))
    socket.on('close', () => finish(connected ? 'the bus closed the connection' : 'connection closed'))
  })
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`
}
