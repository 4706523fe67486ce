/// <reference path="./oidc-provider.d.ts" />
import {createHmac} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Grant, Interaction, InteractionResults, Provider} from 'oidc-provider'
import {DEMO_ACCOUNT_ID, SANDBOX_PASSWORD} from './accounts.js'
import {readForm, sendHtml} from './http-util.js'
import {renderConsentPage, renderErrorPage, renderLoginPage} from './pages.js'
import {SCOPES} from './provider-config.js'
import {grantAuthorizationDetails} from './authorization-requests.js'

export interface InteractionDeps {
  provider: Provider
  autoApprove: boolean
  /** oidc-provider's cookie keys; the first signs (auto-approve forges the resume cookie with it). */
  cookieKeys: string[]
  /** oidc-provider's request listener, to resume an auto-approved authorization in the same request. */
  dispatch: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  log: (line: string) => void
}

const MAX_LOGIN_LENGTH = 64

/**
 * The end-user side of an authorization request, where oidc-provider redirects (`interactions.url`):
 *
 * - `GET  /interaction/:uid`          the sign-in form, or the consent form once signed in
 * - `POST /interaction/:uid/login`    user name + password `sandbox`; a wrong password re-renders (401)
 * - `POST /interaction/:uid/consent`  `decision=allow` grants what was asked, `decision=deny` ends the
 *   request with `access_denied` at the client's redirect URI
 *
 * These use oidc-provider's interaction cookie, as a browser does. With `autoApprove`, `GET` instead
 * signs in the demo user, grants everything requested and resumes the authorization at once, without
 * needing any cookie (see {@link autoApprove}).
 */
export async function handleInteraction(req: IncomingMessage, res: ServerResponse, url: URL, deps: InteractionDeps): Promise<void> {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|consent))?\/?$/.exec(url.pathname)
  const uid = match?.[1]
  const step = match?.[2]
  if (!uid) {
    sendHtml(res, 404, renderErrorPage('Not found', 'There is no such page on the sandbox.'))
    return
  }
  if (req.method === 'GET' && !step) {
    if (deps.autoApprove) await autoApprove(req, res, uid, deps)
    else await showInteraction(req, res, uid, deps)
    return
  }
  if (req.method === 'POST' && step === 'login') return submitLogin(req, res, uid, deps)
  if (req.method === 'POST' && step === 'consent') return submitConsent(req, res, uid, deps)
  res.setHeader('allow', step ? 'POST' : 'GET')
  sendHtml(res, 405, renderErrorPage('Method not allowed', `${req.method ?? '?'} is not supported here.`))
}

async function showInteraction(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDeps): Promise<void> {
  const interaction = await loadInteraction(req, res, uid, deps)
  if (!interaction) return
  const clientName = await findClientName(deps.provider, interaction.params.client_id)
  switch (interaction.prompt.name) {
    case 'login':
      sendHtml(res, 200, renderLoginPage({action: `/interaction/${uid}/login`, clientName}))
      return
    case 'consent':
      sendHtml(res, 200, renderConsentPage({action: `/interaction/${uid}/consent`, clientName, ...describeConsentRequest(interaction)}))
      return
    default:
      sendHtml(res, 400, renderErrorPage('Unsupported step', `The sandbox cannot handle the "${interaction.prompt.name}" prompt.`))
  }
}

async function submitLogin(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDeps): Promise<void> {
  const interaction = await loadInteraction(req, res, uid, deps)
  if (!interaction) return
  if (interaction.prompt.name !== 'login') {
    sendHtml(res, 400, renderErrorPage('Already signed in', 'This request is past the sign-in step. Start the login again from oauthctl.'))
    return
  }
  const form = await readForm(req)
  const login = (form.get('login') ?? '').trim()
  const password = form.get('password') ?? ''
  const loginProblem = validateLogin(login)
  if (loginProblem || password !== SANDBOX_PASSWORD) {
    const error = loginProblem ?? 'Wrong password. The sandbox password is "sandbox".'
    deps.log(`sign-in refused for "${login}": ${loginProblem ?? 'wrong password'}`)
    const clientName = await findClientName(deps.provider, interaction.params.client_id)
    sendHtml(res, 401, renderLoginPage({action: `/interaction/${uid}/login`, clientName, login, error}))
    return
  }
  deps.log(`signed in as "${login}"`)
  await deps.provider.interactionFinished(req, res, {login: {accountId: login}}, {mergeWithLastSubmission: false})
}

async function submitConsent(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDeps): Promise<void> {
  const interaction = await loadInteraction(req, res, uid, deps)
  if (!interaction) return
  if (interaction.prompt.name !== 'consent' || !interaction.session) {
    sendHtml(res, 400, renderErrorPage('Nothing to authorize', 'This request is not waiting for consent. Start the login again from oauthctl.'))
    return
  }
  const form = await readForm(req)
  if (form.get('decision') !== 'allow') {
    deps.log(`"${interaction.session.accountId}" denied client ${interaction.params.client_id}`)
    const result: InteractionResults = {error: 'access_denied', error_description: 'the user denied the authorization request'}
    await deps.provider.interactionFinished(req, res, result, {mergeWithLastSubmission: false})
    return
  }
  const grant = await loadOrCreateGrant(deps.provider, interaction, interaction.session.accountId)
  const {missingOIDCScope, missingOIDCClaims, missingResourceScopes} = interaction.prompt.details
  if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(' '))
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims)
  for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '))
  grantAuthorizationDetails(grant, interaction)
  const grantId = await grant.save()
  deps.log(`"${interaction.session.accountId}" allowed client ${interaction.params.client_id}`)
  await deps.provider.interactionFinished(req, res, {consent: {grantId}}, {mergeWithLastSubmission: true})
}

