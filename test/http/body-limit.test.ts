import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {limitResponseBody, MAX_AUTH_SERVER_RESPONSE_BYTES} from '../../src/http/body-limit.js'
import {LiteHeaders, LiteResponse} from '../../src/http/lite.js'

function streamOf(chunks: number, size: number): {stream: ReadableStream<Uint8Array>; pulled: () => number} {
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close()
      pulled++
      controller.enqueue(new Uint8Array(size))
    },
  })
  return {stream, pulled: () => pulled}
}

const tooLarge = (error: {exitCode?: number; code?: string; message?: string}) =>
  error.exitCode === 5 && error.code === 'response_too_large' &&
  error.message === 'the answer from https://as.example/token is larger than 1 MiB; oauthctl refused it and stored nothing'

describe('limitResponseBody (answers of the authorization server)', () => {
  it('passes an answer up to 1 MiB through as a standard Response', async () => {
    const body = JSON.stringify({access_token: 'a'.repeat(1000)})
    const limited = await limitResponseBody(new Response(body, {status: 200, headers: {'content-type': 'application/json'}}), 'https://as.example/token')
    assert.ok(limited instanceof Response)
    assert.equal(limited.status, 200)
    assert.equal(limited.headers.get('content-type'), 'application/json')
    assert.equal(await limited.text(), body)
  })

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const {stream, pulled} = streamOf(100, 1024)
    const response = new Response(stream, {headers: {'content-length': String(MAX_AUTH_SERVER_RESPONSE_BYTES + 1)}})
    await assert.rejects(limitResponseBody(response, 'https://as.example/token?x=1'), tooLarge)
    assert.ok(pulled() <= 2, `read ${pulled()} chunks`)
  })

  it('stops reading a streamed body as soon as it passes the cap (a 50 MB answer is never held)', async () => {
    const {stream, pulled} = streamOf(50 * 16, 64 * 1024)
    const response = new LiteResponse(stream, 200, 'OK', new LiteHeaders([]), 'https://as.example/token')
    await assert.rejects(limitResponseBody(response, 'https://as.example/token'), tooLarge)
    assert.ok(pulled() <= 18, `read ${pulled()} chunks of 64 KiB`)
  })

  it('keeps an empty 204', async () => {
    const limited = await limitResponseBody(new Response(null, {status: 204}), 'https://as.example/revoke')
    assert.equal(limited.status, 204)
    assert.equal(await limited.text(), '')
  })
})
