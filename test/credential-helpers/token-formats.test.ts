import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ExitCode, OauthctlError} from '../../src/errors.js'
import {parseCredentialRequest, isLoopbackHost} from '../../src/credential-helpers/git-credential.js'
import {quoteForShell} from '../../src/credential-helpers/setup-git.js'
import {checkHostName, formatToken} from '../../src/credential-helpers/token-formats.js'
import {githubPreset, gitlabPreset} from '../../src/providers/presets.js'

const exitOf = (fn: () => unknown): number | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof OauthctlError ? error.exitCode : -1
  }
  return undefined
}

describe('token output formats for other tools', () => {
  it('prints a header line, a curl config line and a netrc line with the provider\'s user name', () => {
    assert.equal(formatToken('tok.1', 'header', {provider: 'github'}), 'Authorization: Bearer tok.1\n')
    assert.equal(formatToken('tok.1', 'curl-config', {provider: 'github'}), 'header = "Authorization: Bearer tok.1"\n')
    assert.equal(
      formatToken('tok.1', 'netrc', {provider: 'github', preset: githubPreset, host: 'api.github.com'}),
      'machine api.github.com login x-access-token password tok.1\n',
    )
    assert.equal(formatToken('t', 'netrc', {provider: 'gitlab', preset: gitlabPreset, host: 'h'}), 'machine h login oauth2 password t\n')
    assert.equal(formatToken('t', 'netrc', {provider: 'acme', host: 'h'}), 'machine h login oauth2 password t\n')
  })

  it('escapes a quote and a backslash in a curl config value, as curl unescapes them', () => {
    assert.equal(formatToken('a"b\\c', 'curl-config', {provider: 'x'}), 'header = "Authorization: Bearer a\\"b\\\\c"\n')
  })

  it('refuses a token that would end the line early and inject another header or netrc field (exit 4)', () => {
    for (const token of ['a\nX-Evil: 1', 'a\rb', 'a b', 'a\tb', 'a\u0000b', 'tök', '']) {
      for (const format of ['header', 'curl-config', 'netrc'] as const) {
        assert.equal(exitOf(() => formatToken(token, format, {provider: 'x', host: 'h'})), ExitCode.notLoggedIn, `${JSON.stringify(token)} ${format}`)
      }
    }
  })

  it('takes host names and host:port for --netrc and --host, nothing that could break a netrc line or a git config key', () => {
    assert.equal(checkHostName('API.GitHub.com', '--netrc'), 'api.github.com')
    assert.equal(checkHostName('127.0.0.1:8443', '--host'), '127.0.0.1:8443')
    assert.equal(checkHostName('[::1]:80', '--host'), '[::1]:80')
    for (const bad of ['a b', 'a\nmachine evil', 'https://github.com', 'github.com/x', '-x', 'a.', '']) {
      assert.equal(exitOf(() => checkHostName(bad, '--host')), ExitCode.usage, JSON.stringify(bad))
    }
  })
})

describe("git's credential description", () => {
  it('reads key=value lines up to the first blank line; the last value of a key wins', () => {
    const request = parseCredentialRequest('protocol=https\nhost=github.com\nhost=gitlab.com\r\npath=a=b\n\nhost=evil.example\n')
    assert.deepEqual([...request], [['protocol', 'https'], ['host', 'gitlab.com'], ['path', 'a=b']])
  })

  it('sends tokens over plain http only to loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:9000', 'localhost:80', '[::1]:1']) assert.equal(isLoopbackHost(host), true, host)
    for (const host of ['github.com', '127.0.0.1.evil.com', 'localhost.evil.com', '10.0.0.1']) assert.equal(isLoopbackHost(host), false, host)
  })

  it("quotes the helper's paths for the shell git runs it with", () => {
    assert.equal(quoteForShell("/opt/it's here/node"), "'/opt/it'\\''s here/node'")
  })
})
