import type {Context} from '../../context.js'
import {API_COMMAND_DESCRIPTION, API_FLAG_SPECS, API_PATH_ARG, METHOD_FLAG_SPECS, VERB_METHOD_FLAG_SPECS, apiRequestInput, checkMethodFlag} from '../../http/api-flags.js'
import {applyTokenFlag, type CommandSpec, type ParsedCommand} from '../flag-spec.js'

/** One API verb: its spec (shared by oclif and the fast path) and what it runs. */
export interface ApiCommand {
  spec: CommandSpec
  run(ctx: Context, parsed: ParsedCommand): Promise<void>
}

function apiCommand(id: string, method: string | undefined, summary: string, examples: string[]): ApiCommand {
  return {
    spec: {
      id,
      summary,
      description: API_COMMAND_DESCRIPTION,
      examples,
      args: [API_PATH_ARG],
      flags: method ? {...VERB_METHOD_FLAG_SPECS, ...API_FLAG_SPECS} : {...METHOD_FLAG_SPECS, ...API_FLAG_SPECS},
    },
    async run(ctx, {args, flags}) {
      checkMethodFlag(method, flags.method, String(args.path))
      applyTokenFlag(ctx, flags)
      const {runApiRequest} = await import('../../http/api-request.js')
      await runApiRequest(ctx, apiRequestInput(method ?? String(flags.method), String(args.path), flags))
    },
  }
}

export const apiCommands = {
  get: apiCommand('get', 'GET', 'GET an API path with the stored token and print the response body.', [
    '<%= config.bin %> get /v2/me | jq .id',
    "<%= config.bin %> get /v2/me --jq '.id'",
    "<%= config.bin %> get -p sandbox /items --paginate --jq '.items[] | select(.id > 1) | .name'",
    '<%= config.bin %> get -p sandbox /items -q per_page=5 --paginate --slurp | jq length',
    "<%= config.bin %> get -i /items -H 'Accept: application/json'",
  ]),
  post: apiCommand('post', 'POST', 'POST to an API path with the stored token: fields as a JSON body, or --data.', [
    "<%= config.bin %> post -p sandbox /echo -f title=Bug -F draft=false -f 'labels[]=bug'",
    'echo hello | <%= config.bin %> post /echo --data @- --content-type text/plain',
    `jq -n '{name: "x"}' | <%= config.bin %> post /echo --data -`,
  ]),
  put: apiCommand('put', 'PUT', 'PUT to an API path with the stored token (fields as a JSON body, or --data).', [
    '<%= config.bin %> put -p sandbox /echo',
    '<%= config.bin %> put /echo -F count=3 -F enabled=true',
  ]),
  patch: apiCommand('patch', 'PATCH', 'PATCH an API path with the stored token (fields as a JSON body, or --data).', [
    '<%= config.bin %> patch /echo -f name=new --content-type application/merge-patch+json',
  ]),
  delete: apiCommand('delete', 'DELETE', 'DELETE an API path with the stored token.', [
    '<%= config.bin %> delete /echo',
    '<%= config.bin %> delete /echo -q force=true --silent',
  ]),
  request: apiCommand('request', undefined, 'Send a request with any method (-X) to an API path with the stored token.', [
    '<%= config.bin %> request -X OPTIONS /echo',
    '<%= config.bin %> request -X HEAD -i /items',
    "<%= config.bin %> request -X PROPFIND /echo --data '<propfind xmlns=\"DAV:\"/>' --content-type application/xml",
  ]),
} satisfies Record<string, ApiCommand>