/**
 * Auto-approve: sign in (as the session's account, else `demo`), grant every requested scope, and
 * resume the authorization request within this same HTTP request, so the answer to
 * `GET /interaction/:uid` is already oidc-provider's redirect to the client with `code`, `state` and
 * `iss`.
 *
 * The interaction is looked up by the uid in the path rather than by oidc-provider's interaction
 * cookie, and the resume step's cookie (`_interaction_resume`, signed with the cookie key) is added to
 * the forwarded request here. A client that follows redirects without keeping cookies therefore
 * completes the flow in two hops: authorization endpoint → /interaction/:uid → redirect URI.
 */
async function autoApprove(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDeps): Promise<void> {
  const {provider} = deps
  const interaction = await provider.Interaction.find(uid)
  if (!interaction) {
    sendHtml(res, 400, renderExpiredPage())
    return
  }
  const accountId = interaction.session?.accountId ?? DEMO_ACCOUNT_ID
  const result: InteractionResults = {}
  if (interaction.prompt.name === 'login' || !interaction.session) result.login = {accountId}

  const grant = await loadOrCreateGrant(provider, interaction, accountId)
  const known = new Set(SCOPES)
  const scopes = (interaction.params.scope ?? '').split(' ').filter((scope) => known.has(scope))
  if (scopes.length) grant.addOIDCScope(scopes.join(' '))
  const {missingOIDCClaims, missingResourceScopes} = interaction.prompt.details
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims)
  for (const [resource, resourceScopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, resourceScopes.join(' '))
  }
  grantAuthorizationDetails(grant, interaction)
  result.consent = {grantId: await grant.save()}

  // What provider.interactionResult does, minus its cookie lookup.
  interaction.result = {...interaction.lastSubmission, ...result}
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)))

  deps.log(`auto-approved "${accountId}" for client ${interaction.params.client_id}: ${scopes.join(' ') || '(no scope)'}`)
  const resume = new URL(interaction.returnTo)
  req.url = `${resume.pathname}${resume.search}`
  req.headers.cookie = addSignedCookie(req.headers.cookie, provider.cookieName('resume'), uid, deps.cookieKeys[0] ?? '')
  await deps.dispatch(req, res)
}

/** The interaction this browser is in (by its cookie), or an error page sent and undefined. */
async function loadInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  deps: InteractionDeps,
): Promise<Interaction | undefined> {
  let interaction: Interaction
  try {
    interaction = await deps.provider.interactionDetails(req, res)
  } catch (error) {
    deps.log(`interaction ${uid}: ${(error as Error).message}`)
    sendHtml(res, 400, renderExpiredPage())
    return undefined
  }
  if (interaction.uid !== uid) {
    sendHtml(res, 400, renderExpiredPage())
    return undefined
  }
  return interaction
}

function renderExpiredPage(): string {
  return renderErrorPage(
    'Sign-in request expired',
    'This sign-in request is unknown or has expired, or your browser did not send the sandbox cookies. Start the login again from oauthctl.',
  )
}

async function loadOrCreateGrant(provider: Provider, interaction: Interaction, accountId: string): Promise<Grant> {
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined
  return existing ?? new provider.Grant({accountId, clientId: interaction.params.client_id})
}

function describeConsentRequest(interaction: Interaction): {accountId: string; scopes: string[]; claims: string[]} {
  const {missingOIDCScope, missingOIDCClaims, missingResourceScopes} = interaction.prompt.details
  const scopes = new Set(missingOIDCScope ?? [])
  for (const resourceScopes of Object.values(missingResourceScopes ?? {})) for (const scope of resourceScopes) scopes.add(scope)
  return {accountId: interaction.session?.accountId ?? '?', scopes: [...scopes], claims: missingOIDCClaims ?? []}
}

async function findClientName(provider: Provider, clientId: string): Promise<string> {
  const client = await provider.Client.find(clientId)
  return client?.clientName ?? clientId
}

function validateLogin(login: string): string | undefined {
  if (!login) return 'Enter a user name (any name works).'
  if (login.length > MAX_LOGIN_LENGTH) return `Use a user name of at most ${MAX_LOGIN_LENGTH} characters.`
  if (/[\p{Cc}\s]/u.test(login)) return 'Use a user name without spaces or control characters.'
  return undefined
}

/**
 * `cookieHeader` with `name` set to `value` and its keygrip signature `name.sig` (what Koa's `cookies`
 * checks when the app has keys: HMAC-SHA1 of "name=value", base64url without padding).
 */
function addSignedCookie(cookieHeader: string | undefined, name: string, value: string, key: string): string {
  const signature = createHmac('sha1', key)
    .update(`${name}=${value}`)
    .digest('base64')
    .replace(/\/|\+|=/g, (c) => ({'/': '_', '+': '-', '=': ''})[c] ?? '')
  const others = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(`${name}=`) && !part.startsWith(`${name}.sig=`))
  return [...others, `${name}=${value}`, `${name}.sig=${signature}`].join('; ')
}
