import type {Context} from '../../context.js'
import type {CommandSpec, ParsedCommand} from '../flag-spec.js'

export const spec: CommandSpec = {
  id: 'token',
  summary: 'Print the access token (refreshing it first when it expires within 60 s).',
  description:
    'Prints the access token and a newline on stdout, nothing else, for TOKEN=$(oauthctl token). The only command that prints a secret. With OAUTHCTL_TOKEN set, prints that instead and touches no store.',
  examples: ['TOKEN=$(<%= config.bin %> token)', '<%= config.bin %> token linkedin --json | jq .expiresAt'],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    profile: {type: 'string', description: 'Profile name.'},
    json: {type: 'boolean', description: 'Print the non-secret metadata plus the access token as JSON.'},
    token: {type: 'string', description: 'Use this access token instead of the stored one (also OAUTHCTL_TOKEN); nothing is read or stored.'},
  },
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  if (typeof flags.token === 'string' && flags.token) ctx.tokenOverride = flags.token
  const {printToken} = await import('../../flows/print-token.js')
  await printToken(ctx, {provider: args.provider, profile: flags.profile as string | undefined, json: Boolean(flags.json)})
}
