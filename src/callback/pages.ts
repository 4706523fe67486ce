/**
 * The tiny pages the callback listener shows in the browser: self-contained (no external resources, no
 * script), never cached, never leaking the callback URL through a Referer.
 *
 * @see RFC 8252 §8.3; RFC 6749 §10.12 (the code must not leak from the redirect page)
 */
import type {ServerResponse} from 'node:http'

export interface PageContent {
  ok: boolean
  title: string
  detail?: string
}

const securityHeaders = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  Connection: 'close',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Render a page. Only the given title and detail appear in it, HTML-escaped; never the query string. */
export function renderPage(page: PageContent): string {
  const title = escapeHtml(page.title)
  const detail = page.detail ? `<p>${escapeHtml(page.detail)}</p>` : ''
  const close = page.ok
    ? 'You can close this tab and return to the terminal.'
    : 'You can close this tab; the terminal says what to do next.'
  const colour = page.ok ? '#1a7f37' : '#cf222e'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>oauthctl: ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1f2328}h1{font-size:1.4em;color:${colour}}</style>
</head><body><h1>${title}</h1>${detail}<p>${close}</p></body></html>
`
}

export function sendPage(res: ServerResponse, status: number, page: PageContent, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  const body = renderPage(page)
  res.writeHead(status, {
    ...securityHeaders,
    ...extraHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  })
  res.end(body)
}
