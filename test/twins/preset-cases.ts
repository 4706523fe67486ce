import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {StandardTwin} from './standard-twin.js'
import {requestsTo, twinSuite} from './twin-harness.js'

/**
 * One preset's twin test, as data: login as its redirect rules allow, `token`, a typical API call, a
 * refresh, a failure shape, logout (revoking where the provider can) and the device flow where offered.
 * Shared by the standard-twin test files.
 */
export interface PresetCase {
  preset: string
  /** A second kind of app of the same preset (a public client). */
  variant?: string
  make(): StandardTwin
  /** `login` arguments after the provider name. */
  login: string[]
  identity: RegExp
  /** What the login's requests must show (authorize parameters, client authentication). */
  checkLogin(twin: StandardTwin): void
  /** A typical API call and what it prints. */
  get: string[]
  checkGet(stdout: string, twin: StandardTwin): void
  refresh: 'rotate' | 'renew' | 'reuse'
  /** The revocation path logout must call, or undefined when the provider has none. */
  revokePath?: string
  /** A failure shape: arguments, exit code and stderr. */
  failure: {args: string[]; code: number; stderr: RegExp}
  /** `login --device` arguments, for presets with a device flow. */
  device?: string[]
  /** What the refresh's requests must show (Figma's separate refresh endpoint). */
  checkRefresh?(twin: StandardTwin): void
  /** What the device flow's requests must show (Auth0 `audience`). */
  checkDevice?(twin: StandardTwin): void
}

export const tokenPath = (twin: StandardTwin) => twin.log.find((r) => r.method === 'POST' && r.form.get('grant_type') === 'authorization_code')!
export const authorizeQuery = (twin: StandardTwin) => twin.log.find((r) => r.method === 'GET' && r.url.searchParams.has('state'))!.url.searchParams

/** A describe block per case, each with its own twin, proxy and user environment. */
export function describePresetCases(cases: PresetCase[]): void {
  for (const c of cases) {
    describe(`${c.preset} preset against its twin${c.variant ? ` (${c.variant})` : ''}`, () => {
      const suite = twinSuite(c.make)

      it('login as its redirect rules allow', async () => {
        const result = await suite.run(['login', c.preset, ...c.login])
        assert.equal(result.code, 0, result.stderr)
        assert.equal(result.stdout, '')
        assert.match(result.stderr, c.identity)
        c.checkLogin(suite.twin)
      })

      it('token prints the token the twin issued', async () => {
        const result = await suite.run(['token'])
        assert.equal(result.code, 0, result.stderr)
        assert.ok(suite.twin.grants.accessGrant(result.stdout.trim()), result.stdout)
      })

      it('a typical API call', async () => {
        const result = await suite.run(c.get)
        assert.equal(result.code, 0, result.stderr)
        c.checkGet(result.stdout, suite.twin)
      })

      const refreshKind = {rotate: 'rotating: the old refresh token is spent', renew: 'a new refresh token is stored', reuse: 'the refresh token stays'}[c.refresh]
      it(`a token the API no longer accepts is refreshed once (${refreshKind})`, async () => {
        const before = (await suite.run(['token'])).stdout.trim()
        suite.twin.grants.revoke(before)
        const result = await suite.run(c.get)
        assert.equal(result.code, 0, result.stderr)
        const refreshes = suite.twin.log.filter((r) => r.form.get('grant_type') === 'refresh_token')
        assert.equal(refreshes.length, 1)
        assert.equal(suite.twin.grants.refresh.has(refreshes[0].form.get('refresh_token')!), c.refresh !== 'rotate')
        c.checkRefresh?.(suite.twin)
        assert.ok(suite.twin.grants.accessGrant((await suite.run(['token'])).stdout.trim()))
        if (c.refresh !== 'reuse') {
          // The refresh token the twin returned is the one stored: the next refresh sends it.
          suite.twin.grants.revoke((await suite.run(['token'])).stdout.trim())
          assert.equal((await suite.run(c.get)).code, 0)
          const next = suite.twin.log.filter((r) => r.form.get('grant_type') === 'refresh_token')[1]
          assert.notEqual(next.form.get('refresh_token'), refreshes[0].form.get('refresh_token'))
        }
      })

      it('a failure shape', async () => {
        const result = await suite.run(c.failure.args)
        assert.equal(result.code, c.failure.code, result.stderr)
        assert.match(result.stderr, c.failure.stderr)
      })

      it(c.revokePath ? `logout revokes at ${c.revokePath}` : 'logout only forgets (no revocation endpoint)', async () => {
        const token = (await suite.run(['token', c.preset])).stdout.trim()
        const result = await suite.run(['logout', c.preset])
        assert.equal(result.code, 0, result.stderr)
        if (c.revokePath) {
          const revoked = requestsTo(suite.twin, c.revokePath).map((r) => r.form.get('token'))
          assert.ok(revoked.includes(token), `access token revoked: ${revoked}`)
          assert.equal(suite.twin.grants.accessGrant(token), undefined)
        } else {
          assert.ok(suite.twin.grants.accessGrant(token), 'nothing was revoked')
        }
        assert.equal((await suite.run(['token', c.preset])).code, 4)
      })

      if (c.device) {
        it('login --device: pending once, then the token', async () => {
          const result = await suite.run(['login', c.preset, '--profile', 'device', '--device', ...c.device!], undefined, {OAUTHCTL_DEVICE_POLL_INTERVAL: '0.05'})
          assert.equal(result.code, 0, result.stderr)
          assert.match(result.stderr, /ABCD-EFGH/)
          const polls = suite.twin.log.filter((r) => r.form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code')
          assert.equal(polls.length, 2)
          c.checkDevice?.(suite.twin)
        })
      }

      it('nothing reached the network', () => assert.deepEqual(suite.proxy.refused, []))
    })
  }
}
