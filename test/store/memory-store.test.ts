import assert from 'node:assert/strict'
import {test} from 'node:test'

import {MemoryTokenStore} from '../../src/store/memory-store.js'

test('MemoryTokenStore round-trips and isolates callers from stored objects', async () => {
  const store = new MemoryTokenStore({'seeded:default': {accessToken: 'seed'}})
  assert.equal(store.kind, 'memory')
  assert.deepEqual(await store.get('seeded:default'), {accessToken: 'seed'})

  const secrets = {accessToken: 'a', refreshToken: 'r'}
  await store.set('sandbox:default', secrets)
  secrets.accessToken = 'mutated after set'
  const read = await store.get('sandbox:default')
  assert.deepEqual(read, {accessToken: 'a', refreshToken: 'r'})
  read!.accessToken = 'mutated after get'
  assert.deepEqual(await store.get('sandbox:default'), {accessToken: 'a', refreshToken: 'r'})

  assert.deepEqual(store.keys().sort(), ['sandbox:default', 'seeded:default'])
  assert.equal(await store.delete('sandbox:default'), true)
  assert.equal(await store.delete('sandbox:default'), false)
  assert.equal(await store.get('sandbox:default'), undefined)
})
