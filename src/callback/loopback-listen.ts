/**
 * Which loopback addresses the callback listener binds, and binding them all on one port.
 *
 * A redirect to `localhost` may reach any address the browser resolves it to: Chromium and Firefox try
 * `::1` as well as `127.0.0.1`. Listening on only one of them would let any local process that listens on
 * the other receive the authorization code, so oauthctl listens on every one, on the same port, or refuses
 * to start (exit 3) when another program holds one of them.
 *
 * @see RFC 8252 §7.3 (loopback interface redirection), §8.3 (loopback redirect considerations)
 */
import {lookup} from 'node:dns/promises'
import type {Server} from 'node:http'
import {isIP, type AddressInfo} from 'node:net'

import {ConfigError} from '../errors.js'

export type BindHost = '127.0.0.1' | '::1'

const loopbackRedirectHosts = new Map<string, BindHost | undefined>([
  ['127.0.0.1', '127.0.0.1'],
  ['[::1]', '::1'],
  ['::1', '::1'],
  ['localhost', undefined],
])

/** How many times an ephemeral port is picked again when another address already has it taken. */
const EPHEMERAL_ATTEMPTS = 5

/** Where to listen: `addresses` (the first one is required, later ones are skipped when the machine lacks them). */
export interface ListenPlan {
  addresses: string[]
  /** The host written into the redirect URI. */
  redirectHost: string
  /** The addresses after the first may be missing on this machine (no IPv6): skip them then. */
  optionalExtras: boolean
}

/**
 * The addresses to bind for a redirect host: the IP literal itself, or for `localhost` 127.0.0.1, ::1 and
 * every other loopback address `localhost` resolves to here. Never a wildcard or a non-loopback address.
 */
export async function planListen(options: {bindHost?: BindHost; redirectHost?: string}): Promise<ListenPlan> {
  if (options.bindHost !== undefined && options.bindHost !== '127.0.0.1' && options.bindHost !== '::1') {
    throw new ConfigError(`refusing to listen on ${String(options.bindHost)}: the callback listener binds only 127.0.0.1 or ::1`)
  }
  if (options.redirectHost === undefined) {
    const bindHost = options.bindHost ?? '127.0.0.1'
    return {addresses: [bindHost], redirectHost: bindHost === '::1' ? '[::1]' : bindHost, optionalExtras: false}
  }
  const name = options.redirectHost.toLowerCase()
  if (!loopbackRedirectHosts.has(name)) {
    throw new ConfigError(`redirect host "${options.redirectHost}" is not a loopback name`, {
      hint: 'Use 127.0.0.1, [::1] or localhost (RFC 8252 \u00a77.3).',
    })
  }
  const implied = loopbackRedirectHosts.get(name)
  const bindHost = options.bindHost ?? implied ?? '127.0.0.1'
  if (implied !== undefined && implied !== bindHost) {
    throw new ConfigError(`redirect host ${options.redirectHost} does not match the bound interface ${bindHost}`)
  }
  if (name !== 'localhost') return {addresses: [bindHost], redirectHost: name === '::1' ? '[::1]' : name, optionalExtras: false}
  const resolved = await resolveLocalhost()
  const addresses = [...new Set([bindHost, '127.0.0.1', '::1', ...resolved])]
  return {addresses, redirectHost: 'localhost', optionalExtras: true}
}

/** The loopback addresses `localhost` resolves to on this machine (others are never bound). */
async function resolveLocalhost(): Promise<string[]> {
  try {
    const found = await lookup('localhost', {all: true, verbatim: true})
    return found.map((entry) => entry.address).filter(isLoopbackAddress)
  } catch {
    return []
  }
}

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'))
}

/**
 * Binds one server per address of `plan`, all on the same port: `port`, or (0) an ephemeral one picked on
 * the first address and then taken on the others, picked again when one of them has it in use.
 *
 * @throws ConfigError (exit 3) naming the address and port that is taken or cannot be bound.
 */
export async function listenAll(plan: ListenPlan, port: number, createServer: () => Server): Promise<{servers: Server[]; port: number}> {
  for (let attempt = 1; ; attempt++) {
    const servers: Server[] = []
    try {
      const first = createServer()
      await listen(first, plan.addresses[0], port)
      servers.push(first)
      const chosen = (first.address() as AddressInfo).port
      for (const address of plan.addresses.slice(1)) {
        const server = createServer()
        try {
          await listen(server, address, chosen)
        } catch (error) {
          if (plan.optionalExtras && isMissingAddress(error)) continue
          throw error
        }
        servers.push(server)
      }
      return {servers, port: chosen}
    } catch (error) {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
      const retry = port === 0 && attempt < EPHEMERAL_ATTEMPTS && servers.length > 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      if (!retry) throw describeListenError(error as NodeJS.ErrnoException)
    }
  }
}

/** This machine has no such address (IPv6 disabled): not an error for the extra addresses of localhost. */
function isMissingAddress(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT'
}

interface ListenError extends NodeJS.ErrnoException {
  host: string
  listenPort: number
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(Object.assign(error, {host, listenPort: port}))
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({host, port, exclusive: true, ipv6Only: isIP(host) === 6})
  })
}

function describeListenError(error: NodeJS.ErrnoException): Error {
  const {host, listenPort: port} = error as ListenError
  if (host === undefined) return error
  const where = isIP(host) === 6 ? `[${host}]` : host
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(
      `port ${port} on ${where} is already in use (another oauthctl login?). Close it or pass --port with a free port.`,
      {
        hint: host === '127.0.0.1'
          ? 'Leave --port out to use a free ephemeral port, unless the provider only accepts this exact redirect URI.'
          : `A program listening on ${where}:${port} could receive this login's code, as browsers send localhost there too; stop it, or pass --port with a free port.`,
        cause: error,
      },
      'port_in_use',
    )
  }
  if (error.code === 'EACCES') {
    return new ConfigError(`not allowed to listen on ${where}:${port} (${error.code}).`, {
      hint: 'Ports below 1024 need privileges: pass --port with a higher port, or leave it out.',
      cause: error,
    })
  }
  return new ConfigError(`cannot listen on ${where}:${port}: ${error.message}`, {
    hint: host === '::1' ? 'IPv6 may be disabled on this machine; use 127.0.0.1 instead.' : undefined,
    cause: error,
  })
}
