import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import {getFreshToken} from '../session/fresh-token.js'
import {loginCommand} from '../session/session.js'
import {checkTokenText} from './token-formats.js'

/** A credential description is a few short lines; anything longer is not git talking. */
const MAX_REQUEST_BYTES = 64 * 1024

const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/

/** True for the hosts where oauthctl sends a token over plain http (as everywhere else in oauthctl). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.toLowerCase())
}

/**
 * Reads git's credential description from stdin: `key=value` lines up to a blank line or the end of input.
 * @see https://git-scm.com/docs/git-credential#IOFMT
 */
export function readCredentialRequest(stdin: NodeJS.ReadableStream): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = () => {
      stdin.removeListener('data', onData)
      stdin.removeListener('end', finish)
      stdin.removeListener('error', reject)
      stdin.pause()
      ;(stdin as NodeJS.ReadStream).unref?.()
      resolve(parseCredentialRequest(text))
    }
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      if (text.length > MAX_REQUEST_BYTES) {
        stdin.removeListener('data', onData)
        reject(new UsageError(`the credential request on stdin is larger than ${MAX_REQUEST_BYTES} bytes`))
      } else if (/(?:^|\n)\r?\n/.test(text)) finish()
    }
    stdin.on('data', onData)
    stdin.once('end', finish)
    stdin.once('error', reject)
  })
}

/** The attributes before the first blank line; the last value of a repeated key wins, as in git. */
export function parseCredentialRequest(text: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (line === '') break
    const equals = line.indexOf('=')
    if (equals > 0) attributes.set(line.slice(0, equals), line.slice(equals + 1))
  }
  return attributes
}

/**
 * `oauthctl git-credential <operation>`: git's credential helper. For `get` on a host that `setup-git`
 * mapped to a login, the answer is the host's user name and a fresh access token as the password (with
 * `password_expiry_utc`, so git's caches drop it in time); any other host, protocol or operation gets no
 * answer, so git asks its other helpers. `store` and `erase` are no-ops: the login is oauthctl's, and a
 * token git saw rejected is refreshed on the next `get` when it expires. Never prompts.
 *
 * @returns what to write on stdout (the protocol only).
 * @throws NotLoggedInError (exit 4) when the mapped login is missing or cannot be refreshed.
 */
export async function answerGitCredential(ctx: Context, operation: string, request: Map<string, string>): Promise<string> {
  if (operation !== 'get') return ''
  const host = request.get('host')?.toLowerCase()
  const protocol = request.get('protocol')
  if (!host || !(protocol === 'https' || (protocol === 'http' && isLoopbackHost(host)))) return ''
  const entry = ctx.config().gitHosts?.[host]
  if (!entry) return ''
  if (/[\0\r\n]/.test(entry.username)) throw new ConfigError(`gitHosts.${host}.username in the config file contains a line break`)
  const {login, secrets} = await getFreshToken(ctx, {provider: entry.provider, profile: entry.profile}, 'git')
  const password = checkTokenText(secrets.accessToken, login.target.provider, loginCommand(login.target, login.record))
  const lines = [`username=${entry.username}`, `password=${password}`]
  if (secrets.expiresAt !== undefined) lines.push(`password_expiry_utc=${Math.floor(secrets.expiresAt / 1000)}`)
  return `${lines.join('\n')}\n`
}
