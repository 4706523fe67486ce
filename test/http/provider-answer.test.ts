import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {describeErrorInOk, errorInOkAnswer, errorsInOkShapeOf, inspectProviderAnswer} from '../../src/http/provider-answer.js'
import {SLACK_ERRORS_IN_OK, type ProviderPreset} from '../../src/providers/preset.js'
import {flickrPreset, FLICKR_ERRORS_IN_OK} from '../../src/providers/presets-oauth1.js'
import {builtinPresets} from '../../src/providers/presets.js'

const getPreset = (name: string) => builtinPresets().find((preset) => preset.name === name)

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status, statusText: status === 200 ? 'OK' : 'Bad Request', headers: {'content-type': 'application/json'}})

describe('errors answered with a success status: one mechanism, a shape per preset', () => {
  it('Slack {"ok": false, "error"} and Flickr {"stat": "fail", "code", "message"} are failures in their own words', () => {
    assert.deepEqual(errorInOkAnswer(SLACK_ERRORS_IN_OK, {ok: false, error: 'invalid_auth'}), {error: 'invalid_auth', said: '"ok": false, "error": "invalid_auth"'})
    assert.deepEqual(errorInOkAnswer(FLICKR_ERRORS_IN_OK, {stat: 'fail', code: 98, message: 'Invalid auth token'}), {error: '98', said: '"stat": "fail", "code": 98, "message": "Invalid auth token"'})
  })

  it('success bodies, other shapes and look-alikes are not failures', () => {
    for (const body of [{stat: 'ok'}, {stat: 'FAIL', code: 1}, {ok: false, error: 'x'}, {stat: true}, ['stat', 'fail'], 'fail', null, 42]) {
      assert.equal(errorInOkAnswer(FLICKR_ERRORS_IN_OK, body), undefined, JSON.stringify(body))
    }
    assert.equal(errorInOkAnswer(SLACK_ERRORS_IN_OK, {ok: 'false', error: 'x'}), undefined, 'the string "false" is not false')
    assert.equal(errorInOkAnswer(SLACK_ERRORS_IN_OK, {ok: true}), undefined)
  })

  it('provider text reaches the terminal escaped and cut: no escape sequence, at most 200 characters a member', () => {
    const found = errorInOkAnswer(FLICKR_ERRORS_IN_OK, {stat: 'fail', code: '\u001b[2J1', message: `\u001b]0;pwned\u0007${'x'.repeat(500)}`})!
    assert.ok(!/[\u0000-\u001f]/.test(found.said), found.said)
    assert.match(found.said, /^"stat": "fail", "code": "\\u001b\[2J1", "message": "\\u001b\]0;pwned\\u0007x+\u2026"$/)
    assert.ok(found.said.length < 300, String(found.said.length))
    assert.deepEqual(errorInOkAnswer(FLICKR_ERRORS_IN_OK, {stat: 'fail'}), {error: 'unknown_error', said: '"stat": "fail"'})
  })

  it('the presets: slack and flickr have a shape, `true` in a config means Slack\u2019s, a malformed one none', () => {
    assert.equal(errorsInOkShapeOf(getPreset('slack')!), SLACK_ERRORS_IN_OK)
    assert.equal(errorsInOkShapeOf(flickrPreset), FLICKR_ERRORS_IN_OK)
    const custom = (apiErrorsAsOk: unknown) => ({...flickrPreset, quirks: {apiErrorsAsOk}}) as unknown as ProviderPreset
    assert.equal(errorsInOkShapeOf(custom(true)), SLACK_ERRORS_IN_OK)
    for (const bad of [false, 'stat', {flag: 1, error: []}, {flag: 'stat', error: 'code'}]) assert.equal(errorsInOkShapeOf(custom(bad)), undefined, JSON.stringify(bad))
    assert.equal(errorsInOkShapeOf(getPreset('github')!), undefined)
  })

  it('inspectProviderAnswer finds Flickr\u2019s failure in an HTTP 200 answer and keeps the body readable', async () => {
    const answer = await inspectProviderAnswer(flickrPreset, json({stat: 'fail', code: 112, message: 'Method "x" not found'}))
    assert.equal(answer.errorInOk?.error, '112')
    assert.equal(describeErrorInOk(answer.response, 'Flickr', answer.errorInOk!), 'OK, but Flickr answered "stat": "fail", "code": 112, "message": "Method \\"x\\" not found"')
    assert.deepEqual(await answer.response.json(), {stat: 'fail', code: 112, message: 'Method "x" not found'})
    assert.equal((await inspectProviderAnswer(flickrPreset, json({stat: 'ok'}))).errorInOk, undefined)
  })
})
