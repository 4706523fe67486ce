import {registerSecret} from '../redact.js'
import type {TokenSecrets} from '../store/token-store.js'
import type {ClientCredentials} from '../oauth/client-auth.js'
import {readClientKey} from '../providers/client-key.js'
import {readClientSecret} from '../providers/client-secret.js'
import type {LoadedLogin} from './session.js'

/**
 * The client a stored login's tokens were issued to, as every later grant (refresh, renewal, revocation,
 * introspection) must authenticate it: the secret and private key kept with the tokens, else the ones kept
 * for that client id in the same store.
 */
export async function loginClientCredentials(login: LoadedLogin, secrets: TokenSecrets): Promise<ClientCredentials> {
  const {preset, record} = login
  const clientId = record.clientId ?? preset.clientId ?? ''
  const clientSecret = secrets.clientSecret ?? (clientId ? await readClientSecret(login.store, preset.name, clientId) : undefined)
  const clientKey = secrets.clientKey ?? (clientId && preset.clientAuth === 'private_key_jwt' ? await readClientKey(login.store, preset.name, clientId) : undefined)
  registerSecret(clientKey)
  // The certificate kept with the tokens authenticates the client (RFC 8705 §2) and keeps them bound (§3).
  const tls = secrets.clientCert
  registerSecret(tls?.key)
  return {clientId, ...(clientSecret ? {clientSecret} : {}), ...(clientKey ? {clientKey} : {}), ...(tls ? {tls} : {})}
}
