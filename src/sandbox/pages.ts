/**
 * The sandbox's HTML pages: sign-in, consent, device-code entry, errors. Plain HTML with inline CSS and
 * no external resources (no web fonts, no CDN), so they render offline and leak nothing.
 *
 * Form controls have stable names and labels that browser tests rely on: inputs `name="login"` and
 * `name="password"`, and `type="submit"` buttons reading "Sign in", "Allow", "Deny".
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:24rem;margin:3rem auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:1.5rem 2rem}
h1{font-size:1.4rem;margin:0 0 .5rem}
p{line-height:1.4}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;font-size:1rem;padding:.5rem;border:1px solid #b8bfcc;border-radius:4px}
button{font-size:1rem;padding:.55rem 1.2rem;border-radius:4px;border:1px solid #1f5fd1;background:#1f5fd1;color:#fff;cursor:pointer;margin:1rem .5rem 0 0}
button.secondary{background:#fff;color:#1f5fd1}
.error{color:#b00020;font-weight:600}
.hint{color:#5b6476;font-size:.9rem}
code{font-size:1.05em}
ul{padding-left:1.2rem}
`

/** A whole page around `body` (trusted HTML; escape every value that went into it). */
export function renderPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · oauthctl sandbox</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

/** Headers every sandbox page is sent with: never cached (they carry one-time state), never framed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No form-action: browsers apply it to the redirects after a form post, which end at the client's
  // loopback redirect URI.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
}

export interface LoginPageInput {
  action: string
  clientName: string
  login?: string
  error?: string
}

export function renderLoginPage({action, clientName, login = '', error}: LoginPageInput): string {
  return renderPage(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(clientName)}</strong></p>
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="login">User name</label>
<input type="text" id="login" name="login" value="${escapeHtml(login)}" required autofocus autocapitalize="none" spellcheck="false">
<label for="password">Password</label>
<input type="password" id="password" name="password" required>
<p class="hint">This is the oauthctl sandbox: any user name works, the password is <code>sandbox</code>.</p>
<button type="submit">Sign in</button>
</form>`,
  )
}

const scopeDescriptions: Record<string, string> = {
  openid: 'Confirm who you are (your user id)',
  profile: 'Read your name and user name',
  email: 'Read your email address',
  offline_access: 'Stay signed in: keep access when you are not using it (refresh token)',
  api: 'Call the sandbox demo API',
}

export interface ConsentPageInput {
  action: string
  clientName: string
  accountId: string
  scopes: string[]
  claims: string[]
}

export function renderConsentPage({action, clientName, accountId, scopes, claims}: ConsentPageInput): string {
  const items = [
    ...scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code>: ${escapeHtml(scopeDescriptions[scope] ?? 'Access granted by this scope')}</li>`),
    ...claims.map((claim) => `<li>the claim <code>${escapeHtml(claim)}</code></li>`),
  ]
  return renderPage(
    'Authorize',
    `<h1>Authorize ${escapeHtml(clientName)}</h1>
<p>Signed in as <strong>${escapeHtml(accountId)}</strong>. <strong>${escapeHtml(clientName)}</strong> asks to:</p>
${items.length ? `<ul id="scopes">${items.join('\n')}</ul>` : '<p>confirm this sign-in again.</p>'}
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny" class="secondary">Deny</button>
</form>`,
  )
}

/** A dead end: what went wrong and what to do next. */
export function renderErrorPage(title: string, message: string, details: Record<string, string> = {}): string {
  const rows = Object.entries(details)
    .map(([key, value]) => `<li><code>${escapeHtml(key)}</code>: ${escapeHtml(value)}</li>`)
    .join('\n')
  return renderPage(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${rows ? `<ul>${rows}</ul>` : ''}`)
}

/** RFC 8628 §3.3 user-code entry; `form` is oidc-provider's form (id `op.deviceInputForm`). */
export function renderDeviceInputPage(form: string, error?: string): string {
  return renderPage(
    'Device sign-in',
    `<h1>Device sign-in</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '<p>Enter the code your device (or terminal) shows.</p>'}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  )
}

/** Asks the user to compare the code before signing the device in; `form` is oidc-provider's. */
export function renderDeviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return renderPage(
    'Confirm device',
    `<h1>Confirm device</h1>
<p><strong>${escapeHtml(clientName)}</strong> wants to sign in. Check that your device shows this code:</p>
<p><code id="user-code">${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="secondary">Cancel</button>`,
  )
}

export function renderDeviceSuccessPage(clientName: string): string {
  return renderPage(
    'Device signed in',
    `<h1>Device signed in</h1>\n<p><strong>${escapeHtml(clientName)}</strong> is signed in. You can close this page.</p>`,
  )
}

/** RP-initiated logout confirmation; `form` is oidc-provider's (id `op.logoutForm`). */
export function renderLogoutPage(form: string, host: string): string {
  return renderPage(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  )
}

export function renderLogoutSuccessPage(): string {
  return renderPage('Signed out', '<h1>Signed out</h1>\n<p>You are signed out of the oauthctl sandbox.</p>')
}
