/**
 * Type declarations for the part of oidc-provider 9 the sandbox uses. The package ships no types and
 * `@types/oidc-provider` is not a dependency; these are written from its source (lib/provider.js,
 * lib/models/*, lib/helpers/defaults.js) and cover only what src/sandbox/ touches.
 *
 * Files that import 'oidc-provider' reference this one with a triple-slash directive, so it is found
 * whichever tsconfig includes them.
 */
declare module 'oidc-provider' {
  import type {EventEmitter} from 'node:events'
  import type {IncomingMessage, ServerResponse} from 'node:http'

  export type UnknownObject = Record<string, unknown>

  /** The subset of Koa's context oidc-provider hands to configuration functions and middleware. */
  export interface KoaContextWithOIDC {
    req: IncomingMessage
    res: ServerResponse
    method: string
    path: string
    query: Record<string, string | string[] | undefined>
    status: number
    body: unknown
    type: string
    host: string
    ip: string
    get(field: string): string
    set(field: string, value: string): void
    /** Undefined for requests that matched none of oidc-provider's routes. */
    oidc: OIDCContext
  }

  export interface OIDCContext {
    readonly route: string
    readonly issuer: string
    readonly provider: Provider
    readonly client?: Client
    /** Parsed request body of POST requests (form or JSON). */
    readonly body?: UnknownObject
    /** Request parameters after oidc-provider's own processing; writable, as oidc-provider itself does. */
    params?: Record<string, string | undefined>
    readonly entities: {
      readonly PushedAuthorizationRequest?: {request: string}
      readonly AccessToken?: AccessToken
      readonly RefreshToken?: RefreshToken
      readonly ClientCredentials?: ClientCredentials
      readonly [entity: string]: unknown
    }
    readonly prompts: Set<string>
    urlFor(name: string, options?: UnknownObject): string
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>

  export interface Client {
    readonly clientId: string
    readonly clientName?: string
    readonly clientAuthMethod: string
    readonly applicationType: string
    readonly redirectUris: string[]
    readonly scope?: string
    grantTypeAllowed(type: string): boolean
  }

  export interface ClaimsRecord {
    sub: string
    [claim: string]: unknown
  }

  export interface Account {
    accountId: string
    claims(use: string, scope: string, claims: UnknownObject, rejected: string[]): ClaimsRecord | Promise<ClaimsRecord>
  }

