import type {ServerResponse} from 'node:http'
import {sendJson, type TokenGrant, type TwinRequest} from '../twin-kit.js'

/** An API handler from a table of `path -> body`; a missing or revoked token is `unauthorized`. */
export function apiTable(routes: Record<string, (req: TwinRequest) => unknown>, unauthorized: {status: number; body: unknown}) {
  return (req: TwinRequest, res: ServerResponse, grant: TokenGrant | undefined) => {
    if (!grant) return sendJson(res, unauthorized.status, unauthorized.body)
    const route = routes[`${req.method} ${req.host}${req.url.pathname}`]
    if (!route) return sendJson(res, 404, {message: 'Not Found'})
    const answer = route(req)
    if (Array.isArray(answer) && typeof answer[0] === 'number') return sendJson(res, answer[0] as number, answer[1], (answer[2] ?? {}) as Record<string, string>)
    sendJson(res, 200, answer)
  }
}
