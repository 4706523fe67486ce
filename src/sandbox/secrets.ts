/// <reference path="./oidc-provider.d.ts" />
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import type {JWK} from 'oidc-provider'

export interface SandboxSecrets {
  /** The private signing key set for ID tokens (oidc-provider publishes the public half at /jwks). */
  jwks: {keys: JWK[]}
  /** Keys oidc-provider signs its cookies with (Koa/keygrip); the first one signs. */
  cookieKeys: string[]
}

/** ID tokens are signed with this algorithm: the one key is P-256. */
export const ID_TOKEN_SIGNING_ALG = 'ES256'

/**
 * Fresh secrets for one sandbox run. Without them oidc-provider falls back to a signing key published
 * in its own source (and warns about it); the sandbox keeps nothing across restarts, so new keys each
 * start cost nothing. P-256 because generating it takes a millisecond where RSA takes tens of them.
 */
export function createSandboxSecrets(): SandboxSecrets {
  const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const jwk = privateKey.export({format: 'jwk'})
  return {
    jwks: {
      keys: [
        {...jwk, kty: 'EC', kid: `sandbox-${randomBytes(6).toString('base64url')}`, alg: ID_TOKEN_SIGNING_ALG, use: 'sig'},
      ],
    },
    cookieKeys: [randomBytes(32).toString('base64url')],
  }
}