  export type FindAccount = (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => Promise<Account | undefined>

  export interface LoginResult {
    accountId: string
    remember?: boolean
    ts?: number
    acr?: string
    amr?: string[]
  }

  export interface InteractionResults {
    login?: LoginResult
    consent?: {grantId?: string}
    error?: string
    error_description?: string
    [key: string]: unknown
  }

  export interface PromptDetail {
    name: 'login' | 'consent' | string
    reasons: string[]
    details: {
      missingOIDCScope?: string[]
      missingOIDCClaims?: string[]
      missingResourceScopes?: Record<string, string[]>
      [key: string]: unknown
    }
  }

  export interface Interaction {
    readonly uid: string
    readonly exp: number
    readonly returnTo: string
    readonly prompt: PromptDetail
    readonly params: UnknownObject & {client_id: string; scope?: string}
    readonly session?: {accountId: string; uid?: string; cookie?: string}
    readonly grantId?: string
    readonly lastSubmission?: InteractionResults
    result?: InteractionResults
    save(ttl: number): Promise<string>
  }

  export interface Grant {
    readonly jti?: string
    readonly accountId?: string
    readonly clientId?: string
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }

  export interface GrantModel {
    new (properties: {accountId: string; clientId: string}): Grant
    find(id: string): Promise<Grant | undefined>
  }

  interface BaseToken {
    readonly jti: string
    readonly kind: string
    readonly clientId: string
    readonly scope?: string
    readonly exp: number
    readonly iat: number
    readonly isExpired: boolean
  }

  export interface AccessToken extends BaseToken {
    readonly accountId: string
    readonly grantId: string
    isSenderConstrained(): boolean
  }

  export interface RefreshToken extends BaseToken {
    readonly accountId: string
  }

  export interface ClientCredentials extends BaseToken {
    isSenderConstrained(): boolean
  }

  export interface TokenModel<T> {
    /** Undefined when unknown, malformed, revoked or (beyond the clock tolerance) expired. */
    find(value: string, options?: {ignoreExpiration?: boolean}): Promise<T | undefined>
  }

  export interface DeviceCode {
    readonly clientId: string
    readonly params: UnknownObject & {scope?: string}
    readonly isExpired: boolean
    readonly inFlight?: boolean
    accountId?: string
    authTime?: number
    grantId?: string
    scope?: string
    error?: string
    errorDescription?: string
    save(): Promise<string>
  }

  export interface DeviceCodeModel {
    findByUserCode(userCode: string, options?: {ignoreExpiration?: boolean}): Promise<DeviceCode | undefined>
  }

  export interface AdapterPayload {
    jti?: string
    grantId?: string
    userCode?: string
    uid?: string
    consumed?: number
    [key: string]: unknown
  }

  /** The storage contract of oidc-provider's `adapter` option (see lib/adapters/memory_adapter.js). */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface JWK {
    kty: string
    kid?: string
    alg?: string
    use?: string
    [member: string]: unknown
  }

  export interface ClientMetadata {
    client_id: string
    client_secret?: string
    client_name?: string
    application_type?: 'web' | 'native'
    token_endpoint_auth_method?: string
    redirect_uris?: string[]
    grant_types?: string[]
    response_types?: string[]
    scope?: string
    id_token_signed_response_alg?: string
    [metadata: string]: unknown
  }

  /** Only the options the sandbox sets; see lib/helpers/defaults.js for the rest. */
  export interface Configuration {
    adapter?: (name: string) => Adapter
    clients?: ClientMetadata[]
    clientDefaults?: Partial<ClientMetadata>
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean
    claims?: Record<string, null | string[]>
    cookies?: {keys?: string[]; long?: UnknownObject; short?: UnknownObject; names?: Record<string, string>}
    extraParams?: Record<string, (ctx: KoaContextWithOIDC, value: string | undefined, client: Client) => void | Promise<void>>
    features?: Record<string, UnknownObject>
    findAccount?: FindAccount
    interactions?: {url?: (ctx: KoaContextWithOIDC, interaction: Interaction) => string | Promise<string>}
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, source: {scopes: Set<string>}) => boolean | Promise<boolean>
    jwks?: {keys: JWK[]}
    pkce?: {required?: (ctx: KoaContextWithOIDC, client: Client) => boolean}
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => void | Promise<void>
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => boolean)
    responseTypes?: string[]
    scopes?: string[]
    ttl?: Record<string, number | ((...args: unknown[]) => number)>
    enabledJWA?: Record<string, string[]>
  }

  export class Provider extends EventEmitter {
    constructor(issuer: string, configuration?: Configuration)
    readonly issuer: string
    /** Koa's: the `(req, res)` listener for node:http. */
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>
    /** Runs `middleware` before oidc-provider's own router (await next() to run after it). */
    use(middleware: Middleware): this
    cookieName(type: 'session' | 'interaction' | 'resume'): string
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: {mergeWithLastSubmission?: boolean},
    ): Promise<void>
    readonly Interaction: {find(uid: string): Promise<Interaction | undefined>}
    readonly Client: {find(id: string): Promise<Client | undefined>}
    readonly Grant: GrantModel
    readonly AccessToken: TokenModel<AccessToken>
    readonly ClientCredentials: TokenModel<ClientCredentials>
    readonly RefreshToken: TokenModel<RefreshToken>
    readonly DeviceCode: DeviceCodeModel
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error
    InvalidAuthorizationDetails: new (description?: string) => Error
  }

  export default Provider
}
