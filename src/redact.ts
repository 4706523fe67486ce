/**
 * Debug output and error messages never show a secret. Known secret values are registered as they are
 * seen; well-known parameter names are masked wherever they appear in URLs, forms, JSON and headers.
 */
const known = new Set<string>()

const SECRET_NAMES = [
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'device_code',
  'password',
  'ticket',
  'assertion',
  'client_assertion',
  'actor_token',
  'subject_token',
  'claim_token',
]

/** Remember a secret value so that {@link redact} masks it wherever it shows up. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value)
}

/** Masks secrets in free text: registered values, `name=value` pairs, JSON members and bearer headers. */
export function redact(text: string): string {
  let result = text
  for (const value of known) result = result.split(value).join('[redacted]')
  const names = SECRET_NAMES.join('|')
  result = result.replace(new RegExp(`([?&#]|\\b)(${names})=([^&\\s"']+)`, 'g'), '$1$2=[redacted]')
  result = result.replace(new RegExp(`("(?:${names})"\\s*:\\s*)"[^"]*"`, 'g'), '$1"[redacted]"')
  result = result.replace(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[^]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted $1private key]')
  result = result.replace(/\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
  return result
}
