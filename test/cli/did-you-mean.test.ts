import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {closestMatch, closestShortFlag, correctedCommand, editDistance, suggestionHint} from '../../src/cli/did-you-mean.js'

describe('did-you-mean for short flags', () => {
  const shorts = ['-p', '-H', '-i', '-q', '-h']
  const longs = ['--provider', '--profile', '--header', '--include', '--json', '--paginate', '--help']

  it('the same letter in the other case: -P for -p, -I for -i, -h for -H', () => {
    assert.equal(closestShortFlag('-P', shorts, longs), '-p')
    assert.equal(closestShortFlag('-I', shorts, longs), '-i')
    assert.equal(closestShortFlag('-Q', shorts, longs), '-q')
    assert.equal(closestShortFlag('-h', ['-H'], longs), '-H')
  })

  it('no other letter, however close (edit distance 1 would match any short flag)', () => {
    for (const wrong of ['-x', '-o', '-J', '-1', '-', '-?']) assert.equal(closestShortFlag(wrong, shorts, longs), undefined, wrong)
  })

  it('never help for another letter: -H is curl\'s and gh\'s --header when the command has it, else nothing', () => {
    const token = {shorts: ['-p', '-h'], longs: ['--provider', '--profile', '--header', '--json', '--jq', '--help']}
    assert.equal(closestShortFlag('-H', token.shorts, token.longs), '--header')
    assert.equal(closestShortFlag('-H', ['-p', '-h'], ['--provider', '--help']), undefined)
    assert.equal(closestShortFlag('-H', ['-h'], ['--help', '--hostname']), undefined, 'not any long flag starting with h')
    assert.equal(closestShortFlag('-X', ['-h'], ['--method', '--help']), '--method')
    assert.equal(closestShortFlag('-v', ['-h'], ['--debug', '--help']), '--debug')
    assert.equal(closestShortFlag('-x', ['-h'], ['--method', '--help']), undefined, 'lower-case x means nothing to curl or gh')
  })

  it('a long flag typed with one dash: -paginate, -jsn; never a negative number', () => {
    assert.equal(closestShortFlag('-paginate', shorts, longs), '--paginate')
    assert.equal(closestShortFlag('-jsn', shorts, longs), '--json')
    assert.equal(closestShortFlag('-12', shorts, longs), undefined)
    assert.equal(closestShortFlag('-zzzzzz', shorts, longs), undefined)
  })

  it('the hint runs the corrected command, with the known match', () => {
    assert.equal(suggestionHint(['token', '-P', 'github'], '-P', [], '-p'), 'Did you mean this? -p\nRun: oauthctl token -p github')
  })
})

describe('did-you-mean', () => {
  it('edit distance counts an adjacent transposition as one edit (Damerau)', () => {
    assert.equal(editDistance('login', 'login'), 0)
    assert.equal(editDistance('lgoin', 'login'), 1)
    assert.equal(editDistance('logn', 'login'), 1)
    assert.equal(editDistance('githb', 'github'), 1)
    assert.equal(editDistance('', 'abc'), 3)
    assert.equal(editDistance('kitten', 'sitting'), 3)
  })

  it('suggests only what is close enough to be a typo', () => {
    const commands = ['login', 'logout', 'token', 'get', 'status', 'switch']
    assert.equal(closestMatch('logn', commands), 'login')
    assert.equal(closestMatch('stauts', commands), 'status')
    assert.equal(closestMatch('swtich', commands), 'switch')
    assert.equal(closestMatch('frobnicate', commands), undefined)
    assert.equal(closestMatch('x', ['sandbox', 'x', 'box']), undefined, 'an exact match is not a typo')
    assert.equal(closestMatch('gt', commands), 'get')
    assert.equal(closestMatch('zz', commands), undefined)
    assert.equal(closestMatch('--paginat', ['--paginate', '--profile']), '--paginate')
    assert.equal(closestMatch('GITHUB', ['github']), 'github')
  })

  it('the corrected command replaces the mistyped word and quotes for a POSIX shell', () => {
    assert.equal(correctedCommand(['logn', 'sandbox'], 'logn', 'login'), 'oauthctl login sandbox')
    assert.equal(correctedCommand(['get', '--paginat=1', '/x'], '--paginat', '--paginate'), 'oauthctl get --paginate=1 /x')
    assert.equal(correctedCommand(['get', '-H', 'Accept: x', '$(rm -rf ~)'], '-X', '-H'), "oauthctl get -H 'Accept: x' '$(rm -rf ~)' -H")
    assert.equal(correctedCommand(['login', 'githb', '--client-id', "it's"], 'githb', 'github'), "oauthctl login github --client-id 'it'\\''s'")
  })

  it('the hint is the suggestion and the command, or nothing', () => {
    assert.equal(suggestionHint(['providers', 'lst'], 'lst', ['list', 'show']), 'Did you mean this? list\nRun: oauthctl providers list')
    assert.equal(suggestionHint(['providers', 'qqqq'], 'qqqq', ['list', 'show']), undefined)
  })
})
