import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {renderQrCode} from '../../src/login/device-login.js'

const zbarimg = '/usr/bin/zbarimg'
const skip = !existsSync(zbarimg) && process.env.CI !== 'true' ? 'zbar-tools is not installed (apt-get install zbar-tools)' : false

/**
 * Turns the printed QR code back into an image: each character is two modules stacked, `█` both light,
 * `▀` the top one light, `▄` the bottom one light, a space both dark. Light is white in the image.
 */
function toPgm(art: string, scale = 8): Buffer {
  const rows: boolean[][] = []
  for (const line of art.split('\n')) {
    const chars = [...line]
    rows.push(chars.map((ch) => ch === '█' || ch === '▀'), chars.map((ch) => ch === '█' || ch === '▄'))
  }
  const width = rows[0].length * scale
  const height = rows.length * scale
  const pixels = Buffer.alloc(width * height)
  rows.forEach((row, y) =>
    row.forEach((light, x) => {
      for (let dy = 0; dy < scale; dy++) pixels.fill(light ? 255 : 0, (y * scale + dy) * width + x * scale, (y * scale + dy) * width + (x + 1) * scale)
    }),
  )
  return Buffer.concat([Buffer.from(`P5 ${width} ${height} 255\n`), pixels])
}

describe('the device-flow QR code scans back to the URL (zbarimg)', {skip}, () => {
  for (const url of ['http://127.0.0.1:9000/device?user_code=WDJB-MJHT', 'https://github.com/login/device', 'https://microsoft.com/devicelogin?otc=ABCD1234EFGH']) {
    it(url, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'oauthctl-qr-'))
      try {
        const file = join(dir, 'qr.pgm')
        writeFileSync(file, toPgm(await renderQrCode(url)))
        const result = spawnSync(zbarimg, ['-q', '--raw', file], {encoding: 'utf8'})
        assert.equal(result.stdout.trim(), url)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })
  }
})
