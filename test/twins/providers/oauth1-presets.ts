import {createOAuth1Twin, type OAuth1Twin} from '../oauth1-twin-kit.js'
import {sendJson} from '../twin-kit.js'

/**
 * Twins of the OAuth 1.0a presets besides Trello (src/providers/presets-oauth1.ts): Flickr, Tumblr, Discogs
 * and X. The three legs and the signature, nonce and timestamp checks are test/twins/oauth1-twin-kit.ts;
 * here is what each provider's documentation adds, with the source beside each rule.
 */
type Consumer = {key: string; secret: string}

/**
 * Flickr, https://www.flickr.com/services/api/auth.oauth.html: "Currently, Flickr only supports HMAC-SHA1";
 * legs at https://www.flickr.com/services/oauth/{request_token,authorize,access_token}; the authorize page
 * takes `perms` (read, write or delete); the access-token answer is
 * `fullname=...&oauth_token=...&oauth_token_secret=...&user_nsid=...&username=...`; the same page's example
 * API call is `flickr.test.login` on /services/rest with `format=json&nojsoncallback=1`. The REST endpoint is
 * https://api.flickr.com/services/rest/ (https://www.flickr.com/services/api/request.rest.html); the OAuth
 * page's examples use www.flickr.com, so the twin answers on both. The examples send the legs as GET with
 * the parameters in the query; POST with an Authorization header is the RFC 5849 form oauthctl sends, and
 * what OAuth libraries used with Flickr send (both are accepted).
 */
export function createFlickrTwin(app: Consumer): OAuth1Twin {
  return createOAuth1Twin({
    name: 'flickr',
    hosts: ['www.flickr.com', 'api.flickr.com'],
    consumer: app,
    signatureMethod: 'HMAC-SHA1',
    requestTokenUrl: 'https://www.flickr.com/services/oauth/request_token',
    authorizeUrl: 'https://www.flickr.com/services/oauth/authorize',
    accessTokenUrl: 'https://www.flickr.com/services/oauth/access_token',
    tokenLegMethods: ['GET', 'POST'],
    accessTokenExtra: {fullname: 'Jamal Fanaian', user_nsid: '21207597@N07', username: 'jamalfanaian'},
    isApi: (req) => /^\/services\/rest\/?$/.test(req.url.pathname),
    api(req, res) {
      // https://www.flickr.com/services/api/flickr.test.login.html: the calling user's id and username.
      if (req.url.searchParams.get('method') !== 'flickr.test.login') return sendJson(res, 200, {stat: 'fail', code: 112, message: 'Method not found'})
      return sendJson(res, 200, {user: {id: '21207597@N07', username: {_content: 'jamalfanaian'}}, stat: 'ok'})
    },
  })
}

/** Flickr's authorize page: `perms` is one of read, write, delete (https://www.flickr.com/services/api/auth.oauth.html, "Getting the User Authorization"). */
export const FLICKR_PERMS = ['read', 'write', 'delete']

/**
 * Tumblr, https://www.tumblr.com/docs/en/api/v2#authentication: OAuth 1.0a at
 * https://www.tumblr.com/oauth/{request_token,authorize,access_token}; the API "supports the OAuth 1.0a
 * Protocol, accepting parameters via the Authorization header, with the HMAC-SHA1 signature method only".
 * `GET https://api.tumblr.com/v2/user/info` (#userinfo--get-a-users-information) answers
 * `{meta: {status, msg}, response: {user: {name, likes, following, default_post_format, blogs}}}`; every
 * answer has that envelope, errors too (#status-codes-and-errors: 401 Not Authorized).
 */
export function createTumblrTwin(app: Consumer): OAuth1Twin {
  return createOAuth1Twin({
    name: 'tumblr',
    hosts: ['www.tumblr.com', 'api.tumblr.com'],
    consumer: app,
    signatureMethod: 'HMAC-SHA1',
    requestTokenUrl: 'https://www.tumblr.com/oauth/request_token',
    authorizeUrl: 'https://www.tumblr.com/oauth/authorize',
    accessTokenUrl: 'https://www.tumblr.com/oauth/access_token',
    tokenLegMethods: ['GET', 'POST'],
    refuse: (res, status) => sendJson(res, status, {meta: {status, msg: 'Not Authorized'}, response: []}),
    isApi: (req) => req.url.host === 'api.tumblr.com' && req.url.pathname.startsWith('/v2/'),
    api(req, res) {
      if (req.url.pathname === '/v2/user/info' && req.method === 'GET') {
        return sendJson(res, 200, {meta: {status: 200, msg: 'OK'}, response: {user: {name: 'derekg', likes: 25, following: 263, default_post_format: 'html', blogs: [{name: 'derekg', url: 'https://derekg.org/', primary: true}]}}})
      }
      return sendJson(res, 404, {meta: {status: 404, msg: 'Not Found'}, response: []})
    },
  })
}

