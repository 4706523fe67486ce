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

/**
 * Masks secrets in free text: registered values, `name=value` pairs, JSON members, the credential of an
 * Authorization header whatever it looks like, and a credential after Bearer/Basic/DPoP elsewhere (but
 * not the prose word in "Bearer tokens are ...").
 */
export function redact(text: string): string {
  let result = text
  for (const value of known) result = result.split(value).join('[redacted]')
  const names = SECRET_NAMES.join('|')
  result = result.replace(new RegExp(`([?&#]|\\b)(${names})=([^&\\s"']+)`, 'g'), '$1$2=[redacted]')
  result = result.replace(new RegExp(`("(?:${names})"\\s*:\\s*)"[^"]*"`, 'g'), '$1"[redacted]"')
  result = result.replace(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[^]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted $1private key]')
  result = result.replace(CREDENTIAL, (match, header: string, scheme: string, space: string, value: string, offset: number, whole: string) => {
    if (header) return `${header}${scheme}${space}[redacted]`
    // `realm="api"` after a scheme (WWW-Authenticate) is an auth-param, not a credential.
    const authParam = whole[offset + match.length] === '"'
    // A sentence may end right after the token ("... with Bearer abc123."): the mark is not part of it.
    const credential = value.replace(/[.:!?]+$/, '')
    return !authParam && looksLikeCredential(credential) ? `${scheme}${space}[redacted]${value.slice(credential.length)}` : match
  })
  return result
}

/**
 * A scheme and what follows it, optionally inside an `Authorization:` / `Proxy-Authorization:` header (as
 * sent, as a JSON member, or as Node prints a headers object), where whatever follows is the credential.
 */
const CREDENTIAL = /((?:\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?\s*)?)\b(Bearer|Basic|DPoP)([ \t]+)([^\s"'`,;()<>[\]{}]+)/gi

/** RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/

/**
 * Words of prose after "Bearer", "Basic" or "DPoP" ("Bearer tokens are", "Basic authentication", "a DPoP
 * proof"): lower-case, Capitalised or a short acronym, hyphenated at most. Shorter than 32 characters: a
 * credential of letters alone is longer.
 */
const PROSE_WORD = /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]{1,5}s?)(?:-(?:[a-z]+|[A-Z][a-z]+|[A-Z]{1,5}s?))*$/

/**
 * Whether the word after an authentication scheme in free text is a credential: token68 characters and
 * not a word of prose. Inside an Authorization header every value is masked, dictionary words included
 * (a token may well be one), so this only decides text outside headers.
 * @see RFC 7235 §2.1 (token68), RFC 6750 §2.1 (b64token), RFC 7617 §2
 */
export function looksLikeCredential(value: string): boolean {
  if (!TOKEN68.test(value)) return false
  return !(value.length < 32 && PROSE_WORD.test(value))
}
