import {createOAuth1Twin, type OAuth1Twin} from '../oauth1-twin-kit.js'
import {sendJson} from '../twin-kit.js'

/**
 * Trello as its "Using Basic OAuth" documentation describes it
 * (https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/): OAuth 1.0a with
 * HMAC-SHA1 at https://trello.com/1/OAuthGetRequestToken, /1/OAuthAuthorizeToken (which takes `name`,
 * `scope` and `expiration`) and /1/OAuthGetAccessToken; the REST API at https://api.trello.com/1 with the
 * same signatures (`GET /1/members/me`). The legs and signature checks are test/twins/oauth1-twin-kit.ts.
 */
export type TrelloTwin = OAuth1Twin

export function createTrelloTwin(app: {key: string; secret: string}): TrelloTwin {
  return createOAuth1Twin({
    name: 'trello',
    hosts: ['trello.com', 'api.trello.com'],
    consumer: app,
    signatureMethod: 'HMAC-SHA1',
    requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
    authorizeUrl: 'https://trello.com/1/OAuthAuthorizeToken',
    accessTokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
    isApi: (req) => req.url.host === 'api.trello.com' && req.url.pathname.startsWith('/1/'),
    api(req, res) {
      if (req.url.pathname === '/1/members/me') return sendJson(res, 200, {id: '5f1a', username: 'ada', fullName: 'Ada Lovelace'})
      if (req.url.pathname === '/1/cards' && req.method === 'POST') return sendJson(res, 200, {name: req.form.get('name'), idList: req.form.get('idList') ?? req.url.searchParams.get('idList')})
      return sendJson(res, 404, {message: 'not found'})
    },
  })
}
