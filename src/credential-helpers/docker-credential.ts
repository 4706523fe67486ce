import {updateConfig, type DockerRegistryLogin} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError, OauthctlError, UsageError} from '../errors.js'
import {resolveProvider} from '../providers/registry.js'
import {redact} from '../redact.js'
import {getFreshToken} from '../session/fresh-token.js'
import {resolveTarget} from '../session/session.js'
import {formatOneLine} from './one-line-error.js'
import {readInput} from '../util/stdin.js'

/**
 * docker's credential-helper protocol: docker runs `docker-credential-<name> <action>` with the server
 * URL (get, erase) or a JSON `{ServerURL, Username, Secret}` (store) on stdin; `get` answers that JSON on
 * stdout, `list` a JSON map of server URL to user name. Failures go to stdout as one line, which docker
 * shows (`error getting credentials - err: exit status 4, out: ...`); a server the helper does not know
 * is exactly `credentials not found in native keychain`, which docker treats as "no credentials".
 *
 * @see https://github.com/docker/docker-credential-helpers (client/client.go, credentials/error.go)
 * @see https://docs.docker.com/reference/cli/docker/login/#credential-helpers
 */
export const DOCKER_ACTIONS = ['get', 'store', 'erase', 'list'] as const
export type DockerAction = (typeof DOCKER_ACTIONS)[number]

/** The exact text docker-credential-helpers' client recognises as "no credentials for this server". */
export const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain'

/** What registries expect as the user name next to an OAuth access token, by provider. */
const DEFAULT_USERNAMES: Record<string, string> = {
  // https://cloud.google.com/artifact-registry/docs/docker/authentication#token
  google: 'oauth2accesstoken',
}

/** A registry as docker names it (`ghcr.io`, `https://index.docker.io/v1/`, `localhost:5000`) -> `host[:port]`. */
export function normalizeRegistry(server: string): string {
  const text = server.trim()
  let host: string
  try {
    host = text.includes('://') ? new URL(text).host : new URL(`https://${text.split('/')[0]}`).host
  } catch {
    host = ''
  }
  if (!host || /[\s@]/.test(text.split('/')[0] ?? '')) throw new UsageError(`not a registry host: ${JSON.stringify(text)}`)
  return host.toLowerCase()
}

/** Runs one helper action; stdin/stdout are docker's. */
export async function runDockerCredential(ctx: Context, action: string): Promise<void> {
  if (!(DOCKER_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`unknown docker credential helper action ${JSON.stringify(action)} (expected get, store, erase or list)`)
  }
  const registries = ctx.config().dockerRegistries ?? {}
  if (action === 'list') {
    const listing = Object.fromEntries(Object.entries(registries).map(([host, entry]) => [host, entry.username]))
    ctx.io.out(`${JSON.stringify(listing)}\n`)
    return
  }
  const input = (await readInput(ctx.io.stdin, {firstLine: false, signal: ctx.signal})) ?? ''
  if (action === 'erase') return // docker logout: the login stays; `oauthctl logout` removes it.
  const server = action === 'store' ? serverOfStoreInput(input) : input.trim()
  const mapped = lookupRegistry(registries, server)
  if (action === 'store') {
    // docker login: the OAuth login is the credential; a password docker hands over is not kept.
    if (!mapped) failOnStdout(ctx, new ConfigError(`oauthctl keeps no docker passwords and ${server || 'this registry'} is not mapped to a login`, {hint: `run: oauthctl setup-docker --registry ${server || 'HOST'} <provider>`}))
    return
  }
  if (!mapped) {
    ctx.io.out(`${CREDENTIALS_NOT_FOUND}\n`)
    throw new OauthctlError(`no oauthctl login is mapped to registry ${server || '(empty)'}`, 'credentials_not_found', 1, {
      hint: `Run: oauthctl setup-docker --registry ${server || 'HOST'} <provider>`,
    })
  }
  try {
    const {secrets} = await getFreshToken(ctx, {provider: mapped.provider, profile: mapped.profile}, 'docker')
    ctx.io.out(`${JSON.stringify({ServerURL: server, Username: mapped.username, Secret: secrets.accessToken})}\n`)
  } catch (error) {
    failOnStdout(ctx, error)
  }
}

function serverOfStoreInput(input: string): string {
  try {
    const url = (JSON.parse(input) as {ServerURL?: unknown} | null)?.ServerURL
    return typeof url === 'string' ? url : ''
  } catch {
    return ''
  }
}

function lookupRegistry(registries: Record<string, DockerRegistryLogin>, server: string): DockerRegistryLogin | undefined {
  let host: string
  try {
    host = normalizeRegistry(server)
  } catch {
    return undefined
  }
  return Object.hasOwn(registries, host) ? registries[host] : undefined
}

/** Writes the reason as one line on stdout too, the only stream docker shows from a helper. */
function failOnStdout(ctx: Context, error: unknown): never {
  if (error instanceof OauthctlError) {
    ctx.io.out(`${redact(formatOneLine(error))}\n`)
  }
  throw error
}

export interface SetupDockerInput {
  registry: string
  provider?: string
  profile?: string
  username?: string
}

/** `oauthctl setup-docker`: maps a registry host to a login (and the user name docker sends with it). */
export async function setupDocker(ctx: Context, input: SetupDockerInput): Promise<{registry: string; entry: DockerRegistryLogin}> {
  const registry = normalizeRegistry(input.registry)
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  resolveProvider(target.provider, config, ctx.env)
  const username = input.username ?? DEFAULT_USERNAMES[target.provider] ?? 'oauth2'
  if (!username || /[\r\n]/.test(username)) throw new UsageError('--username must be one non-empty line')
  const entry: DockerRegistryLogin = {provider: target.provider, profile: target.profile, username}
  await updateConfig(ctx.configDir, (fresh) => {
    fresh.dockerRegistries = {...fresh.dockerRegistries, [registry]: entry}
  })
  return {registry, entry}
}
