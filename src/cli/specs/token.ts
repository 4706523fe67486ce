import {JQ_JSON_FLAG_DESCRIPTION} from '../jq.js'
import type {Context} from '../../context.js'
import {applyTokenFlag, tokenFlag, type CommandSpec, type ParsedCommand} from '../flag-spec.js'
import {pickProvider, profileFlagSpec, providerFlagSpec} from '../provider-flag.js'

const FORMATS = ['json', 'header', 'curl-config', 'netrc']
const excluding = (name: string): string[] => FORMATS.filter((other) => other !== name)

export const spec: CommandSpec = {
  id: 'token',
  summary: 'Print the access token (refreshing it first when it expires within 60 s).',
  description:
    'Prints the access token and a newline on stdout, nothing else, for TOKEN=$(oauthctl token). The only command that prints a secret. With OAUTHCTL_TOKEN set, prints that instead and touches no store. --header, --curl-config and --netrc print it for another tool to read on stdin, so it never appears on a command line.',
  examples: [
    'TOKEN=$(<%= config.bin %> token)',
    '<%= config.bin %> token sandbox --json | jq .expiresAt',
    '<%= config.bin %> token sandbox --jq .expiresAt',
    '<%= config.bin %> token -p sandbox --profile default',
    '<%= config.bin %> token --header | curl -sf -H @- http://127.0.0.1:9000/api/v2/me',
    '<%= config.bin %> token --curl-config | curl -sf -K - http://127.0.0.1:9000/api/v2/me',
    '<%= config.bin %> token sandbox --id-token | <%= config.bin %> decode -',
  ],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    provider: providerFlagSpec,
    profile: profileFlagSpec,
    json: {type: 'boolean', description: 'Print the non-secret metadata plus the access token as JSON.', exclusive: excluding('json')},
    header: {type: 'boolean', description: 'Print an `Authorization: Bearer ...` line, for `curl -H @-`.', exclusive: excluding('header')},
    'curl-config': {type: 'boolean', description: 'Print a curl config line (`header = "Authorization: Bearer ..."`), for `curl -K -`.', exclusive: excluding('curl-config')},
    netrc: {
      type: 'string',
      helpValue: 'HOST',
      description: "Print a netrc line for HOST: `machine HOST login <the provider's user name> password <token>`.",
      exclusive: excluding('netrc'),
    },
    jq: {type: 'string', helpValue: 'EXPR', description: JQ_JSON_FLAG_DESCRIPTION, exclusive: ['header', 'curl-config', 'netrc']},
    'id-token': {
      type: 'boolean',
      description: 'Print the OpenID Connect ID token kept with the login instead of the access token (with --json: as idToken).',
      exclusive: ['header', 'curl-config', 'netrc', 'token'],
    },
    token: tokenFlag,
  },
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  applyTokenFlag(ctx, flags)
  const [{printToken}, {checkHostName}] = await Promise.all([import('../../session/print-token.js'), import('../../credential-helpers/token-formats.js')])
  const host = typeof flags.netrc === 'string' ? checkHostName(flags.netrc, '--netrc') : undefined
  const format = host !== undefined ? 'netrc' : flags.header ? 'header' : flags['curl-config'] ? 'curl-config' : 'plain'
  const provider = pickProvider(args.provider, flags.provider as string | undefined)
  const idToken = flags['id-token'] === true
  await printToken(ctx, {provider, profile: flags.profile as string | undefined, json: Boolean(flags.json), jq: flags.jq as string | undefined, format, host, idToken})
}
