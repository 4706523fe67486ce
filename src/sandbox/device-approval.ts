/// <reference path="./oidc-provider.d.ts" />
import type {Provider} from 'oidc-provider'
import {DEMO_ACCOUNT_ID} from './accounts.js'
import {SCOPES} from './provider-config.js'

export type DeviceApproval =
  | {ok: true; userCode: string; decision: 'approved' | 'denied'; accountId: string}
  | {ok: false; status: number; body: {error: string; error_description: string}}

/**
 * `POST /sandbox/device/approve` with `user_code` (form or JSON), optional `action=deny` and optional
 * `login` (default `demo`): does what a user does on the verification page in one request, so device
 * flow tests need no browser. Approving grants every requested scope; the next token request with the
 * device code then succeeds (RFC 8628 §3.5), or fails with `access_denied` after a denial.
 *
 * Sandbox-only: a real server must never let a client approve its own device code.
 */
export async function approveDeviceCode(provider: Provider, params: Record<string, string>): Promise<DeviceApproval> {
  const fail = (status: number, error: string, description: string): DeviceApproval => ({
    ok: false,
    status,
    body: {error, error_description: description},
  })
  const userCode = params.user_code ?? ''
  if (!userCode) return fail(400, 'invalid_request', 'user_code is required')
  const action = params.action ?? 'approve'
  if (action !== 'approve' && action !== 'deny') return fail(400, 'invalid_request', 'action must be approve or deny')
  const accountId = params.login?.trim() || DEMO_ACCOUNT_ID

  // oidc-provider stores user codes upper-cased without the mask's dashes (helpers/user_codes.js).
  const code = await provider.DeviceCode.findByUserCode(userCode.toUpperCase().replace(/\W/g, ''), {ignoreExpiration: true})
  if (!code) return fail(404, 'not_found', 'no device authorization with this user_code')
  if (code.isExpired) return fail(400, 'expired_token', 'the device code expired')
  if (code.accountId || code.error || code.inFlight) return fail(409, 'already_used', 'this user_code was already approved or denied')

  if (action === 'deny') {
    code.error = 'access_denied'
    code.errorDescription = 'the user denied the device authorization'
    await code.save()
    return {ok: true, userCode, decision: 'denied', accountId}
  }

  const known = new Set(SCOPES)
  const scope = (code.params.scope ?? '').split(' ').filter((value) => known.has(value)).join(' ')
  const grant = new provider.Grant({accountId, clientId: code.clientId})
  if (scope) grant.addOIDCScope(scope)
  code.grantId = await grant.save()
  code.accountId = accountId
  code.authTime = Math.floor(Date.now() / 1000)
  code.scope = scope
  await code.save()
  return {ok: true, userCode, decision: 'approved', accountId}
}
