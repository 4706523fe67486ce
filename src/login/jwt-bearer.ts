import {randomBytes} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {Context} from '../context.js'
import {AuthorizationError, ConfigError, NotLoggedInError, UsageError, type OauthctlError} from '../errors.js'
import type {ProviderPreset} from '../providers/preset.js'
import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import {importClientKey, jwtClientAuthOf, type ClientCredentials} from '../oauth/client-auth.js'
import {rememberClientKey} from '../providers/client-key.js'
import {rememberClientCertificate} from '../providers/client-cert.js'
import {certificateRecordOf} from './login-certificate.js'
import {tokenErrorOf} from './client-credentials.js'
import {resolveGrantClient, type GrantClientInput} from '../oauth/grant-client.js'
import type {LoginResult} from './login-types.js'
import {createOAuthConfig} from '../oauth/oauth-client.js'
import {oauthctlErrorIn, unreachableError} from '../oauth/oauth-errors.js'
import {loginCommand, saveLogin, saveRefreshedTokens, type LoadedLogin, type Target} from '../session/session.js'
import {unverifiedClaims} from '../util/jwt-claims.js'
import {readInput} from '../util/stdin.js'
import {secretsFromTokenResponse, type TokenResponseLike} from '../oauth/token-response.js'

/** RFC 7523 §2.1 JWT bearer authorization grant. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
/** LoginRecord.grant of a JWT bearer login. */
export const JWT_BEARER_LOGIN = 'jwt_bearer'
/** Lifetime of an assertion oauthctl signs: short, as RFC 7523 §3 advises (Google allows up to an hour). */
export const SIGNED_ASSERTION_LIFETIME_S = 300

export interface JwtBearerLoginInput extends Omit<GrantClientInput, 'provider'> {
  target: Target
  scopes?: string[]
  /** A ready assertion: a file, or `-` for stdin. */
  assertionFile?: string
  /** Sign the assertion with the client key instead (service accounts). */
  sign?: boolean
  /** `sub` of a signed assertion (the user to act as); default the client id. */
  subject?: string
}

/**
 * The assertion oauthctl signs for a service account (RFC 7523 §3): `iss` the client id, `sub` the
 * subject (default: the client id itself), `aud` the token endpoint, a 5-minute `exp`, a fresh `jti` and,
 * Google-style, the requested `scope`.
 */
export async function signBearerAssertion(clientKey: string, claims: {iss: string; sub: string; aud: string; scope?: string; now: number}): Promise<string> {
  const {SignJWT} = await import('jose')
  const {key, kid} = await importClientKey(clientKey)
  const alg = (JSON.parse(clientKey) as {alg: string}).alg
  const iat = Math.floor(claims.now / 1000)
  const payload = {scope: claims.scope || undefined, jti: randomBytes(16).toString('base64url')}
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({alg: alg === 'EdDSA' ? 'EdDSA' : alg, typ: 'JWT', ...(kid ? {kid} : {})})
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNED_ASSERTION_LIFETIME_S)
    .sign(key)
  registerSecret(jwt)
  return jwt
}

/**
 * `login --jwt-bearer <file|->` / `--jwt-bearer-sign`: one JWT bearer grant, stored as a login. A signed
 * login keeps the key with the tokens and signs a new assertion when the token expires; a given assertion
 * cannot be renewed (exit 4 asks for a new one).
 *
 * @see RFC 7523 §2.1, §3.1 (invalid_grant)
 * @throws ConfigError (exit 3) for an unreadable assertion file, a missing key, or a server without the
 *   grant; AuthorizationError (exit 5) when the server refuses the assertion
 */
export async function loginWithJwtBearer(ctx: Context, input: JwtBearerLoginInput): Promise<LoginResult> {
  const {preset, credentials, store, keyGiven, certGiven} = await resolveGrantClient(ctx, {...input, provider: input.target.provider})
  const scopes = input.scopes && input.scopes.length > 0 ? input.scopes : []
  let assertion: string
  let subject: string | undefined
  if (input.sign) {
    if (!credentials.clientKey) {
      throw new ConfigError(`--jwt-bearer-sign needs the private key of ${credentials.clientId}`, {hint: 'Pass --client-key <PEM or JWK file> once; it is then kept in the credential store.'})
    }
    subject = input.subject ?? credentials.clientId
    assertion = await signBearerAssertion(credentials.clientKey, {iss: credentials.clientId, sub: subject, aud: preset.tokenEndpoint, scope: scopes.join(' '), now: ctx.now()})
  } else {
    assertion = await readAssertion(ctx, input.assertionFile as string)
    subject = subjectOf(assertion)
  }
  const tokens = await requestJwtBearer(ctx, preset, credentials, assertion, scopes)
  const secrets = secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug)
  if (credentials.clientSecret) secrets.clientSecret = credentials.clientSecret
  if (credentials.clientKey) secrets.clientKey = credentials.clientKey
  if (credentials.tls) secrets.clientCert = credentials.tls
  const granted = typeof tokens.scope === 'string' && tokens.scope ? tokens.scope.split(/[ ,]+/) : scopes
  const {record, store: used} = await saveLogin(ctx, store, input.target, secrets, {
    ...(subject ? {subject} : {}),
    scopes: granted,
    obtainedAt: ctx.now(),
    grant: JWT_BEARER_LOGIN,
    clientId: credentials.clientId,
    ...jwtClientAuthOf(preset),
    ...(input.sign ? {assertionSigned: true} : {}),
    ...certificateRecordOf(credentials.tls),
  })
  if (keyGiven) ctx.io.say(await rememberClientKey(used, preset.name, credentials.clientId, keyGiven))
  if (certGiven) ctx.io.say(await rememberClientCertificate(used, preset.name, credentials.clientId, certGiven))
  return {record, identity: {subject}, storeKind: used.kind, storeLocation: used.location}
}

