/** The endpoints oauthctl sends to an mTLS alias when the server names one (RFC 8705 §5). */
export const MTLS_ALIASED_ENDPOINTS = [
  'token_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
  'userinfo_endpoint',
] as const
