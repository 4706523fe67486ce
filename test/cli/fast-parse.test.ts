import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Parser} from '@oclif/core'
import {globalFlags, type CommandSpec} from '../../src/cli/flag-spec.js'
import {parseFast} from '../../src/cli/fast-parse.js'
import {toOclifArgs, toOclifFlags} from '../../src/cli/oclif-flags.js'
import {spec as tokenSpec} from '../../src/cli/specs/token.js'

const demo: CommandSpec = {
  id: 'demo',
  summary: 'demo',
  args: [{name: 'path', description: 'path', required: true}],
  flags: {
    provider: {type: 'string', char: 'p', description: 'provider'},
    header: {type: 'string', char: 'H', multiple: true, description: 'header', default: []},
    include: {type: 'boolean', char: 'i', description: 'include'},
    browser: {type: 'boolean', allowNo: true, default: true, description: 'browser'},
    timeout: {type: 'integer', min: 1, default: 300, description: 'timeout'},
    secret: {type: 'string', env: 'DEMO_SECRET', description: 'secret'},
  },
}

async function oclifParse(spec: CommandSpec, argv: string[]) {
  try {
    const {args, flags} = await Parser.parse(argv, {
      flags: toOclifFlags({...globalFlags, ...spec.flags}),
      args: toOclifArgs(spec.args),
      strict: true,
    })
    return {args, flags}
  } catch {
    return undefined
  }
}

describe('the fast parser agrees with oclif on every argv it accepts, and declines the rest', () => {
  const cases: [CommandSpec, string[]][] = [
    [demo, ['/v2/me']],
    [demo, ['-p', 'github', '/user']],
    [demo, ['/user', '--provider=github', '-i']],
    [demo, ['-H', 'A: 1', '-H', 'B: 2', '/x']],
    [demo, ['--no-browser', '--timeout', '5', '/x']],
    [demo, ['--debug', '/x']],
    [tokenSpec, []],
    [tokenSpec, ['linkedin', '--profile', 'work', '--json']],
    [tokenSpec, ['github', '--header']],
    [tokenSpec, ['--curl-config']],
    [tokenSpec, ['--netrc', 'api.github.com', 'github']],
    [demo, ['--provider=', '/x']],
    [demo, ['/x', '--header=A: 1', '-H', 'B: 2', '--no-browser']],
    [demo, ['-p', '-', '/x']],
  ]
  for (const [spec, argv] of cases) {
    it(`${spec.id} ${argv.join(' ')}`, async () => {
      const fast = parseFast(spec, argv, {})
      const slow = await oclifParse(spec, argv)
      assert.ok(fast, 'the fast path handles it')
      assert.ok(slow, 'oclif accepts it')
      for (const [name, value] of Object.entries(fast.flags)) {
        assert.deepEqual(value, (slow.flags as Record<string, unknown>)[name], `flag ${name}`)
      }
      assert.deepEqual(fast.args, {...Object.fromEntries(spec.args.map((a) => [a.name, undefined])), ...slow.args})
    })
  }

  const declined: [CommandSpec, string[], string][] = [
    [demo, ['/x', '--bogus'], 'unknown flag'],
    [demo, [], 'missing required argument'],
    [demo, ['/x', 'extra'], 'unexpected argument'],
    [demo, ['--timeout', 'soon', '/x'], 'not an integer'],
    [demo, ['--timeout', '0', '/x'], 'below the minimum'],
    [demo, ['-p', 'a', '-p', 'b', '/x'], 'a single-value flag given twice'],
    [demo, ['--help'], 'help'],
    [tokenSpec, ['-h'], 'help'],
    [tokenSpec, ['--header', '--json'], 'output formats exclude each other'],
    [tokenSpec, ['--curl-config', '--netrc', 'h'], 'output formats exclude each other'],
    [tokenSpec, ['--netrc=h', '--header'], 'output formats exclude each other'],
    [demo, ['--', '/x'], 'the end-of-flags marker'],
    [demo, ['-iH', 'A: 1', '/x'], 'grouped short flags'],
    [demo, ['-Hvalue', '/x'], 'a short flag with its value attached'],
    [demo, ['--include=yes', '/x'], 'a boolean given a value'],
    [demo, ['/x', '--provider'], 'a flag without its value'],
    [demo, ['--provider', '--debug', '/x'], 'a value that looks like a flag'],
    [demo, ['--no-include', '/x'], 'a negation the flag does not allow'],
    [demo, ['--browser', '--no-browser', '/x'], 'a flag and its negation'],
    [demo, ['-z', '/x'], 'an unknown short flag'],
    [demo, ['--__proto__', '/x'], 'a flag named like an object key'],
    [demo, ['--no-__proto__', '/x'], 'a negation named like an object key'],
  ]
  for (const [spec, argv, why] of declined) {
    it(`declines ${spec.id} ${argv.join(' ')} (${why}) so oclif prints its own message`, async () => {
      assert.equal(parseFast(spec, argv, {}), undefined)
      if (why === 'output formats exclude each other') assert.equal(await oclifParse(spec, argv), undefined, 'oclif refuses it too')
    })
  }

  it('takes a value from the flag\'s environment variable, and the flag wins over it', () => {
    assert.equal(parseFast(demo, ['/x'], {DEMO_SECRET: 's3cret'})?.flags.secret, 's3cret')
    assert.equal(parseFast(demo, ['/x', '--secret', 'flag'], {DEMO_SECRET: 's3cret'})?.flags.secret, 'flag')
  })
})
