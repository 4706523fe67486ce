import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {headlessAdvice} from '../../src/login/waiting.js'
import {githubPreset, sandboxPreset} from '../../src/providers/presets.js'

describe('headlessAdvice: the ssh -L hint names this machine', () => {
  const sandbox = sandboxPreset({OAUTHCTL_SANDBOX_ISSUER: 'http://127.0.0.1:9000'})
  const sshLine = (host: string | undefined, uri = 'http://127.0.0.1:49213/callback') =>
    headlessAdvice(sandbox, uri, host).find((line) => line.includes('ssh -L'))

  it('with the real host name, and the redirect port kept on both sides', () => {
    assert.equal(sshLine('build-42.example.net'), 'Or keep this login waiting and, on the machine with the browser: ssh -L 49213:127.0.0.1:49213 build-42.example.net')
    assert.equal(sshLine('devbox', 'http://localhost:8085/callback'), 'Or keep this login waiting and, on the machine with the browser: ssh -L 8085:127.0.0.1:8085 devbox')
  })

  it('a placeholder when the name is unknown, localhost, or not a plain host name (nothing a shell would expand)', () => {
    for (const host of [undefined, '', '   ', 'localhost', 'localhost.localdomain', 'a b', 'x;rm -rf ~', '$(id)', '-oProxyCommand=x', 'host-']) {
      assert.equal(sshLine(host), 'Or keep this login waiting and, on the machine with the browser: ssh -L 49213:127.0.0.1:49213 <this host>', String(host))
    }
  })

  it('no ssh line without a port (nothing to forward); --device only where the provider has it', () => {
    assert.equal(headlessAdvice(githubPreset, 'http://127.0.0.1/callback', 'devbox').some((line) => line.includes('ssh')), false)
    assert.ok(headlessAdvice(sandbox, 'http://127.0.0.1:1/callback', 'devbox').some((line) => line.includes('--device')))
  })
})