/**
 * Discogs, https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow:
 * `GET https://api.discogs.com/oauth/request_token`, the user to https://www.discogs.com/oauth/authorize,
 * `POST https://api.discogs.com/oauth/access_token`, then `GET https://api.discogs.com/oauth/identity`
 * (`{id, username, resource_url, consumer_name}`); every example signs with PLAINTEXT and sends a
 * User-Agent. #page:home,header:home-general-information: "Your application must provide a User-Agent
 * string that identifies itself" (requests without one are refused; the status is not documented, 403 here,
 * and only on api.discogs.com: www.discogs.com is the user's browser).
 */
export function createDiscogsTwin(app: Consumer): OAuth1Twin {
  return createOAuth1Twin({
    name: 'discogs',
    hosts: ['api.discogs.com', 'www.discogs.com'],
    consumer: app,
    signatureMethod: 'PLAINTEXT',
    requestTokenUrl: 'https://api.discogs.com/oauth/request_token',
    authorizeUrl: 'https://www.discogs.com/oauth/authorize',
    accessTokenUrl: 'https://api.discogs.com/oauth/access_token',
    tokenLegMethods: ['GET', 'POST'],
    precheck(req) {
      const agent = req.headers['user-agent'] ?? ''
      // A runtime's default agent ("node", "undici") does not identify the application.
      if (req.url.host === 'api.discogs.com' && (!agent || /^(node|undici)\b/i.test(agent))) return {status: 403, body: 'a User-Agent that identifies the application is required'}
      return undefined
    },
    refuse: (res, status, reason) => sendJson(res, status, {message: `You must authenticate to access this resource. (${reason})`}),
    isApi: (req) => req.url.host === 'api.discogs.com',
    api(req, res) {
      if (req.url.pathname === '/oauth/identity') return sendJson(res, 200, {id: 1, username: 'example', resource_url: 'https://api.discogs.com/users/example', consumer_name: 'Your Application Name'})
      return sendJson(res, 404, {message: 'The requested resource was not found.'})
    },
  })
}

/**
 * X, https://docs.x.com/fundamentals/authentication/api-reference: `POST https://api.x.com/oauth/request_token`
 * (oauth_callback required; it must be one of the app's registered callback URLs, else error 415 "Callback
 * URL not approved"), `GET https://api.x.com/oauth/authorize`, `POST https://api.x.com/oauth/access_token`
 * answering `oauth_token=...&oauth_token_secret=...&user_id=6253282&screen_name=twitterapi`, and
 * `POST https://api.x.com/1.1/oauth/invalidate_token` (signed with the token it invalidates; 200
 * `{"access_token": ...}`, later uses 401 with error 89 "Invalid or expired token"). Requests that do not
 * authenticate get 401 with error 32 "Could not authenticate you"
 * (https://docs.x.com/x-api/fundamentals/response-codes-and-errors). `GET /1.1/account/verify_credentials.json`
 * answers the user object (`id`, `id_str`, `name`, `screen_name`).
 */
export function createXOAuth1Twin(app: Consumer, registeredCallback: string): OAuth1Twin {
  return createOAuth1Twin({
    name: 'x-oauth1',
    hosts: ['api.x.com'],
    consumer: app,
    signatureMethod: 'HMAC-SHA1',
    requestTokenUrl: 'https://api.x.com/oauth/request_token',
    authorizeUrl: 'https://api.x.com/oauth/authorize',
    accessTokenUrl: 'https://api.x.com/oauth/access_token',
    accessTokenExtra: {user_id: '6253282', screen_name: 'twitterapi'},
    checkCallback: (callback) =>
      callback === registeredCallback || callback === 'oob' ? undefined : {status: 403, body: JSON.stringify({errors: [{code: 415, message: 'Callback URL not approved for this client application.'}]})},
    refuse: (res, status, reason) => sendJson(res, status, {errors: [reason === 'invalid token' ? {code: 89, message: 'Invalid or expired token.'} : {code: 32, message: 'Could not authenticate you.'}]}),
    isApi: (req) => req.url.pathname.startsWith('/1.1/'),
    api(req, res, token, twin) {
      if (req.url.pathname === '/1.1/account/verify_credentials.json' && req.method === 'GET') return sendJson(res, 200, {id: 6253282, id_str: '6253282', name: 'X API', screen_name: 'twitterapi'})
      if (/^\/1\.1\/oauth\/invalidate_token(\.json)?$/.test(req.url.pathname) && req.method === 'POST') {
        twin.accessTokens.delete(token)
        return sendJson(res, 200, {access_token: token})
      }
      return sendJson(res, 404, {errors: [{code: 34, message: 'Sorry, that page does not exist.'}]})
    },
  })
}
