import type {Context} from '../context.js'
import {ConfigError, NotLoggedInError} from '../errors.js'
import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {getAccessToken} from '../session/access-token.js'
import {getFreshToken} from '../session/fresh-token.js'
import {loginCommand, REFRESH_AHEAD_MS} from '../session/session.js'
import {unverifiedClaims} from '../util/jwt-claims.js'

/** The ExecCredential API versions kubectl may ask for; v1 when it does not say. */
export const EXEC_CREDENTIAL_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const

export interface KubectlCredentialInput {
  provider?: string
  profile?: string
  /** Send the OIDC ID token (clusters configured with `--oidc-issuer-url` validate ID tokens). */
  idToken?: boolean
}

/**
 * The API version to answer in: the one kubectl put in `KUBERNETES_EXEC_INFO` (it sets it from the
 * kubeconfig's `exec.apiVersion`), else v1.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#input-and-output-formats
 */
export function selectExecCredentialVersion(execInfo: string | undefined): string {
  if (!execInfo) return EXEC_CREDENTIAL_VERSIONS[0]
  let apiVersion: unknown
  try {
    apiVersion = (JSON.parse(execInfo) as {apiVersion?: unknown} | null)?.apiVersion
  } catch {
    throw new ConfigError('KUBERNETES_EXEC_INFO is not valid JSON')
  }
  if (apiVersion === undefined) return EXEC_CREDENTIAL_VERSIONS[0]
  if (typeof apiVersion === 'string' && (EXEC_CREDENTIAL_VERSIONS as readonly string[]).includes(apiVersion)) return apiVersion
  throw new ConfigError(`kubectl asked for ExecCredential ${String(apiVersion)}; oauthctl speaks ${EXEC_CREDENTIAL_VERSIONS.join(' and ')}`, {
    hint: 'Set `apiVersion: client.authentication.k8s.io/v1` in the exec section of your kubeconfig (oauthctl setup-kubectl does).',
  })
}

/** The `exp` claim of a JWT in epoch ms, without verifying it (the cluster verifies; we only schedule). */
export function readJwtExpiry(jwt: string): number | undefined {
  const exp = unverifiedClaims(jwt)?.exp
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
}

/**
 * `oauthctl kubectl-credential`: an ExecCredential for kubectl's exec plugin mechanism on stdout and
 * nothing else. The token comes from the same refresh path (and cross-process lock) as `oauthctl token`;
 * with `--id-token` a stored ID token that expires within 60 s is renewed by a refresh (under that lock).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
export async function printKubectlCredential(ctx: Context, input: KubectlCredentialInput): Promise<void> {
  const apiVersion = selectExecCredentialVersion(ctx.env.KUBERNETES_EXEC_INFO)
  const {token, expiresAt} = input.idToken ? await getFreshIdToken(ctx, input) : await getFreshAccessToken(ctx, input)
  const status: {token: string; expirationTimestamp?: string} = {token}
  if (expiresAt !== undefined) status.expirationTimestamp = new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')
  ctx.io.out(`${JSON.stringify({apiVersion, kind: 'ExecCredential', status})}\n`)
}

async function getFreshAccessToken(ctx: Context, input: KubectlCredentialInput): Promise<{token: string; expiresAt?: number}> {
  if (ctx.tokenOverride) return {token: ctx.tokenOverride}
  const {secrets} = await getFreshToken(ctx, input, 'kubectl')
  return {token: secrets.accessToken, expiresAt: secrets.expiresAt}
}

async function getFreshIdToken(ctx: Context, input: KubectlCredentialInput): Promise<{token: string; expiresAt?: number}> {
  const fresh = await getFreshToken(ctx, input, 'kubectl-credential')
  const {login} = fresh
  const {target} = login
  let secrets: TokenSecrets = fresh.secrets
  if (idTokenIsStale(secrets, ctx.now())) {
    // Treating the current access token as rejected makes getAccessToken refresh under the login's lock,
    // unless another process refreshed meanwhile (then its fresher tokens are used).
    secrets = await getAccessToken(ctx, login, {rejectedAccessToken: secrets.accessToken})
  }
  const hint = `Run: ${loginCommand(target, login.record)} (with the openid scope)`
  if (!secrets.idToken) throw new NotLoggedInError(`the ${target.provider} login has no ID token`, {hint})
  if (idTokenIsStale(secrets, ctx.now())) {
    throw new NotLoggedInError(`the ${target.provider} ID token has expired and the refresh did not return a new one`, {hint}, 'refresh_failed')
  }
  registerSecret(secrets.idToken)
  return {token: secrets.idToken, expiresAt: readJwtExpiry(secrets.idToken)}
}

function idTokenIsStale(secrets: TokenSecrets, now: number): boolean {
  if (!secrets.idToken) return false
  const expiresAt = readJwtExpiry(secrets.idToken)
  return expiresAt !== undefined && expiresAt - now <= REFRESH_AHEAD_MS
}
