import {execFileSync, spawn} from 'node:child_process'
import {mkdirSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

/** Runs git quietly with a private HOME and global config; returns stdout. */
export function git(args: string[], env: NodeJS.ProcessEnv, cwd?: string): string {
  return execFileSync('git', args, {env, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

export interface GitServer {
  url: string
  /** The commit at refs/heads/main. */
  head: string
  /** Every Authorization header received (undefined when none). */
  authorizations: (string | undefined)[]
  /** `user:password` the server accepts with Basic auth. */
  expect: {credentials: string}
  close(): Promise<void>
}

/**
 * A git smart-HTTP server on 127.0.0.1: `git http-backend` (shipped with git) behind a node CGI shim that
 * answers 401 with `WWW-Authenticate: Basic` until the expected user name and password arrive.
 */
export async function startGitServer(dir: string, env: NodeJS.ProcessEnv): Promise<GitServer> {
  const work = join(dir, 'work')
  mkdirSync(work, {recursive: true})
  git(['init', '-q', '-b', 'main', work], env)
  git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init'], env, work)
  git(['clone', '-q', '--bare', work, join(dir, 'repo.git')], env)
  const head = git(['rev-parse', 'HEAD'], env, work).trim()
  const authorizations: (string | undefined)[] = []
  const expect = {credentials: ''}
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization)
    if (request.headers.authorization !== `Basic ${Buffer.from(expect.credentials).toString('base64')}`) {
      response.writeHead(401, {'www-authenticate': 'Basic realm="test"'}).end()
      return
    }
    const url = new URL(request.url ?? '/', 'http://x')
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: dir,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    })
    request.pipe(cgi.stdin)
    const chunks: Buffer[] = []
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    cgi.on('close', () => {
      const output = Buffer.concat(chunks)
      const end = output.indexOf('\r\n\r\n')
      const headers: Record<string, string> = {}
      let status = 200
      for (const line of output.subarray(0, end).toString().split('\r\n')) {
        const [name, ...rest] = line.split(':')
        const value = rest.join(':').trim()
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10)
        else headers[name] = value
      }
      response.writeHead(status, headers).end(output.subarray(end + 4))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    head,
    authorizations,
    expect,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
