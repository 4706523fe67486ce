import type {Context} from '../../context.js'
import {API_COMMAND_DESCRIPTION, API_FLAG_SPECS, API_PATH_ARG, METHOD_FLAG_SPECS, apiRequestInput} from '../../http/api-flags.js'
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
      flags: method ? API_FLAG_SPECS : {...METHOD_FLAG_SPECS, ...API_FLAG_SPECS},
    },
    async run(ctx, {args, flags}) {
      applyTokenFlag(ctx, flags)
      const {runApiRequest} = await import('../../flows/api-request.js')
      await runApiRequest(ctx, apiRequestInput(method ?? String(flags.method), String(args.path), flags))
    },
  }
}

export const apiCommands = {
  get: apiCommand('get', 'GET', 'GET an API path with the stored token and print the response body.', [
    '<%= config.bin %> get /v2/me | jq .id',
    '<%= config.bin %> get -p github /user/repos -q per_page=100 --paginate --slurp | jq length',
    "<%= config.bin %> get -i /items -H 'Accept: application/vnd.github+json'",
  ]),
  post: apiCommand('post', 'POST', 'POST to an API path with the stored token: fields as a JSON body, or --data.', [
    "<%= config.bin %> post -p github /repos/o/r/issues -f title=Bug -F draft=false -f 'labels[]=bug'",
    '<%= config.bin %> post /upload --data @photo.jpg --content-type image/jpeg',
    `jq -n '{name: "x"}' | <%= config.bin %> post /things --data -`,
  ]),
  put: apiCommand('put', 'PUT', 'PUT to an API path with the stored token (fields as a JSON body, or --data).', [
    '<%= config.bin %> put -p github /user/starred/o/r',
    '<%= config.bin %> put /things/1 -F count=3 -F enabled=true',
  ]),
  patch: apiCommand('patch', 'PATCH', 'PATCH an API path with the stored token (fields as a JSON body, or --data).', [
    '<%= config.bin %> patch /things/1 -f name=new --content-type application/merge-patch+json',
  ]),
  delete: apiCommand('delete', 'DELETE', 'DELETE an API path with the stored token.', [
    '<%= config.bin %> delete /things/1',
    '<%= config.bin %> delete /things/1 -q force=true --silent',
  ]),
  request: apiCommand('request', undefined, 'Send a request with any method (-X) to an API path with the stored token.', [
    '<%= config.bin %> request -X OPTIONS /things',
    '<%= config.bin %> request -X HEAD -i /things/1',
    '<%= config.bin %> request -X PROPFIND /dav/ --data @query.xml --content-type application/xml',
  ]),
} satisfies Record<string, ApiCommand>
