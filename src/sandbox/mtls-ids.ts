/** The client that authenticates with a CA-signed certificate (RFC 8705 §2.1, `tls_client_auth`). */
export const MTLS_CLIENT_ID = 'oauthctl-mtls'
/** The client that authenticates with a self-signed certificate in its JWKS (RFC 8705 §2.2). */
export const MTLS_SELF_CLIENT_ID = 'oauthctl-mtls-self'
