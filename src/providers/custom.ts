import type {ProviderPreset} from './preset.js'
import {MTLS_ALIASED_ENDPOINTS} from './mtls-endpoints.js'
import {CLIENT_AUTH_METHODS, isLoopbackUrl} from './preset.js'
import {BUILTIN_NAMES} from './presets.js'

/**
 * What `providers.<name>` in config.json may hold: a custom provider (every field of a preset, only the
 * endpoints and the API base required), or an override of a built-in preset (only the fields that differ:
 * your app's client id, default scopes, option values such as a GitLab host).
 */
export type ProviderEntry = Partial<Omit<ProviderPreset, 'name'>> & {
  /** A built-in preset this provider is a variant of (`providers add work-gitlab --preset gitlab`). */
  extends?: string
  /** Saved values of the preset's options (`{host: 'gitlab.example.com'}`). */
  optionValues?: Record<string, string>
  /** The metadata document the endpoints came from (OIDC discovery or RFC 8414). */
  metadataUrl?: string
  /** Epoch ms of the RFC 7591 registration that issued `clientId`. */
  registeredAt?: number
}

/** Provider names: what `oauthctl login <name>` accepts and what keys (`name:profile`) can hold. */
export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/

type Check = (value: unknown) => boolean

const isString: Check = (value) => typeof value === 'string' && value.length > 0
const isBoolean: Check = (value) => typeof value === 'boolean'
const isStringArray: Check = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string')
const isStringRecord: Check = (value) =>
  isObject(value) && Object.values(value).every((item) => typeof item === 'string')
const isUrl: Check = (value) => {
  if (typeof value !== 'string' || !URL.canParse(value)) return false
  const url = new URL(value)
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))
}
/** RFC 8705 §5 aliases: only the endpoint names oauthctl calls, each an endpoint URL. */
const isMtlsAliases: Check = (value) =>
  isObject(value) && Object.entries(value).every(([name, url]) => (MTLS_ALIASED_ENDPOINTS as readonly string[]).includes(name) && isUrl(url))
const oneOf =
  (...allowed: unknown[]): Check =>
  (value) =>
    allowed.includes(value)

const URL_EXPECTED = 'an https URL (plain http only on 127.0.0.1, [::1] or localhost)'

const OAUTH1_EXPECTED =
  'an object {requestTokenUrl, authorizeUrl, accessTokenUrl: https URLs, signatureMethod: "HMAC-SHA1" | "RSA-SHA1" | "PLAINTEXT", privateKeyFile?: path (RSA-SHA1), revokeUrl?, realm?}'

