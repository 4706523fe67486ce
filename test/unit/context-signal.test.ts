// The context's signal reaches node:http only once interrupts are trapped (src/context.ts): before that it
// can never abort, and node:http's abort wiring is ~0.7 ms of every `oauthctl get`.
import assert from 'node:assert/strict'
import {getEventListeners} from 'node:events'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {createContext} from '../../src/context.js'

describe('the context signal and node:http', () => {
  let server: Server
  let url: string
  let release: () => void = () => {}
  before(async () => {
    server = createServer((_req, res) => {
      release = () => res.end('done')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  async function listenersWhileInFlight(trap: boolean): Promise<number> {
    const ctx = createContext({configDir: '/nonexistent-oauthctl-test'})
    const before = {SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM')}
    if (trap) ctx.trapInterrupts()
    try {
      const pending = ctx.fetch(url, {signal: ctx.signal})
      for (let waited = 0; waited < 2000 && getEventListeners(ctx.signal, 'abort').length === 0; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        if (!trap && waited >= 200) break
      }
      const count = getEventListeners(ctx.signal, 'abort').length
      release()
      assert.equal(await (await pending).text(), 'done')
      return count
    } finally {
      for (const name of ['SIGINT', 'SIGTERM'] as const) {
        for (const listener of process.listeners(name)) if (!before[name].includes(listener)) process.removeListener(name, listener)
      }
    }
  }

  it('an untrapped context does not hand its signal to the request', async () => {
    assert.equal(await listenersWhileInFlight(false), 0)
  })

  it('after trapInterrupts the request listens to it (Ctrl-C aborts it)', async () => {
    assert.ok((await listenersWhileInFlight(true)) > 0)
  })
})
