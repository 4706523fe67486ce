import {JQ_JSON_FLAG_DESCRIPTION} from '../jq.js'
import type {Context} from '../../context.js'
import {applyTokenFlag, tokenFlag, type CommandSpec, type ParsedCommand} from '../flag-spec.js'
import {pickProvider, profileFlagSpec, providerFlagSpec} from '../provider-flag.js'

export const spec: CommandSpec = {
  id: 'token',
  summary: 'Print the access token (refreshing it first when it expires within 60 s).',
  description:
    'Prints the access token and a newline on stdout, nothing else, for TOKEN=$(oauthctl token). The only command that prints a secret. With OAUTHCTL_TOKEN set, prints that instead and touches no store.',
  examples: ['TOKEN=$(<%= config.bin %> token)', '<%= config.bin %> token sandbox --json | jq .expiresAt', "<%= config.bin %> token sandbox --jq .expiresAt", '<%= config.bin %> token -p sandbox --profile default'],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    provider: providerFlagSpec,
    profile: profileFlagSpec,
    json: {type: 'boolean', description: 'Print the non-secret metadata plus the access token as JSON.'},
    jq: {type: 'string', helpValue: 'EXPR', description: JQ_JSON_FLAG_DESCRIPTION},
    token: tokenFlag,
  },
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  applyTokenFlag(ctx, flags)
  const {printToken} = await import('../../flows/print-token.js')
  await printToken(ctx, {provider: pickProvider(args.provider, flags.provider as string | undefined), profile: flags.profile as string | undefined, json: Boolean(flags.json), jq: flags.jq as string | undefined})
}
