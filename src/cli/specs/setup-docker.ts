import type {Context} from '../../context.js'
import type {CommandSpec, ParsedCommand} from '../flag-spec.js'
import {pickProvider} from './kubectl-credential.js'

export const spec: CommandSpec = {
  id: 'setup-docker',
  summary: 'Map a container registry to a login, for the docker credential helper.',
  description:
    'Records that `docker-credential-oauthctl get` answers for this registry with the login\'s access token and the given user name (default oauth2accesstoken for google, oauth2 otherwise). Then list the registry under "credHelpers" in ~/.docker/config.json: {"credHelpers": {"<registry>": "oauthctl"}}.',
  examples: ['<%= config.bin %> setup-docker --registry us-docker.pkg.dev sandbox', '<%= config.bin %> setup-docker --registry registry.example -p sandbox --username me'],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    registry: {type: 'string', required: true, helpValue: 'HOST', description: 'Registry host (and port), as in image names: ghcr.io, localhost:5000.'},
    provider: {type: 'string', char: 'p', helpValue: 'NAME', description: 'Provider name (instead of the argument).'},
    profile: {type: 'string', description: 'Profile name.'},
    username: {type: 'string', helpValue: 'NAME', description: 'User name docker sends with the token (what the registry expects).'},
  },
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  const {setupDocker} = await import('../../credential-helpers/docker-credential.js')
  const {registry, entry} = await setupDocker(ctx, {
    registry: String(flags.registry),
    provider: pickProvider(args, flags),
    profile: flags.profile as string | undefined,
    username: flags.username as string | undefined,
  })
  ctx.io.say(`${registry} now answers with the ${entry.provider} (profile ${entry.profile}) access token as user ${entry.username}.`)
  ctx.io.say(`Add to ~/.docker/config.json: "credHelpers": {"${registry}": "oauthctl"}, and put docker-credential-oauthctl on PATH.`)
}
