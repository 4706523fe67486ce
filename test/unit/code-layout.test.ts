import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

/**
 * The README's "How the code is laid out" names every folder of src/, one line each, and no other; the
 * flat src/flows/ that the regroup (issue 10) split by concern does not come back.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The text of one `## ` section of a Markdown document, without its heading; undefined if it is absent. */
export function readSection(markdown: string, heading: string): string | undefined {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  if (start === -1) return undefined
  const body = markdown.slice(start + heading.length + 5)
  const end = body.indexOf('\n## ')
  return end === -1 ? body : body.slice(0, end)
}

/** The folders a layout section lists, from its lines of the form ``- `src/NAME/`: ...``. */
export function readListedFolders(section: string): string[] {
  return [...section.matchAll(/^- `src\/([^`/]+)\/`:/gm)].map((match) => match[1]).sort()
}

function listFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}

const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README: how the code is laid out', () => {
  it('has one line for each folder of src/, and none for a folder that does not exist', () => {
    const section = readSection(readme, 'How the code is laid out')
    assert.ok(section, 'README.md has a "## How the code is laid out" section')
    const listed = readListedFolders(section)
    assert.equal(new Set(listed).size, listed.length, `a folder is listed twice: ${listed.join(', ')}`)
    assert.deepEqual(listed, listFolders(join(root, 'src')))
  })

  it('reads the listed folders from the section only, in its "- `src/NAME/`:" lines', () => {
    const markdown = ['# x', '', '## How the code is laid out', '', '- `src/a/`: one', 'not `src/b/`: a list line', '- `src/c/`: two', '', '## Next', '', '- `src/d/`: elsewhere'].join('\n')
    const section = readSection(markdown, 'How the code is laid out')
    assert.ok(section)
    assert.deepEqual(readListedFolders(section), ['a', 'c'])
    assert.equal(readSection(markdown, 'Missing'), undefined)
  })

  it('says why openid-client and @napi-rs/keyring serve instead of simple-oauth2 and keytar', () => {
    const section = readSection(readme, 'Why these dependencies')
    assert.ok(section, 'README.md has a "## Why these dependencies" section')
    for (const name of ['openid-client', 'simple-oauth2', '@napi-rs/keyring', 'keytar']) assert.ok(section.includes(name), `it names ${name}`)
    assert.match(section, /\| openid-client \|[^\n]*\| ~\d+ ms \|/, 'with the measured import cost of openid-client')
    assert.match(section, /\| @napi-rs\/keyring \|[^\n]*\| ~\d+ ms \|/, 'with the measured import cost of @napi-rs/keyring')
  })
})

describe('src/flows does not come back', () => {
  it('neither src/flows/ nor test/flows/ exists', () => {
    assert.equal(existsSync(join(root, 'src', 'flows')), false, 'src/flows/ was split by concern: put the file in the folder its concern names (README, "How the code is laid out")')
    assert.equal(existsSync(join(root, 'test', 'flows')), false, 'test/flows/ was split by concern: test/ mirrors src/')
  })

  it('no source or test names a path through a flows/ folder', () => {
    const offenders = [...listFiles(join(root, 'src')), ...listFiles(join(root, 'test'))]
      .filter((file) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(file))
      .filter((file) => /['"`](\.\.?\/)+(src\/)?flows\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    assert.deepEqual(offenders, [])
  })
})
