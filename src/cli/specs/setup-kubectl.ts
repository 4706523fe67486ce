import type {Context} from '../../context.js'
import type {CommandSpec, ParsedCommand} from '../flag-spec.js'
import {pickProvider} from './kubectl-credential.js'

export const spec: CommandSpec = {
  id: 'setup-kubectl',
  summary: 'Make kubectl get its token from oauthctl for a cluster (an exec credential plugin entry).',
  description:
    'Adds or updates a kubeconfig user whose exec section runs `oauthctl kubectl-credential` (apiVersion client.authentication.k8s.io/v1, interactiveMode Never) and points the cluster\'s contexts at it, through `kubectl config` (exit 3 when kubectl is missing or the cluster is unknown). Use --id-token for clusters that validate OIDC ID tokens (--oidc-issuer-url).',
  examples: [
    'kubectl config set-cluster prod --server=https://k8s.example:6443 && <%= config.bin %> setup-kubectl --cluster prod sandbox --id-token',
    'kubectl --kubeconfig ~/.kube/dev.yaml config set-cluster dev --server=https://127.0.0.1:6443 && <%= config.bin %> setup-kubectl --cluster dev --user me --kubeconfig ~/.kube/dev.yaml sandbox',
  ],
  args: [{name: 'provider', description: 'Provider name; defaults to the last one logged in to.'}],
  flags: {
    cluster: {type: 'string', required: true, helpValue: 'NAME', description: 'Cluster name in the kubeconfig.'},
    user: {type: 'string', helpValue: 'NAME', description: 'Kubeconfig user entry to write (default oauthctl-<provider>[-<profile>]).'},
    kubeconfig: {type: 'string', helpValue: 'PATH', description: "Kubeconfig file to edit (default: kubectl's, i.e. KUBECONFIG or ~/.kube/config)."},
    provider: {type: 'string', char: 'p', helpValue: 'NAME', description: 'Provider name (instead of the argument).'},
    profile: {type: 'string', description: 'Profile name.'},
    'id-token': {type: 'boolean', description: 'Send the OIDC ID token instead of the access token.'},
  },
}

export async function run(ctx: Context, {args, flags}: ParsedCommand): Promise<void> {
  const {setupKubectl} = await import('../../credential-helpers/setup-kubectl.js')
  const result = await setupKubectl(ctx, {
    cluster: String(flags.cluster),
    user: flags.user as string | undefined,
    kubeconfig: flags.kubeconfig as string | undefined,
    provider: pickProvider(args, flags),
    profile: flags.profile as string | undefined,
    idToken: Boolean(flags['id-token']),
  })
  ctx.io.say(`kubeconfig user ${result.user} now runs: ${result.command} ${result.args.join(' ')}`)
  ctx.io.say(`context${result.contexts.length === 1 ? '' : 's'} ${result.contexts.join(', ')} use${result.contexts.length === 1 ? 's' : ''} it; try: kubectl --context ${result.contexts[0]} get --raw /version`)
}
