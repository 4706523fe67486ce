import {execFile} from 'node:child_process'
import {updateConfig, type GitHostLogin} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError, UsageError} from '../errors.js'
import {listProviders, resolveProvider} from '../providers/registry.js'
import {checkProfileName} from '../util/profile-name.js'
import {isLoopbackHost} from './git-credential.js'
import {checkHostName, tokenUserName} from './token-formats.js'

/**
 * Git hosts without a built-in preset: the provider name to use when you define one
 * (`oauthctl providers add bitbucket ...`), and the user name the host expects with an OAuth token.
 * @see https://support.atlassian.com/bitbucket-cloud/docs/using-access-tokens/ (`x-token-auth`)
 */
const HOSTS_WITHOUT_PRESET: Record<string, {provider: string; username: string}> = {
  'bitbucket.org': {provider: 'bitbucket', username: 'x-token-auth'},
}

export interface SetupGitInput {
  provider?: string
  profile?: string
  host?: string
  /** How git runs this CLI: the node binary and the script, as absolute paths. */
  cliCommand: string[]
}

export interface SetupGitResult extends GitHostLogin {
  host: string
  url: string
  helper: string
  loggedIn: boolean
}

/** Quotes one word for the POSIX shell git runs `!` helpers with. */
export function quoteForShell(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * `oauthctl setup-git`: makes git ask `oauthctl git-credential` for one host (in the global git config,
 * as `gh auth setup-git` does: the helper list for that URL is reset, then oauthctl added) and remembers in
 * config.json which login answers for it. Loopback hosts are configured for http, all others for https.
 * @see https://git-scm.com/docs/gitcredentials#_custom_helpers
 */
export async function setupGit(ctx: Context, input: SetupGitInput): Promise<SetupGitResult> {
  const config = ctx.config()
  const profile = input.profile === undefined ? undefined : checkProfileName(input.profile)
  let host = input.host === undefined ? undefined : checkHostName(input.host, '--host')
  let provider = input.provider
  if (host !== undefined && provider === undefined) {
    provider =
      HOSTS_WITHOUT_PRESET[host]?.provider ?? listProviders(config, ctx.env).find((preset) => preset.passwordLogin?.gitHost === host)?.name
    if (!provider) throw new UsageError(`no provider is known for ${host}`, {hint: `Name it: oauthctl setup-git --host ${host} <provider>`})
  }
  provider ??= config.defaultProvider
  if (!provider) throw new UsageError('which provider?', {hint: 'Example: oauthctl setup-git github'})
  const preset = resolveProvider(provider, config, ctx.env)
  host ??= preset.passwordLogin?.gitHost?.toLowerCase()
  if (!host) throw new UsageError(`${provider} has no known git host`, {hint: `Name it: oauthctl setup-git ${provider} --host git.example.com`})
  const username = HOSTS_WITHOUT_PRESET[host]?.username ?? tokenUserName(preset)
  const url = `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`
  const helper = `!${input.cliCommand.map(quoteForShell).join(' ')} git-credential`
  const key = `credential.${url}.helper`
  await runGit(['config', '--global', '--replace-all', key, ''])
  await runGit(['config', '--global', '--add', key, helper])
  const entry: GitHostLogin = {provider, username, ...(profile === undefined ? {} : {profile})}
  await updateConfig(ctx.configDir, (fresh) => {
    fresh.gitHosts = {...fresh.gitHosts, [host]: entry}
  })
  const loggedIn = Object.values(config.logins ?? {}).some(
    (login) => login.provider === provider && (profile === undefined || login.profile === profile),
  )
  return {...entry, host, url, helper, loggedIn}
}

function runGit(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('git', args, (error, _stdout, stderr) => {
      if (!error) return resolve()
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      reject(
        new ConfigError(missing ? 'git is not installed (or not on PATH)' : `git ${args.join(' ')} failed: ${stderr.trim() || error.message}`, {
          hint: missing ? 'Install git, then run this again.' : 'Fix your global git config (git config --global --list), then run this again.',
        }),
      )
    })
  })
}
