import {readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {connect} from 'node:tls'

/** One https request through the twin proxy's CONNECT tunnel, trusting only the test CA. */
export function fetchThroughProxy(
  proxyUrl: string,
  caFile: string,
  url: string,
  headers: Record<string, string>,
  init: {method?: string; body?: string},
): Promise<{status: number; headers: Record<string, string>; body: string}> {
  const target = new URL(url)
  const proxy = new URL(proxyUrl)
  return new Promise((resolve, reject) => {
    const tunnel = httpRequest({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${target.hostname}:443`})
    tunnel.once('error', reject)
    tunnel.once('connect', (response, socket) => {
      if (response.statusCode !== 200) return reject(new Error(`CONNECT refused: ${response.statusCode}`))
      const secure = connect({socket, servername: target.hostname, ca: readFileSync(caFile)})
      const req = httpsRequest(target, {method: init.method ?? 'GET', headers, createConnection: () => secure})
      req.once('error', reject)
      req.once('response', (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => {
          secure.destroy()
          resolve({status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body})
        })
      })
      req.end(init.body)
    })
    tunnel.end()
  })
}
