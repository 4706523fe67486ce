import assert from 'node:assert/strict'
import {readFileSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import type {TLSSocket} from 'node:tls'
import {after, before, describe, it} from 'node:test'
import {nodeFetch} from '../../src/http/node-fetch.js'
import {createSandboxCertificates, type SandboxCertificates} from '../../src/sandbox/mtls-certs.js'
import {certificateBindingRefusal} from '../../src/sandbox/mtls.js'

/* nodeFetch presents a TLS client certificate (RFC 8705 mTLS) only to the origin it was given for. */

interface Seen {
  path: string
  subject?: string
  authorization?: string
}

async function listen(files: SandboxCertificates, handler: (path: string) => {status: number; location?: string}): Promise<{server: Server; origin: string; seen: Seen[]}> {
  const seen: Seen[] = []
  const server = createServer({key: readFileSync(files.serverKey), cert: readFileSync(files.serverCert), ca: readFileSync(files.caCert), requestCert: true, rejectUnauthorized: false}, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate()
    seen.push({path: req.url ?? '', subject: peer?.subject?.CN as string | undefined, authorization: req.headers.authorization})
    const answer = handler(req.url ?? '')
    res.writeHead(answer.status, answer.location ? {location: answer.location} : {}).end(certificateBindingRefusal(req, 'no-such-thumbprint') ?? 'bound')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {server, origin: `https://127.0.0.1:${(server.address() as {port: number}).port}`, seen}
}

describe('nodeFetch with a TLS client certificate', () => {
  let files: SandboxCertificates
  let api: Awaited<ReturnType<typeof listen>>
  let other: Awaited<ReturnType<typeof listen>>
  let tls: {cert: string; key: string; ca: string}

  before(async () => {
    files = await createSandboxCertificates()
    tls = {cert: readFileSync(files.clientCert, 'utf8'), key: readFileSync(files.clientKey, 'utf8'), ca: readFileSync(files.caCert, 'utf8')}
    other = await listen(files, () => ({status: 200}))
    api = await listen(files, (path) => (path === '/away' ? {status: 302, location: `${other.origin}/landing`} : path === '/here' ? {status: 302, location: '/landed'} : {status: 200}))
  })
  after(() => {
    for (const server of [api?.server, other?.server]) {
      server?.closeAllConnections()
      server?.close()
    }
    rmSync(files.dir, {recursive: true, force: true})
  })

  it('presents the certificate and trusts the given CA', async () => {
    const response = await nodeFetch(`${api.origin}/me`, {tls} as RequestInit)
    assert.equal(response.status, 200)
    assert.equal(api.seen.at(-1)?.subject, 'oauthctl-mtls')
    assert.equal(await response.text(), 'the access token is bound to another client certificate')
  })

  it('without it the server sees no certificate (and an unknown CA is refused)', async () => {
    const response = await nodeFetch(`${api.origin}/me`, {tls: {ca: tls.ca}} as RequestInit)
    assert.equal(await response.text(), 'the access token is certificate-bound and this request came without a client certificate')
    assert.equal(api.seen.at(-1)?.subject, undefined)
    await assert.rejects(nodeFetch(`${api.origin}/me`), (error: Error & {cause?: {code?: string}}) => error.message === 'fetch failed' && /CERT|SELF_SIGNED|UNABLE/.test(String(error.cause?.code)))
  })

  it('keeps the certificate on a same-origin redirect, drops it (and the Authorization) on a cross-origin one', async () => {
    await nodeFetch(`${api.origin}/here`, {tls, headers: {authorization: 'Bearer t0ken-value'}} as RequestInit)
    assert.deepEqual(api.seen.slice(-2).map((seen) => seen.subject), ['oauthctl-mtls', 'oauthctl-mtls'])
    const response = await nodeFetch(`${api.origin}/away`, {tls, headers: {authorization: 'Bearer t0ken-value'}} as RequestInit)
    assert.equal(response.status, 200)
    assert.deepEqual(other.seen.at(-1), {path: '/landing', subject: undefined, authorization: undefined})
  })
})
