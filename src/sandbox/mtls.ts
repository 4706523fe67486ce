/// <reference path="./oidc-provider.d.ts" />
import {X509Certificate, createHash} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {TLSSocket} from 'node:tls'
import type {ClientMetadata, KoaContextWithOIDC} from 'oidc-provider'
import {MTLS_CLIENT_SUBJECT, createSandboxCertificates, readPem, type SandboxCertificates} from './mtls-certs.js'
import {EVERY_GRANT_CLIENT} from './client-auth-clients.js'

import {MTLS_CLIENT_ID, MTLS_SELF_CLIENT_ID} from './mtls-ids.js'

export {MTLS_CLIENT_ID, MTLS_SELF_CLIENT_ID} from './mtls-ids.js'

/** The endpoints whose aliases the sandbox's HTTPS listener serves (RFC 8705 §5), by metadata name. */
const ALIASED: Record<string, string> = {
  token_endpoint: '/token',
  revocation_endpoint: '/token/revocation',
  introspection_endpoint: '/token/introspection',
  pushed_authorization_request_endpoint: '/request',
  device_authorization_endpoint: '/device/auth',
  userinfo_endpoint: '/me',
}

/** The `--mtls` part of a sandbox: its certificates, HTTPS listener, clients and oidc-provider settings. */
export interface MtlsSandbox {
  certificates: SandboxCertificates
  /** `https://127.0.0.1:PORT` of the listener that asks for client certificates. */
  origin: string
  clients: ClientMetadata[]
  /** oidc-provider's `features.mTLS`. */
  feature: Record<string, unknown>
  /** `mtls_endpoint_aliases` for the discovery document. */
  aliases: Record<string, string>
  /** Requests that arrived on the HTTPS listener, by path (sandbox stats). */
  requests(): Record<string, number>
  close(): Promise<void>
}

/**
 * Starts the HTTPS listener of `oauthctl sandbox --mtls` on a free loopback port: it asks every client for
 * a certificate but lets the handshake through without one (`rejectUnauthorized: false`), so that
 * oidc-provider and the demo API judge the certificate, and answers with the sandbox's one `handler`.
 * @see RFC 8705 §2 (client authentication), §3 (certificate-bound tokens), §5 (endpoint aliases)
 */
export async function startMtlsListener(
  host: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: {port?: number; filesDir?: string} = {},
): Promise<MtlsSandbox> {
  const certificates = await createSandboxCertificates(options.filesDir)
  const [key, cert, ca, selfCert] = await Promise.all([certificates.serverKey, certificates.serverCert, certificates.caCert, certificates.selfCert].map(readPem))
  const {createServer} = await import('node:https')
  const counts: Record<string, number> = {}
  const server = createServer({key, cert, ca: [ca], requestCert: true, rejectUnauthorized: false}, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://sandbox.invalid').pathname
    counts[path] = (counts[path] ?? 0) + 1
    handler(req, res)
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port))
  })
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    certificates,
    origin,
    clients: buildMtlsClients(selfCert),
    feature: buildMtlsFeature(),
    aliases: Object.fromEntries(Object.entries(ALIASED).map(([name, path]) => [name, `${origin}${path}`])),
    requests: () => ({...counts}),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      // The certificates (and the CA's key) live only as long as this sandbox.
      const {rm} = await import('node:fs/promises')
      await rm(certificates.dir, {recursive: true, force: true})
    },
  }
}

/** The two mTLS clients; both get certificate-bound tokens and every grant the JWT clients have. */
export function buildMtlsClients(selfSignedPem: string): ClientMetadata[] {
  const common = {...EVERY_GRANT_CLIENT, tls_client_certificate_bound_access_tokens: true}
  const self = new X509Certificate(selfSignedPem)
  const jwk = self.publicKey.export({format: 'jwk'})
  return [
    {...common, client_id: MTLS_CLIENT_ID, client_name: 'oauthctl tls_client_auth client', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: MTLS_CLIENT_SUBJECT},
    {
      ...common,
      client_id: MTLS_SELF_CLIENT_ID,
      client_name: 'oauthctl self_signed_tls_client_auth client',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: {keys: [{...jwk, use: 'sig', x5c: [self.raw.toString('base64')]}]},
    },
  ]
}

/** oidc-provider's `features.mTLS`: the certificate comes from the TLS socket of the request. */
export function buildMtlsFeature(): Record<string, unknown> {
  return {
    enabled: true,
    certificateBoundAccessTokens: true,
    tlsClientAuth: true,
    selfSignedTlsClientAuth: true,
    getCertificate: (ctx: KoaContextWithOIDC) => peerCertificate(ctx.req),
    // Verified against the sandbox CA by the TLS handshake (the listener's `ca`).
    certificateAuthorized: (ctx: KoaContextWithOIDC) => (ctx.req.socket as TLSSocket).authorized === true,
    certificateSubjectMatches: (ctx: KoaContextWithOIDC, property: string, expected: string) => {
      const pem = peerCertificate(ctx.req)
      if (!pem || property !== 'tls_client_auth_subject_dn') return false
      return normaliseDn(new X509Certificate(pem).subject) === normaliseDn(expected)
    },
  }
}

/** The client certificate (PEM) the request's TLS connection presented, if any. */
export function peerCertificate(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>
  if (typeof socket.getPeerCertificate !== 'function') return undefined
  const raw = socket.getPeerCertificate().raw
  if (!raw || raw.length === 0) return undefined
  return `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`
}

/**
 * Why a certificate-bound token may not be used on this request, or undefined when the request came with
 * the very certificate (SHA-256 thumbprint `x5t#S256`) the token is bound to.
 * @see RFC 8705 §3 (the protected resource compares the thumbprint), §3.1 (`cnf` / `x5t#S256`)
 */
export function certificateBindingRefusal(req: IncomingMessage, thumbprint: string): string | undefined {
  const socket = req.socket as Partial<TLSSocket>
  const raw = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().raw : undefined
  if (!raw || raw.length === 0) return 'the access token is certificate-bound and this request came without a client certificate'
  if (createHash('sha256').update(raw).digest('base64url') !== thumbprint) return 'the access token is bound to another client certificate'
  return undefined
}

function normaliseDn(dn: string): string {
  return dn.split(/[\n,]/).map((part) => part.trim()).filter(Boolean).join(',')
}
