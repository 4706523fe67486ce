import {UsageError} from '../errors.js'
import {tokenFlag, type FlagSpec, type FlagValue} from '../cli/flag-spec.js'
import type {ApiRequestInput} from './api-request.js'
import {resolveTimeouts} from './timeouts.js'

/**
 * The flags of `get`, `post`, `put`, `patch`, `delete` and `request`, as plain data: the one definition
 * that the oclif commands (src/cli/spec-command.ts) and the fast path (src/cli/fast-path.ts) share.
 * This module must not import @oclif/core.
 */
export const API_FLAG_SPECS = {
  token: tokenFlag,
  provider: {type: 'string', char: 'p', helpValue: 'NAME', description: 'Provider to use instead of the default.'},
  profile: {type: 'string', helpValue: 'NAME', description: 'Profile name.'},
  header: {type: 'string', char: 'H', multiple: true, helpValue: '"NAME: VALUE"', description: 'Request header (repeatable).'},
  query: {type: 'string', char: 'q', multiple: true, helpValue: 'KEY=VALUE', description: 'Query parameter added to the URL (repeatable).'},
  'raw-field': {
    type: 'string',
    char: 'f',
    multiple: true,
    helpValue: 'KEY=VALUE',
    description:
      'String field (repeatable): sent in a JSON body, or in the query string for GET and HEAD. Nested keys: a[b]=c, list[]=x, list[] (empty list).',
  },
  field: {
    type: 'string',
    char: 'F',
    multiple: true,
    helpValue: 'KEY=VALUE',
    description: 'Typed field (repeatable), like -f but true, false, null and numbers become JSON values, and @FILE or @- (stdin) sends the contents.',
  },
  data: {type: 'string', helpValue: '@FILE|-|TEXT', description: 'Raw request body: @FILE, - (stdin) or the text itself. Not with -f/-F, GET or HEAD.'},
  'content-type': {
    type: 'string',
    helpValue: 'TYPE',
    description: 'Content-Type of the body. Default: application/json for fields and for --data that parses as JSON, else application/octet-stream.',
  },
  include: {type: 'boolean', char: 'i', description: 'Print the status line and response headers before the body (as curl -i).'},
  jq: {
    type: 'string',
    helpValue: 'EXPR',
    description: 'Filter the JSON response with jq (as gh api --jq): strings print raw, other values as JSON, one per line; with --paginate, each page.',
  },
  silent: {type: 'boolean', description: 'Print nothing on stdout; failures still go to stderr and set the exit code.'},
  paginate: {type: 'boolean', description: 'GET every page (Link rel="next", or the provider\'s body style), each written as it arrives.'},
  slurp: {type: 'boolean', description: 'With --paginate: merge the pages\' items into one JSON array.'},
  'allow-host': {
    type: 'string',
    multiple: true,
    helpValue: 'HOST',
    description: 'Also allow sending the token to this host or origin (repeatable; *.example.com for subdomains).',
  },
  timeout: {
    type: 'string',
    helpValue: 'SECONDS',
    env: 'OAUTHCTL_TIMEOUT',
    description: 'Give up when the server sends nothing for this long (default 30, 0 for no limit; idempotent requests are retried first). Also for a refresh.',
  },
  'connect-timeout': {
    type: 'string',
    helpValue: 'SECONDS',
    env: 'OAUTHCTL_CONNECT_TIMEOUT',
    description: 'Give up when the connection is not made within this long (default 10, or --timeout if smaller).',
  },
} satisfies Record<string, FlagSpec>

/** `request` only: the method (checked in {@link checkMethodFlag}, for a clearer error than oclif's). */
export const METHOD_FLAG_SPECS = {
  method: {type: 'string', char: 'X', helpValue: 'METHOD', description: 'HTTP method (GET, POST, OPTIONS, ...). Required.'},
} satisfies Record<string, FlagSpec>

/** The verbs (`get`, `post`, ...): a hidden `-X`, accepted only to say which command to run instead. */
export const VERB_METHOD_FLAG_SPECS = {
  method: {type: 'string', char: 'X', helpValue: 'METHOD', hidden: true, description: 'Not for this command: the method is the command name.'},
} satisfies Record<string, FlagSpec>

const VERBS = ['get', 'post', 'put', 'patch', 'delete']

/**
 * `get -X POST` (gh's `api -X`) and `request` without `-X` are usage errors that name the command to run.
 * `verb` is the command's method, undefined for `request`.
 */
export function checkMethodFlag(verb: string | undefined, method: FlagValue, path: string): void {
  if (verb === undefined) {
    if (typeof method === 'string' && method) return
    throw new UsageError('`request` needs the method: -X METHOD', {
      hint: `For example: oauthctl request -X OPTIONS ${path}  (GET, POST, PUT, PATCH and DELETE have their own commands: oauthctl get ${path})`,
    })
  }
  if (method === undefined) return
  const wanted = String(method).toLowerCase()
  const instead = VERBS.includes(wanted) ? `oauthctl ${wanted} ${path}` : `oauthctl request -X ${String(method).toUpperCase()} ${path}`
  throw new UsageError(`\`${verb.toLowerCase()}\` has no -X: the method is the command name`, {hint: `Did you mean \`${instead}\`?`})
}

/** The one argument: a path under the provider's API base, or an absolute URL on one of its API hosts. */
export const API_PATH_ARG = {name: 'path', required: true, description: 'API path (/v2/me) or absolute URL on an API host.'} as const

export const API_COMMAND_DESCRIPTION = `A path is resolved against the provider's API base; an absolute URL must be on the provider's API hosts (or --allow-host), otherwise exit 3 and nothing is sent.
Fields (-f/-F) become a JSON body, or the query string for GET and HEAD. The body goes to stdout byte for byte when piped, pretty-printed JSON on a terminal.
GET, HEAD, PUT and DELETE are retried up to 3 times after a connection reset, a timeout (--connect-timeout, --timeout) or a 429/503 (waiting as Retry-After says, at most 60 s).
A 401 triggers one refresh and one retry. Status >= 400 writes the body, the status line on stderr, and exits 7; no stored token exits 4.`

/** The flow's input from parsed flags. */
export function apiRequestInput(method: string, pathOrUrl: string, flags: Record<string, FlagValue>): ApiRequestInput {
  const list = (name: string): string[] => (flags[name] as string[] | undefined) ?? []
  const text = (name: string): string | undefined => flags[name] as string | undefined
  return {
    provider: text('provider'),
    profile: text('profile'),
    method,
    pathOrUrl,
    headers: list('header'),
    query: list('query'),
    rawFields: list('raw-field'),
    typedFields: list('field'),
    data: text('data'),
    contentType: text('content-type'),
    allowHosts: list('allow-host'),
    include: flags.include === true,
    silent: flags.silent === true,
    paginate: flags.paginate === true,
    jq: text('jq'),
    slurp: flags.slurp === true,
    timeouts: resolveTimeouts({timeout: text('timeout'), connectTimeout: text('connect-timeout')}),
  }
}