/**
 * Renews an expired JWT bearer login: a signed one with a new assertion (same `iss`, `sub`, scopes);
 * one made from a given assertion cannot be.
 *
 * @throws NotLoggedInError (exit 4) naming the login command
 */
export async function renewJwtBearer(ctx: Context, login: LoadedLogin, secrets: TokenSecrets): Promise<TokenSecrets> {
  const {target, preset, record} = login
  if (!record.assertionSigned || !secrets.clientKey || !record.clientId) {
    throw new NotLoggedInError(`the ${target.provider} token from a JWT assertion expired; oauthctl cannot make a new assertion`, {
      hint: `Run: ${loginCommand(target, record)} --jwt-bearer <new assertion file | ->`,
    }, 'refresh_failed')
  }
  const credentials: ClientCredentials = {
    clientId: record.clientId,
    clientKey: secrets.clientKey,
    ...(secrets.clientSecret ? {clientSecret: secrets.clientSecret} : {}),
    ...(secrets.clientCert ? {tls: secrets.clientCert} : {}),
  }
  const assertion = await signBearerAssertion(secrets.clientKey, {iss: record.clientId, sub: record.subject ?? record.clientId, aud: preset.tokenEndpoint, scope: record.scopes.join(' '), now: ctx.now()})
  let tokens: TokenResponseLike
  try {
    tokens = await requestJwtBearer(ctx, preset, credentials, assertion, record.scopes)
  } catch (error) {
    if (error instanceof AuthorizationError) {
      throw new NotLoggedInError(`could not renew the ${target.provider} token with a new JWT assertion: ${error.message}`, {hint: `Run: ${loginCommand(target, record)} --jwt-bearer-sign`, cause: error}, 'refresh_failed')
    }
    throw error
  }
  const next: TokenSecrets = {...secretsFromTokenResponse(tokens, ctx.now(), undefined, ctx.debug), clientKey: secrets.clientKey}
  if (secrets.clientSecret) next.clientSecret = secrets.clientSecret
  if (secrets.clientCert) next.clientCert = secrets.clientCert
  await saveRefreshedTokens(ctx, login, next)
  return next
}

async function requestJwtBearer(ctx: Context, preset: ProviderPreset, credentials: ClientCredentials, assertion: string, scopes: string[]): Promise<TokenResponseLike> {
  const client = await import('openid-client')
  const parameters: Record<string, string> = {assertion}
  if (scopes.length > 0) parameters.scope = scopes.join(preset.scopeSeparator)
  try {
    const config = await createOAuthConfig(preset, credentials, {fetch: ctx.fetch, signal: ctx.signal})
    const tokens = await client.genericGrantRequest(config, JWT_BEARER_GRANT, parameters)
    registerSecret(tokens.access_token)
    registerSecret(tokens.refresh_token)
    return tokens
  } catch (error) {
    throw bearerError(error, preset)
  }
}

async function readAssertion(ctx: Context, source: string): Promise<string> {
  let text: string | undefined
  if (source === '-') {
    text = await readInput(ctx.io.stdin, {firstLine: ctx.io.stdinIsTTY, signal: ctx.signal, secret: true})
    if (!text?.trim()) throw new UsageError('--jwt-bearer - reads the assertion from stdin, but stdin ended without one')
  } else {
    try {
      text = await readFile(source, 'utf8')
    } catch (error) {
      throw new ConfigError(`cannot read the assertion file ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  const assertion = text.trim()
  registerSecret(assertion)
  return assertion
}

/** The `sub` of a given assertion, for the login record (not checked: the server does that). */
function subjectOf(assertion: string): string | undefined {
  const sub = unverifiedClaims(assertion)?.sub
  return typeof sub === 'string' && sub.length <= 256 ? sub : undefined
}

function bearerError(error: unknown, preset: ProviderPreset): OauthctlError {
  const own = oauthctlErrorIn(error)
  if (own) return own
  const offline = unreachableError(error, preset.tokenEndpoint, 'run the JWT assertion grant; nothing was stored')
  if (offline) return offline
  const {code, description, text} = tokenErrorOf(error)
  if (code === 'unsupported_grant_type') {
    return new ConfigError(`${preset.displayName} does not offer the JWT assertion grant (RFC 7523 §2.1): ${text}`)
  }
  return new AuthorizationError(`${preset.displayName} refused the assertion (RFC 7523 grant): ${text}`, {
    error: code,
    errorDescription: description,
    hint: code === 'invalid_grant' ? 'Check the assertion: its iss, sub, aud, exp and signature key must be what the provider expects.' : 'Check --client-id and its key or secret.',
    cause: error,
  })
}
