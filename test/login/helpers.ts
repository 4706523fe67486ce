import type {ProviderPreset} from '../../src/providers/preset.js'

/** A public-client preset for a fake authorization server at `origin` (flow tests). */
export function fakePreset(origin: string, overrides: Partial<ProviderPreset> = {}): ProviderPreset {
  return {
    name: 'fake',
    displayName: 'Fake AS',
    issuer: origin,
    authorizationEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    apiBase: `${origin}/api`,
    apiOrigins: [origin],
    defaultScopes: [],
    scopeSeparator: ' ',
    clientAuth: 'none',
    clientSecretRequired: false,
    loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
    rotatesRefreshTokens: false,
    pagination: 'none',
    ...overrides,
  }
}
