import {createContext} from '../context.js'
import {reportError} from '../report-error.js'
import type {CommandSpec, ParsedCommand} from './flag-spec.js'
import {FAST_COMMANDS, type FastCommandId} from './fast-commands.js'
import {parseFast} from './fast-parse.js'
import type {Context} from '../context.js'
import type {SecretServiceBus} from '../store/secret-service-bus.js'
import type {EarlySessionBus} from '../store/early-bus.js'

interface FastCommand {
  spec: CommandSpec
  run(ctx: Context, parsed: ParsedCommand): Promise<void>
}

/**
 * Commands that scripts call in loops (`token` and the API verbs) run without @oclif/core (importing it alone costs ~90 ms). Their
 * flags come from the same spec as the oclif command; anything the fast parser does not handle exactly
 * like oclif (help, unknown flags, bad values) falls back to oclif.
 */
const api = (id: keyof typeof import('./specs/api.js').apiCommands) => () =>
  import('./specs/api.js').then((module) => module.apiCommands[id])

const fastCommands: Record<FastCommandId, () => Promise<FastCommand>> = {
  token: () => import('./specs/token.js'),
  get: api('get'),
  post: api('post'),
  put: api('put'),
  patch: api('patch'),
  delete: api('delete'),
  request: api('request'),
  // Credential helpers run by kubectl and docker before their own requests.
  'kubectl-credential': () => import('./specs/kubectl-credential.js'),
  'docker-credential': () => import('./specs/docker-credential.js'),
}

/** Subcommands of a fast command (`token exchange`): oclif commands of their own, never a provider name. */
const OCLIF_SUBCOMMANDS: Partial<Record<FastCommandId, readonly string[]>> = {token: ['exchange']}

export function isFastCommand(id: string | undefined): id is FastCommandId {
  return (FAST_COMMANDS as readonly (string | undefined)[]).includes(id)
}

/**
 * Runs argv on the fast path; undefined means "let oclif do it". `earlyBus` is the session bus bin/run.js
 * opened before loading this (src/store/early-bus.ts), for a keyring read; it is closed when the command
 * ends, used or not.
 */
export async function runFast(argv: string[], options: {earlyBus?: EarlySessionBus} = {}): Promise<number | undefined> {
  const secretServiceBus = options.earlyBus && (await import('../store/secret-service-bus.js')).adoptEarlyBus(options.earlyBus)
  try {
    return await runFastCommand(argv, secretServiceBus)
  } finally {
    secretServiceBus?.connection.close()
  }
}

async function runFastCommand(argv: string[], secretServiceBus: SecretServiceBus | undefined): Promise<number | undefined> {
  const [id, ...rest] = argv
  if (!isFastCommand(id) || OCLIF_SUBCOMMANDS[id]?.includes(rest[0] ?? '')) return undefined
  const command = await fastCommands[id]()
  const parsed = parseFast(command.spec, rest, process.env)
  if (!parsed) return undefined
  const ctx = createContext({debugEnabled: parsed.flags.debug === true || process.env.OAUTHCTL_DEBUG === '1', secretServiceBus})
  try {
    await command.run(ctx, parsed)
    if (ctx.pendingError) throw ctx.pendingError
    return 0
  } catch (error) {
    return reportError(error, ctx.io, ctx.debugEnabled, id)
  }
}
