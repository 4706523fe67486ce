import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {makeUserEnv, runCli, type UserEnv} from './harness.js'

/**
 * A misbehaving authorization server on 127.0.0.1 for e2e tests: its token endpoint answers whatever the
 * test sets in `token` (a JSON object, or a raw handler), counts the grants it saw, and records every
 * Authorization header that reached its userinfo endpoint.
 */
export interface HostileServer {
  origin: string
  /** The next token answers: a JSON body, or a handler that writes the answer itself. */
  token: Record<string, unknown> | ((req: IncomingMessage, res: ServerResponse) => void)
  grants: string[]
  userinfoAuthorizations: string[]
  close(): Promise<void>
}

export async function startHostileServer(): Promise<HostileServer> {
  const state: HostileServer = {origin: '', token: {}, grants: [], userinfoAuthorizations: [], close: async () => {}}
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', state.origin)
    if (req.method === 'POST' && url.pathname === '/token') {
      state.grants.push(new URLSearchParams(Buffer.concat(chunks).toString()).get('grant_type') ?? '')
      const answer = state.token
      if (typeof answer === 'function') return answer(req, res)
      res.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'})
      return res.end(JSON.stringify(answer))
    }
    if (url.pathname === '/userinfo') {
      state.userinfoAuthorizations.push(req.headers.authorization ?? '')
      res.writeHead(200, {'content-type': 'application/json'})
      return res.end(JSON.stringify({sub: 'u1', name: 'User One'}))
    }
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(200, {'content-type': 'application/json'})
      return res.end(JSON.stringify({ok: true, authorization: req.headers.authorization ?? null}))
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.origin = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

/** A user whose config has the custom provider `evil` pointing at `server`. */
export async function makeEvilUser(server: HostileServer): Promise<UserEnv> {
  const user = makeUserEnv('http://127.0.0.1:9')
  const added = await runCli(
    [
      'providers', 'add', 'evil',
      '--issuer', server.origin,
      '--authorize-url', `${server.origin}/authorize`,
      '--token-url', `${server.origin}/token`,
      '--userinfo-url', `${server.origin}/userinfo`,
      '--api-base', `${server.origin}/api`,
      '--client-id', 'cli',
    ],
    user.env,
  )
  if (added.code !== 0) throw new Error(`providers add failed: ${added.stderr}`)
  return user
}

/** `login evil --client-credentials`, which runs the token endpoint's grant through openid-client. */
export function machineLogin(user: UserEnv, extra: string[] = []) {
  return runCli(['login', 'evil', '--client-credentials', '--client-id', 'machine', '--client-secret', 'machine-secret', ...extra], user.env)
}
