import {execFile} from 'node:child_process'
import {realpathSync} from 'node:fs'
import {DEFAULT_PROFILE} from '../config.js'
import type {Context} from '../context.js'
import {ConfigError} from '../errors.js'
import {resolveProvider} from '../providers/registry.js'
import {resolveTarget} from '../session/session.js'

export interface SetupKubectlInput {
  cluster: string
  user?: string
  kubeconfig?: string
  provider?: string
  profile?: string
  idToken?: boolean
  /** Absolute path of the oauthctl executable kubectl should run (default: this process's script). */
  command?: string
}

export interface SetupKubectlResult {
  user: string
  contexts: string[]
  command: string
  args: string[]
}

/** Runs `kubectl args...`, rejecting with kubectl's own stderr line when it fails. */
export type RunKubectl = (args: string[]) => Promise<string>

/**
 * `oauthctl setup-kubectl`: writes a `users:` entry whose `exec` section runs `oauthctl kubectl-credential`
 * and points every context of the cluster at it (or creates a context named after the cluster). The edits
 * go through `kubectl config`, so the kubeconfig keeps the format kubectl writes and KUBECONFIG merging
 * rules apply.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#configuration
 */
export async function setupKubectl(ctx: Context, input: SetupKubectlInput, kubectl: RunKubectl = createKubectlRunner(ctx, input.kubeconfig)): Promise<SetupKubectlResult> {
  const config = ctx.config()
  const target = resolveTarget(config, input.provider, input.profile)
  resolveProvider(target.provider, config, ctx.env)
  const view = JSON.parse(await kubectl(['config', 'view', '-o', 'json'])) as KubeconfigView
  if (!(view.clusters ?? []).some((entry) => entry.name === input.cluster)) {
    throw new ConfigError(`the kubeconfig has no cluster named ${input.cluster}`, {
      hint: `Add it first (kubectl config set-cluster ${input.cluster} --server=https://...), or pick one of: ${(view.clusters ?? []).map((entry) => entry.name).join(', ') || '(none)'}.`,
    })
  }
  const user = input.user ?? `oauthctl-${target.provider}${target.profile === DEFAULT_PROFILE ? '' : `-${target.profile}`}`
  const command = input.command ?? realpathSync(process.argv[1])
  const args = ['kubectl-credential', target.provider, ...(target.profile === DEFAULT_PROFILE ? [] : ['--profile', target.profile]), ...(input.idToken ? ['--id-token'] : [])]
  await kubectl([
    'config',
    'set-credentials',
    user,
    `--exec-command=${command}`,
    '--exec-api-version=client.authentication.k8s.io/v1',
    ...args.map((arg) => `--exec-arg=${arg}`),
    '--exec-interactive-mode=Never',
    '--exec-provide-cluster-info=false',
  ])
  let contexts = (view.contexts ?? []).filter((entry) => entry.context?.cluster === input.cluster).map((entry) => entry.name)
  if (contexts.length === 0) contexts = [input.cluster]
  for (const name of contexts) await kubectl(['config', 'set-context', name, `--cluster=${input.cluster}`, `--user=${user}`])
  return {user, contexts, command, args}
}

interface KubeconfigView {
  clusters?: {name: string}[]
  contexts?: {name: string; context?: {cluster?: string}}[]
}

/** Runs the kubectl found on PATH (exit 3 when there is none), against `kubeconfig` when given. */
export function createKubectlRunner(ctx: Context, kubeconfig?: string): RunKubectl {
  return (args) =>
    new Promise((resolve, reject) => {
      const fullArgs = kubeconfig ? [`--kubeconfig=${kubeconfig}`, ...args] : args
      execFile('kubectl', fullArgs, {env: ctx.env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new ConfigError('kubectl is not installed (not found on PATH)', {hint: 'Install kubectl (Debian: apt-get install kubernetes-client), then run this again.'}))
        }
        const reason = stderr.trim().split('\n').pop() || error.message
        reject(new ConfigError(`kubectl ${args.slice(0, 2).join(' ')} failed: ${reason}`, {cause: error}))
      })
    })
}
