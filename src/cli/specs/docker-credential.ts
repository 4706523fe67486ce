import type {Context} from '../../context.js'
import type {CommandSpec, ParsedCommand} from '../flag-spec.js'

export const spec: CommandSpec = {
  id: 'docker-credential',
  summary: "docker's credential helper (get, store, erase, list) for registries mapped with `oauthctl setup-docker`.",
  description:
    'Speaks the docker-credential-helpers protocol on stdin/stdout: `get` reads a server URL and prints {"ServerURL","Username","Secret"} with a fresh access token; `list` prints the mapped registries; `store` and `erase` keep and delete nothing (the login stays). Docker runs it as `docker-credential-oauthctl` (shipped in bin/) for registries listed under "credHelpers" in ~/.docker/config.json. Never prompts.',
  examples: [
    '<%= config.bin %> setup-docker --registry ghcr.io sandbox && echo ghcr.io | <%= config.bin %> docker-credential get',
    '<%= config.bin %> docker-credential list',
  ],
  args: [{name: 'action', required: true, description: 'get, store, erase or list (chosen by docker).'}],
  flags: {},
}

export async function run(ctx: Context, {args}: ParsedCommand): Promise<void> {
  const [{runDockerCredential}, {withOneLineErrors}] = await Promise.all([
    import('../../credential-helpers/docker-credential.js'),
    import('../../credential-helpers/one-line-error.js'),
  ])
  await withOneLineErrors(() => runDockerCredential(ctx, String(args.action)))
}
