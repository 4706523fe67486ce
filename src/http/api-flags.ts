import type {ApiRequestInput} from '../flows/api-request.js'

/**
 * The flags of `get`, `post`, `put`, `patch`, `delete` and `request`, as plain data: the one definition
 * that the oclif commands (via api-flags-oclif.ts) and any argv parser that runs without oclif share.
 * This module must not import @oclif/core.
 */
export interface ApiFlagSpec {
  kind: 'boolean' | 'string'
  /** One-letter alias (`-H`). */
  char?: string
  /** Repeatable; the value is a list (undefined when absent). */
  multiple?: boolean
  required?: boolean
  description: string
  /** Placeholder in --help (`KEY=VALUE`). */
  helpValue?: string
}

export const API_FLAG_SPECS = {
  provider: {kind: 'string', char: 'p', helpValue: 'NAME', description: 'Provider to use instead of the default.'},
  profile: {kind: 'string', helpValue: 'NAME', description: 'Profile name.'},
  header: {kind: 'string', char: 'H', multiple: true, helpValue: '"NAME: VALUE"', description: 'Request header (repeatable).'},
  query: {kind: 'string', char: 'q', multiple: true, helpValue: 'KEY=VALUE', description: 'Query parameter added to the URL (repeatable).'},
  'raw-field': {
    kind: 'string',
    char: 'f',
    multiple: true,
    helpValue: 'KEY=VALUE',
    description:
      'String field (repeatable): sent in a JSON body, or in the query string for GET and HEAD. Nested keys: a[b]=c, list[]=x, list[] (empty list).',
  },
  field: {
    kind: 'string',
    char: 'F',
    multiple: true,
    helpValue: 'KEY=VALUE',
    description: 'Typed field (repeatable), like -f but true, false, null and numbers become JSON values, and @FILE or @- (stdin) sends the contents.',
  },
  data: {kind: 'string', helpValue: '@FILE|-|TEXT', description: 'Raw request body: @FILE, - (stdin) or the text itself. Not with -f/-F, GET or HEAD.'},
  'content-type': {
    kind: 'string',
    helpValue: 'TYPE',
    description: 'Content-Type of the body. Default: application/json for fields and for --data that parses as JSON, else application/octet-stream.',
  },
  include: {kind: 'boolean', char: 'i', description: 'Print the status line and response headers before the body (as curl -i).'},
  silent: {kind: 'boolean', description: 'Print nothing on stdout; failures still go to stderr and set the exit code.'},
  paginate: {kind: 'boolean', description: 'GET every page (Link rel="next", or the provider\'s body style), each written as it arrives.'},
  slurp: {kind: 'boolean', description: 'With --paginate: merge the pages\' items into one JSON array.'},
  'allow-host': {
    kind: 'string',
    multiple: true,
    helpValue: 'HOST',
    description: 'Also allow sending the token to this host or origin (repeatable; *.example.com for subdomains).',
  },
} as const satisfies Record<string, ApiFlagSpec>

/** `request` only: the method. */
export const METHOD_FLAG_SPECS = {
  method: {kind: 'string', char: 'X', required: true, helpValue: 'METHOD', description: 'HTTP method (GET, POST, OPTIONS, ...).'},
} as const satisfies Record<string, ApiFlagSpec>

/** The one argument: a path under the provider's API base, or an absolute URL on one of its API hosts. */
export const API_PATH_ARG = {name: 'path', required: true, description: 'API path (/v2/me) or absolute URL on an API host.'} as const

export const API_COMMAND_DESCRIPTION = `A path is resolved against the provider's API base; an absolute URL must be on the provider's API hosts (or --allow-host), otherwise exit 3 and nothing is sent.
Fields (-f/-F) become a JSON body, or the query string for GET and HEAD. The body goes to stdout byte for byte when piped, pretty-printed JSON on a terminal.
GET, HEAD, PUT and DELETE are retried up to 3 times after a connection reset or a 429/503 (waiting as Retry-After says, at most 60 s).
A 401 triggers one refresh and one retry. Status >= 400 writes the body, the status line on stderr, and exits 7; no stored token exits 4.`

/** The parsed value of a flag, from its spec. */
export type ApiFlagValue<S> = S extends {kind: 'boolean'} ? boolean : S extends {multiple: true} ? string[] | undefined : S extends {required: true} ? string : string | undefined

export type ApiFlagValues = {-readonly [K in keyof typeof API_FLAG_SPECS]: ApiFlagValue<(typeof API_FLAG_SPECS)[K]>}

/** The flow's input from parsed flags. */
export function apiRequestInput(method: string, pathOrUrl: string, flags: ApiFlagValues): ApiRequestInput {
  return {
    provider: flags.provider,
    profile: flags.profile,
    method,
    pathOrUrl,
    headers: flags.header ?? [],
    query: flags.query ?? [],
    rawFields: flags['raw-field'] ?? [],
    typedFields: flags.field ?? [],
    data: flags.data,
    contentType: flags['content-type'],
    allowHosts: flags['allow-host'] ?? [],
    include: flags.include,
    silent: flags.silent,
    paginate: flags.paginate,
    slurp: flags.slurp,
  }
}
