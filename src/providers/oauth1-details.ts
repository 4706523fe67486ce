import type {ProviderPreset} from './preset.js'

/**
 * The `providers show` rows of an OAuth 1.0a provider (after its redirect URI): the consumer, the
 * signature method and the three endpoints instead of OAuth 2.0's client authentication, PKCE and refresh.
 * @see RFC 5849 §2, §3.4
 */
export function describeOAuth1Provider(
  details: ProviderPreset & {optionValues?: unknown; checked?: ProviderPreset['checked']; source?: string},
  row: (label: string, value: string | undefined) => void,
): void {
  const oauth1 = details.oauth1
  if (!oauth1) return
  const method = oauth1.signatureMethod
  row('Protocol', `OAuth 1.0a (RFC 5849), ${method} signatures on every request${method === 'PLAINTEXT' ? ' (only over https or loopback)' : ''}`)
  row('Consumer key', details.clientId ? `${details.clientId} (--client-id)` : '(yours: --client-id)')
  row('Consumer secret', method === 'RSA-SHA1' ? `not used; RSA key read from ${oauth1.privateKeyFile ?? '(oauth1.privateKeyFile)'}` : details.clientSecretRequired ? 'required (--client-secret; kept in the credential store)' : 'when given (--client-secret; kept in the credential store)')
  row('Request token', oauth1.requestTokenUrl)
  row('Authorize', oauth1.authorizeUrl)
  row('Access token', oauth1.accessTokenUrl)
  row('Revocation', oauth1.revokeUrl ?? 'none (logout only forgets the tokens)')
  row('Realm', oauth1.realm)
  row('API base', details.apiBase)
  const secretTravels = method === 'PLAINTEXT' ? 'PLAINTEXT sends the secrets themselves, so only over https' : 'as a signature; the secrets never leave this machine'
  row('Token sent to', `${details.apiOrigins.join(', ')} (${secretTravels})`)
  row('Who am I', details.meEndpoint)
  if (details.defaultScopes.length > 0) row('Default scopes', `${details.defaultScopes.join(details.scopeSeparator)}  [parameter "${details.scopeParameter ?? 'scope'}" on the authorize URL]`)
  const extras = Object.entries(details.authorizeParams ?? {}).map(([key, value]) => `${key}=${value}`)
  row('Extra authorize params', extras.join('&'))
  row('Refresh', 'none: OAuth 1.0a tokens stay valid until revoked')
  for (const note of details.notes ?? []) row('Note', note)
  row('Docs', details.docsUrl)
  row('Facts last checked', details.checked ? `${details.checked.date} against ${details.checked.source}` : details.source === 'custom' ? undefined : 'never')
}
