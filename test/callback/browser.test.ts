import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, before, describe, it} from 'node:test'

import {createBrowser, parseCommandLine} from '../../src/callback/browser.js'
import {waitFor} from './helpers.js'

describe('parseCommandLine', () => {
  const cases: Array<[string, string[]]> = [
    ['firefox', ['firefox']],
    ['  firefox   --new-window  ', ['firefox', '--new-window']],
    ['node /opt/x/http-browser.js', ['node', '/opt/x/http-browser.js']],
    ["'/Applications/Google Chrome.app/x' --incognito", ['/Applications/Google Chrome.app/x', '--incognito']],
    ['"C:\\Program Files\\Firefox\\firefox.exe" -private', ['C:\\Program Files\\Firefox\\firefox.exe', '-private']],
    ['C:\\Tools\\browser.exe', ['C:\\Tools\\browser.exe']],
    ['my\\ browser arg', ['my browser', 'arg']],
    ['"say \\"hi\\"" \'it\'\'s\'', ['say "hi"', 'its']],
    ['a"b c"d', ['ab cd']],
    ["cmd '' \"\"", ['cmd', '', '']],
    ["\t\n", []],
    ['', []],
  ]
  for (const [input, expected] of cases) {
    it(`splits ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseCommandLine(input), expected)
    })
  }

  for (const input of ["'open", 'say "hi']) {
    it(`throws on the unterminated quote in ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseCommandLine(input), /unterminated/)
    })
  }
})

describe('createBrowser', () => {
  let dir: string
  let script: string
  const url = new URL('https://auth.example/authorize?client_id=a&state=s t')

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oauthctl-browser-'))
    script = join(dir, 'record argv.mjs')
    // Records its arguments, and prints to stdout to show where that goes.
    await writeFile(
      script,
      `import {writeFileSync} from 'node:fs'
const [out, ...rest] = process.argv.slice(2)
writeFileSync(out, JSON.stringify(rest))
if (process.env.ECHO_STDOUT === '1') console.log('browser stdout')
`,
    )
  })
  after(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  async function readArgs(file: string): Promise<string[]> {
    const text = await waitFor(() => readFile(file, 'utf8').catch(() => undefined))
    return JSON.parse(text) as string[]
  }

  it('runs OAUTHCTL_BROWSER in preference to BROWSER, with the URL as the last argument', async () => {
    const out = join(dir, 'first.json')
    const decoy = join(dir, 'decoy.json')
    const warnings: string[] = []
    const browser = createBrowser(
      {
        OAUTHCTL_BROWSER: `"${process.execPath}" "${script}" '${out}' --flag`,
        BROWSER: `"${process.execPath}" "${script}" '${decoy}'`,
      },
      (line) => warnings.push(line),
    )
    await browser.open(url)
    assert.deepEqual(await readArgs(out), ['--flag', url.href])
    assert.deepEqual(warnings, [])
    await assert.rejects(readFile(decoy), {code: 'ENOENT'})
  })

  it("sends the command's stdout to our stderr, never our stdout", async () => {
    const out = join(dir, 'stdout.json')
    const module = fileURLToPath(new URL('../../src/callback/browser.ts', import.meta.url))
    const driver = `import {createBrowser} from ${JSON.stringify(module)}
await createBrowser(process.env, (l) => process.stderr.write('warn: ' + l + '\\n')).open(new URL('http://127.0.0.1:1/x'))`
    const {stdout, stderr} = await new Promise<{stdout: string; stderr: string}>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', driver],
        {env: {...process.env, ECHO_STDOUT: '1', OAUTHCTL_BROWSER: `"${process.execPath}" "${script}" "${out}"`, BROWSER: ''}},
        (error, stdout, stderr) => (error ? reject(error) : resolve({stdout, stderr})),
      )
    })
    assert.equal(stdout, '')
    assert.match(stderr, /browser stdout/)
    assert.deepEqual(await readArgs(out), ['http://127.0.0.1:1/x'])
  })

  it('falls back to BROWSER, and ignores a blank OAUTHCTL_BROWSER', async () => {
    const out = join(dir, 'second.json')
    const browser = createBrowser({OAUTHCTL_BROWSER: '  ', BROWSER: `"${process.execPath}" "${script}" ${out}`}, () => {})
    await browser.open(url)
    assert.deepEqual(await readArgs(out), [url.href])
  })

  it('warns instead of throwing when the command does not exist', async () => {
    const warnings: string[] = []
    const browser = createBrowser({OAUTHCTL_BROWSER: 'oauthctl-no-such-browser-xyz --x'}, (line) => warnings.push(line))
    await browser.open(url)
    assert.equal(warnings.length, 1)
    assert.match(warnings[0]!, /could not run OAUTHCTL_BROWSER command "oauthctl-no-such-browser-xyz": ENOENT; open the URL above yourself/)
    assert.doesNotMatch(warnings[0]!, /state=/)
  })

  it('warns about an unparsable command', async () => {
    const warnings: string[] = []
    await createBrowser({BROWSER: "'firefox"}, (line) => warnings.push(line)).open(url)
    assert.deepEqual(warnings, ['could not parse BROWSER (unterminated single quote); open the URL above yourself'])
  })
})