/** An `oauth1` block: the three endpoints, a known signature method, a key file exactly for RSA-SHA1, nothing else. */
function isOAuth1Definition(value: unknown): boolean {
  if (!isObject(value)) return false
  const known = ['requestTokenUrl', 'authorizeUrl', 'accessTokenUrl', 'signatureMethod', 'privateKeyFile', 'revokeUrl', 'realm']
  if (Object.keys(value).some((key) => !known.includes(key))) return false
  const {requestTokenUrl, authorizeUrl, accessTokenUrl, signatureMethod, privateKeyFile, revokeUrl, realm} = value
  const keyFileOk = signatureMethod === 'RSA-SHA1' ? isString(privateKeyFile) : privateKeyFile === undefined
  return (
    isUrl(requestTokenUrl) && isUrl(authorizeUrl) && isUrl(accessTokenUrl) &&
    oneOf('HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT')(signatureMethod) &&
    keyFileOk &&
    (revokeUrl === undefined || isUrl(revokeUrl)) &&
    (realm === undefined || (typeof realm === 'string' && realm.length <= 200 && !/["\\\u0000-\u001f]/.test(realm)))
  )
}

/** Every key an entry may have, what it must be, and how to say so. */
const FIELDS: Record<string, [Check, string]> = {
  displayName: [isString, 'a non-empty string'],
  issuer: [isUrl, URL_EXPECTED],
  authorizationEndpoint: [isUrl, URL_EXPECTED],
  tokenEndpoint: [isUrl, URL_EXPECTED],
  revocationEndpoint: [isUrl, URL_EXPECTED],
  userinfoEndpoint: [isUrl, URL_EXPECTED],
  introspectionEndpoint: [isUrl, URL_EXPECTED],
  deviceAuthorizationEndpoint: [isUrl, URL_EXPECTED],
  registrationEndpoint: [isUrl, URL_EXPECTED],
  jwksUri: [isUrl, URL_EXPECTED],
  idTokenSigningAlg: [isString, 'a JWS algorithm name ("RS256", "ES256", ...)'],
  issParameterSupported: [isBoolean, 'true or false'],
  parEndpoint: [isUrl, URL_EXPECTED],
  par: [isBoolean, 'true or false'],
  jarSupported: [isBoolean, 'true or false'],
  jar: [isBoolean, 'true or false'],
  jarKey: [isString, 'the path of a PEM private key file'],
  jarmSupported: [isBoolean, 'true or false'],
  jarm: [isBoolean, 'true or false'],
  apiBase: [isUrl, URL_EXPECTED],
  apiOrigins: [isStringArray, 'an array of origins ("https://api.example.com")'],
  meEndpoint: [isString, 'a path or URL'],
  defaultScopes: [isStringArray, 'an array of strings'],
  scopeSeparator: [oneOf(' ', ','), '" " or ","'],
  scopeParameter: [isString, 'a parameter name'],
  clientAuth: [oneOf(...CLIENT_AUTH_METHODS), CLIENT_AUTH_METHODS.map((method) => `"${method}"`).join(', ')],
  clientAssertionAudience: [oneOf('issuer', 'token-endpoint'), '"issuer" or "token-endpoint"'],
  clientId: [isString, 'a non-empty string'],
  clientSecretRequired: [isBoolean, 'true or false'],
  dpop: [isBoolean, 'true or false'],
  mtlsEndpointAliases: [isMtlsAliases, `an object of https URLs (plain http only on loopback hosts) by endpoint name (${MTLS_ALIASED_ENDPOINTS.join(', ')})`],
  certificateBoundTokens: [isBoolean, 'true or false'],
  tokenEndpointAuthMethods: [isStringArray, 'an array of strings'],
  consoleUrl: [isUrl, URL_EXPECTED],
  loopback: [isLoopbackRules, 'an object {host: "127.0.0.1" | "localhost" | "[::1]", anyPort: boolean, defaultPort?: 1-65535, path: "/..."}'],
  authorizeParams: [isStringRecord, 'an object of string values'],
  rotatesRefreshTokens: [isBoolean, 'true or false'],
  pagination: [
    oneOf('link-header', 'odata-next-link', 'next-cursor', 'next-page-token', 'meta-next-token', 'next-url', 'next-page-token-snake', 'cursor-has-more', 'offset-limit', 'none'),
    'a pagination style (link-header, next-cursor, none, ...)',
  ],
  supportsDeviceFlow: [isBoolean, 'true or false'],
  quirks: [isObject, 'an object'],
  options: [isObject, 'an object'],
  notes: [isStringArray, 'an array of strings'],
  oauth1: [isOAuth1Definition, OAUTH1_EXPECTED],
  docsUrl: [isUrl, URL_EXPECTED],
  extends: [oneOf(...BUILTIN_NAMES), `the name of a built-in preset (${BUILTIN_NAMES.join(', ')})`],
  optionValues: [isStringRecord, 'an object of string values'],
  metadataUrl: [isUrl, URL_EXPECTED],
  registeredAt: [(value) => typeof value === 'number' && Number.isFinite(value), 'a number'],
}

/** Fields a provider that is not a built-in (nor extends one) cannot do without. */
const REQUIRED_FOR_CUSTOM = ['authorizationEndpoint', 'tokenEndpoint', 'apiBase'] as const

function isLoopbackRules(value: unknown): boolean {
  if (!isObject(value)) return false
  const {host, anyPort, defaultPort, path} = value
  return (
    (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') &&
    typeof anyPort === 'boolean' &&
    (defaultPort === undefined || (Number.isInteger(defaultPort) && (defaultPort as number) >= 1 && (defaultPort as number) <= 65535)) &&
    typeof path === 'string' &&
    path.startsWith('/')
  )
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks one `providers.<name>` entry of config.json. Returns the dotted key that is wrong and what it
 * must be, or undefined when the entry is usable. Unknown keys are reported too: a typo such as
 * `tokenEndpiont` would otherwise be ignored without a word.
 */
export function checkProviderEntry(name: string, entry: unknown): {key: string; expected: string} | undefined {
  const at = (key?: string) => `providers.${name}${key ? `.${key}` : ''}`
  if (!PROVIDER_NAME_PATTERN.test(name)) {
    return {key: at(), expected: 'named with lower-case letters, digits, ".", "_" or "-" (the name is the key)'}
  }
  if (!isObject(entry)) return {key: at(), expected: 'an object'}
  for (const [key, value] of Object.entries(entry)) {
    const field = FIELDS[key]
    if (!field) return {key: at(key), expected: 'removed: it is not a provider setting'}
    if (!field[0](value)) return {key: at(key), expected: field[1]}
  }
  if (!BUILTIN_NAMES.includes(name) && entry.extends === undefined) {
    for (const key of REQUIRED_FOR_CUSTOM) {
      // An OAuth 1.0a provider's endpoints are in its `oauth1` block.
      if (entry.oauth1 !== undefined && key !== 'apiBase') continue
      if (entry[key] === undefined) return {key: at(key), expected: `${URL_EXPECTED} (a custom provider needs it)`}
    }
  }
  return undefined
}

/** Defaults for what a custom provider's entry leaves out. */
function customDefaults(name: string, entry: ProviderEntry): Omit<ProviderPreset, 'authorizationEndpoint' | 'tokenEndpoint' | 'apiBase'> {
  return {
    name,
    displayName: name,
    apiOrigins: entry.apiBase ? [new URL(entry.apiBase).origin] : [],
    // "Who am I" for a server we know nothing else about: its OpenID userinfo, if any.
    ...(entry.userinfoEndpoint ? {meEndpoint: entry.userinfoEndpoint} : {}),
    defaultScopes: [],
    scopeSeparator: ' ',
    // Basic for a confidential client (RFC 6749 §2.3.1); without a secret the client is public (`none`).
    clientAuth: 'client_secret_basic',
    clientSecretRequired: false,
    loopback: {host: '127.0.0.1', anyPort: true, path: '/callback'},
    // Unknown: assume rotation, so the new refresh token is always kept and refreshes are serialised.
    rotatesRefreshTokens: true,
    pagination: 'none',
    // OAuth 1.0a: the listing's endpoints are the oauth1 block's. As for OAuth 2.0 clients, a consumer secret
    // is used when given (a server whose consumers have none, like the sandbox's, needs none).
    ...(entry.oauth1 ? {authorizationEndpoint: entry.oauth1.authorizeUrl, tokenEndpoint: entry.oauth1.accessTokenUrl, pkce: 'off' as const} : {}),
  }
}

/** Keys of an entry that describe the entry, not the provider. */
const ENTRY_ONLY_KEYS = ['extends', 'optionValues', 'metadataUrl', 'registeredAt'] as const

/**
 * The preset an entry describes: `base` (a built-in) with the entry's fields on top, or a custom provider
 * built from the entry and {@link customDefaults}. Nested objects (loopback rules, quirks, extra authorize
 * parameters) are merged, so an override may change one port without repeating the path.
 */
export function mergeEntry(name: string, entry: ProviderEntry, base?: ProviderPreset): ProviderPreset {
  const fields: Partial<ProviderPreset> = {...entry}
  for (const key of ENTRY_ONLY_KEYS) delete (fields as Record<string, unknown>)[key]
  const start = (base ?? customDefaults(name, entry)) as ProviderPreset
  const merged: ProviderPreset = {...start, ...fields, name}
  if (entry.loopback) merged.loopback = {...start.loopback, ...entry.loopback}
  if (entry.quirks) merged.quirks = {...start.quirks, ...entry.quirks}
  if (entry.oauth1) merged.oauth1 = {...start.oauth1, ...entry.oauth1} as ProviderPreset['oauth1']
  if (entry.authorizeParams) merged.authorizeParams = {...start.authorizeParams, ...entry.authorizeParams}
  return merged
}
