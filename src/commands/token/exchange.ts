import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {pickProvider} from '../../cli/provider-flag.js'
import {providerFlag} from '../../cli/oclif-provider-flags.js'
import {jqFlag} from '../../cli/oclif-jq-flag.js'
import {splitScopes} from '../../login/scopes.js'
import {exchangeToken} from '../../session/token-exchange.js'
import {clientCertFilesFromFlags, clientCertFlags} from '../../cli/client-cert-flags.js'
import {clientAuthFlag, clientAuthFromFlag, clientKeyFlag} from '../../providers/option-flags.js'

/** The sandbox's client_secret_jwt client, which may exchange tokens (any client allowed the grant may). */
const SANDBOX_CLIENT = '--client-id oauthctl-secret-jwt --client-auth client-secret-jwt --client-secret sandbox-jwt-secret-0123456789abcdefghijklmnop'
const TYPE_HELP = 'access_token, refresh_token, id_token, jwt, saml1, saml2 or a token type URI'

export default class TokenExchange extends BaseCommand {
  static override summary = 'Exchange a token for another one at the provider (RFC 8693 token exchange) and print it.'
  static override description = `Sends the subject token (and an actor token) to the provider's token endpoint with the token exchange grant, authenticated as the provider's client (--client-id, its secret or --client-key, as for login), and prints the issued token on stdout like \`oauthctl token\`, or JSON with --json. --save-as keeps it as a login of the provider under that profile instead. A token is named by a stored login (provider or provider:profile; its access token is refreshed first) or read from stdin with -.`
  static override examples = [
    `<%= config.bin %> token exchange sandbox --subject-token sandbox ${SANDBOX_CLIENT} --audience https://api.example.com`,
    `<%= config.bin %> token sandbox | <%= config.bin %> token exchange sandbox --subject-token - ${SANDBOX_CLIENT} --scope openid --json`,
    `<%= config.bin %> token exchange --subject-token sandbox:work --actor-token sandbox ${SANDBOX_CLIENT} --save-as delegated`,
  ]
  static override args = {
    provider: Args.string({description: "Provider whose token endpoint exchanges; default: the subject login's."}),
  }
  static override flags = {
    provider: providerFlag,
    'subject-token': Flags.string({description: 'The token to exchange: a stored login (provider[:profile]) or - for stdin.', required: true}),
    'subject-token-type': Flags.string({description: `Type of the subject token: ${TYPE_HELP}. Default access_token.`}),
    'actor-token': Flags.string({description: 'A token of the party acting for the subject (delegation): a stored login or - for stdin.'}),
    'actor-token-type': Flags.string({description: `Type of the actor token (${TYPE_HELP}). Default access_token.`, dependsOn: ['actor-token']}),
    audience: Flags.string({description: 'Logical name of the service the new token is for (repeatable).', multiple: true, multipleNonGreedy: true}),
    resource: Flags.string({description: 'URI of the resource the new token is for (repeatable).', multiple: true, multipleNonGreedy: true}),
    'requested-token-type': Flags.string({description: `Type of token to issue (${TYPE_HELP}).`}),
    scope: Flags.string({description: 'Scope of the new token (repeatable, or separated by commas or spaces).', multiple: true, multipleNonGreedy: true}),
    'save-as': Flags.string({description: 'Store the issued token as a login of the provider under this profile (nothing on stdout unless --json).'}),
    'client-id': Flags.string({description: 'Client id that performs the exchange (default: the provider\'s).', env: 'OAUTHCTL_CLIENT_ID'}),
    'client-secret': Flags.string({description: 'Its client secret (default: the one kept in the credential store).', env: 'OAUTHCTL_CLIENT_SECRET'}),
    'client-auth': clientAuthFlag,
    'client-key': clientKeyFlag,
    ...clientCertFlags,
    json: Flags.boolean({description: 'Print the issued token and its metadata (issuedTokenType, expiresAt, scopes) as JSON.'}),
    jq: jqFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TokenExchange)
    this.ctx.trapInterrupts()
    await exchangeToken(this.ctx, {
      provider: pickProvider(args.provider, flags.provider),
      subjectToken: flags['subject-token'],
      subjectTokenType: flags['subject-token-type'],
      actorToken: flags['actor-token'],
      actorTokenType: flags['actor-token-type'],
      audiences: flags.audience,
      resources: flags.resource,
      requestedTokenType: flags['requested-token-type'],
      scopes: splitScopes(flags.scope),
      saveAs: flags['save-as'],
      clientId: flags['client-id'],
      clientSecret: flags['client-secret'],
      clientAuth: clientAuthFromFlag(flags['client-auth']),
      clientKeyFile: flags['client-key'],
      certFiles: clientCertFilesFromFlags(flags),
      json: flags.json,
      jq: flags.jq,
    })
  }
}
