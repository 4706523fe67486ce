import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError, ExitCode, UsageError} from '../../src/errors.js'
import {allowHostEntries, checkAllowHosts, checkTokenDestination, originAllowed, resolveApiUrl} from '../../src/http/api-client.js'

const refused = (host: string) => (error: unknown) =>
  error instanceof ConfigError && error.exitCode === ExitCode.config && error.message.includes(host)

describe('resolveApiUrl', () => {
  const base = 'https://api.example.com/v1/'
  const origins = ['https://api.example.com', 'https://*.files.example.com']

  it('appends a path (with or without a leading slash, with its query) to the API base', () => {
    assert.equal(resolveApiUrl(base, origins, '/me').href, 'https://api.example.com/v1/me')
    assert.equal(resolveApiUrl(base, origins, 'me?x=1').href, 'https://api.example.com/v1/me?x=1')
    assert.equal(resolveApiUrl('http://127.0.0.1:9000/api', ['http://127.0.0.1:9000'], '/v2/me').href, 'http://127.0.0.1:9000/api/v2/me')
  })

  it('a path can never leave the API host', () => {
    for (const path of ['//evil.example/x', '/@evil.example', '\\\\evil.example/x', '/../../../x']) {
      assert.equal(resolveApiUrl(base, origins, path).host, 'api.example.com', path)
    }
  })

  it('accepts absolute URLs on the API origins, including wildcard subdomains', () => {
    assert.equal(resolveApiUrl(base, origins, 'https://api.example.com/v2/x').href, 'https://api.example.com/v2/x')
    assert.equal(resolveApiUrl(base, origins, 'https://eu.files.example.com/f').host, 'eu.files.example.com')
    assert.equal(resolveApiUrl(base, origins, 'https://a.b.files.example.com/f').host, 'a.b.files.example.com')
  })

  it('refuses other hosts, ports, schemes and look-alikes with exit 3 naming the host', () => {
    for (const [url, host] of [
      ['https://evil.example/x', 'evil.example'],
      ['https://api.example.com:8443/x', 'api.example.com:8443'],
      ['http://api.example.com/x', 'api.example.com'],
      ['https://api.example.com.evil.example/x', 'api.example.com.evil.example'],
      ['https://files.example.com/x', 'files.example.com'],
      ['https://xfiles.example.com/x', 'xfiles.example.com'],
    ] as const) {
      assert.throws(() => resolveApiUrl(base, origins, url), refused(host), url)
    }
  })

  it('--allow-host extends the list: bare hosts mean https, wildcards work, loopback also allows http', () => {
    assert.equal(resolveApiUrl(base, origins, 'https://other.example/x', ['other.example']).host, 'other.example')
    assert.equal(resolveApiUrl(base, origins, 'https://x.cdn.example/y', ['*.cdn.example']).host, 'x.cdn.example')
    assert.equal(resolveApiUrl(base, origins, 'http://127.0.0.1:8080/y', ['127.0.0.1:8080']).port, '8080')
    assert.equal(resolveApiUrl(base, origins, 'http://127.0.0.1:8080/y', ['http://127.0.0.1:8080']).port, '8080')
    assert.throws(() => resolveApiUrl(base, origins, 'http://other.example/x', ['other.example']), refused('other.example'))
    assert.throws(() => resolveApiUrl(base, origins, 'http://127.0.0.1:8081/y', ['127.0.0.1:8080']), refused('127.0.0.1:8081'))
  })

  it('never sends the token over plain http off loopback, even when allowed explicitly', () => {
    assert.throws(() => checkTokenDestination(new URL('http://other.example/x'), [], ['http://other.example']), /plain http to other\.example/)
  })
})

describe('allow-list entries', () => {
  it('originAllowed matches exact origins and *.domain wildcards only', () => {
    assert.equal(originAllowed('https://api.example.com', 'https://api.example.com/'), true)
    assert.equal(originAllowed('https://a.googleapis.com', 'https://*.googleapis.com'), true)
    assert.equal(originAllowed('https://googleapis.com', 'https://*.googleapis.com'), false)
    assert.equal(originAllowed('http://a.googleapis.com', 'https://*.googleapis.com'), false)
    assert.equal(originAllowed('https://a.googleapis.com:444', 'https://*.googleapis.com'), false)
    assert.equal(originAllowed('https://a.googleapis.com', 'not a url *'), false)
  })

  it('allowHostEntries turns bare hosts into origins', () => {
    assert.deepEqual(allowHostEntries(['api.x.example', 'https://y.example:8443', 'localhost:3000']), [
      'https://api.x.example',
      'https://y.example:8443',
      'https://localhost:3000',
      'http://localhost:3000',
    ])
  })

  it('checkAllowHosts rejects entries that name no host (exit 2)', () => {
    checkAllowHosts(['api.example.com', '*.example.com', 'https://h.example:1'])
    for (const bad of ['*', 'https://', 'a b', '*.*.example.com']) {
      assert.throws(() => checkAllowHosts([bad]), (error: unknown) => error instanceof UsageError && /bad --allow-host/.test(error.message), bad)
    }
  })
})
