import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {Duplex} from 'node:stream'
import {TLSSocket} from 'node:tls'
import type {TestCa} from './tls-ca.js'
import {readTwinRequest, type Twin} from './twin-kit.js'

/**
 * The HTTPS_PROXY the CLI under test talks to. It answers `CONNECT host:443` for a host a twin claims by
 * terminating TLS itself (leaf certificate from the test CA) and handing the decrypted requests to that
 * twin. Every other CONNECT, and every plain-http proxy request, is refused and recorded: the tests assert
 * that `refused` stays empty, i.e. nothing was meant for the network.
 */
export interface TwinProxy {
  url: string
  refused: string[]
  close(): Promise<void>
}

export async function startTwinProxy(twins: Twin[], ca: TestCa): Promise<TwinProxy> {
  const byHost = new Map<string, Twin>()
  for (const twin of twins) for (const host of twin.hosts) byHost.set(host, twin)
  const refused: string[] = []
  const sockets = new Set<Duplex>()

  // The decrypted side: one http server fed with TLS sockets, never listening itself.
  const inner = createServer((req: IncomingMessage, res: ServerResponse) => {
    const tunnelHost = (req.socket as TLSSocket & {twinHost?: string}).twinHost ?? ''
    const twin = byHost.get(tunnelHost)
    if (!twin) return void res.writeHead(502).end()
    void readTwinRequest(req, tunnelHost).then(
      async (request) => {
        twin.log.push(request)
        await twin.handle(request, res)
      },
      () => res.writeHead(400).end(),
    ).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'})
      res.end(`twin ${twin.name} failed: ${error.stack}`)
    })
  })

  const proxy: Server = createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`)
    res.writeHead(403).end()
  })
  proxy.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client)
    client.once('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    const [host, port] = (req.url ?? '').split(':')
    const twin = byHost.get(host)
    if (!twin || port !== '443') {
      refused.push(`CONNECT ${req.url}`)
      return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length) client.unshift(head)
    const secure = new TLSSocket(client, {isServer: true, secureContext: ca.contextFor(host)}) as TLSSocket & {twinHost?: string}
    secure.twinHost = host
    secure.on('error', () => secure.destroy())
    inner.emit('connection', secure)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const {port} = proxy.address() as {port: number}
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    async close() {
      for (const socket of sockets) socket.destroy()
      inner.closeAllConnections()
      await new Promise<void>((resolve) => proxy.close(() => resolve()))
    },
  }
}
