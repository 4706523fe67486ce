import type {Context} from '../../context.js'
import {UsageError} from '../../errors.js'
import type {CommandSpec, ParsedCommand} from '../flag-spec.js'

export const spec: CommandSpec = {
  id: 'kubectl-credential',
  summary: "kubectl's exec credential plugin: print an ExecCredential with a fresh token.",
  description:
    'Prints a client.authentication.k8s.io/v1 ExecCredential (or v1beta1, as KUBERNETES_EXEC_INFO asks) on stdout and nothing else: the access token, or the OIDC ID token with --id-token, refreshed first under the same lock as `oauthctl token`. Never prompts: a missing login or failed refresh exits 4 with one line on stderr. Set it up with `oauthctl setup-kubectl`.',
  examples: ['<%= config.bin %> kubectl-credential sandbox', '<%= config.bin %> kubectl-credential sandbox --id-token'],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    provider: {type: 'string', char: 'p', helpValue: 'NAME', description: 'Provider name (instead of the argument).'},
    profile: {type: 'string', description: 'Profile name.'},
    'id-token': {type: 'boolean', description: 'Send the OIDC ID token (for clusters that validate ID tokens) instead of the access token.'},
  },
}

/** The provider named by the argument or `-p`; naming two different ones is a usage error. */
export function pickProvider(args: ParsedCommand['args'], flags: ParsedCommand['flags']): string | undefined {
  const flag = typeof flags.provider === 'string' ? flags.provider : undefined
  if (args.provider !== undefined && flag !== undefined && args.provider !== flag) {
    throw new UsageError(`two providers given: ${args.provider} and -p ${flag}`)
  }
  return args.provider ?? flag
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  const [{printKubectlCredential}, {withOneLineErrors}] = await Promise.all([
    import('../../credential-helpers/kubectl-credential.js'),
    import('../../credential-helpers/one-line-error.js'),
  ])
  await withOneLineErrors(() =>
    printKubectlCredential(ctx, {
      provider: pickProvider(args, flags),
      profile: flags.profile as string | undefined,
      idToken: Boolean(flags['id-token']),
    }),
  )
}
