import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {normalizeRegistry} from '../../src/credential-helpers/docker-credential.js'
import {readJwtExpiry, selectExecCredentialVersion} from '../../src/credential-helpers/kubectl-credential.js'
import {formatOneLine} from '../../src/credential-helpers/one-line-error.js'
import {ConfigError, NotLoggedInError, OauthctlError, UsageError} from '../../src/errors.js'

describe('selectExecCredentialVersion (KUBERNETES_EXEC_INFO)', () => {
  const info = (apiVersion: unknown) => JSON.stringify({kind: 'ExecCredential', apiVersion, spec: {interactive: false}})
  for (const [input, expected] of [
    [undefined, 'client.authentication.k8s.io/v1'],
    ['', 'client.authentication.k8s.io/v1'],
    ['{"kind":"ExecCredential"}', 'client.authentication.k8s.io/v1'],
    ['null', 'client.authentication.k8s.io/v1'],
    [info('client.authentication.k8s.io/v1'), 'client.authentication.k8s.io/v1'],
    [info('client.authentication.k8s.io/v1beta1'), 'client.authentication.k8s.io/v1beta1'],
  ] as const) {
    it(`${input ?? '(unset)'} -> ${expected}`, () => assert.equal(selectExecCredentialVersion(input), expected))
  }
  for (const input of [info('client.authentication.k8s.io/v1alpha1'), info(1), info('../v1'), '{not json']) {
    it(`refuses ${input} with exit 3`, () => assert.throws(() => selectExecCredentialVersion(input), ConfigError))
  }
})

describe('readJwtExpiry', () => {
  const jwt = (payload: unknown) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`
  it('reads exp in ms', () => assert.equal(readJwtExpiry(jwt({exp: 1700000000})), 1700000000000))
  for (const bad of [jwt({}), jwt({exp: '1700000000'}), 'opaque-token', 'a.!!!.c', `e30.${Buffer.from('[').toString('base64url')}.x`]) {
    it(`no expiry for ${bad}`, () => assert.equal(readJwtExpiry(bad), undefined))
  }
})

describe('normalizeRegistry', () => {
  for (const [input, expected] of [
    ['ghcr.io', 'ghcr.io'],
    ['GHCR.io', 'ghcr.io'],
    ['https://ghcr.io/', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['localhost:5000', 'localhost:5000'],
    ['127.0.0.1:5000/some/repo', '127.0.0.1:5000'],
    [' registry.example \n', 'registry.example'],
    // The host docker will talk to decides the login, never a name hidden in user info or a longer name.
    ['https://registry.example@evil.example', 'evil.example'],
    ['registry.example.evil.example', 'registry.example.evil.example'],
  ]) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(normalizeRegistry(input), expected))
  }
  for (const input of ['', 'a b', 'user@host', 'registry.example@evil.example', 'https://', '   ']) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.throws(() => normalizeRegistry(input), UsageError))
  }
})

describe('formatOneLine', () => {
  it('joins message and hint, lower-casing the hint start', () => {
    assert.equal(formatOneLine(new NotLoggedInError('not logged in to x', {hint: 'Run: oauthctl login x'})), 'not logged in to x; run: oauthctl login x')
  })
  it('folds newlines and keeps a message without hint', () => {
    assert.equal(formatOneLine(new OauthctlError('a\n  b', 'c', 3)), 'a b')
    assert.equal(formatOneLine(new ConfigError('x', {hint: 'Fix it\nnow.'})), 'x; fix it now.')
  })
})
