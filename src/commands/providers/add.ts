import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {addProvider} from '../../providers/add-provider.js'
import {formatAddedProvider} from '../../providers/provider-report.js'
import {clientAuthFlag, clientAuthFromFlag, clientKeyFlag, pickProviderOptionFlags, providerOptionFlags} from '../../providers/option-flags.js'

export default class ProvidersAdd extends BaseCommand {
  static override summary = 'Add your own provider (discovery, RFC 8414 or endpoints by hand), or set your app for a built-in one.'
  static override description = `With --issuer, the endpoints come from OpenID Connect discovery, else RFC 8414 metadata. Without metadata give --authorize-url, --token-url and --api-base (and --issuer if you know the server's issuer identifier: then the iss it sends and its ID tokens are checked against it). --register registers oauthctl at the server (RFC 7591) as a native public client with the redirect URI http://127.0.0.1/callback (or http://127.0.0.1:<port>/callback with --port). Client ids go to the config file; client secrets only to the secret store. For a built-in name, only your app's settings are saved (client id, secret, scopes). The endpoints found go to stderr; --json prints the provider on stdout.`
  static override examples = [
    '<%= config.bin %> providers add corp --issuer http://127.0.0.1:9000 --register',
    '<%= config.bin %> providers add corp-fixed --issuer http://127.0.0.1:9000 --register --port 8400',
    '<%= config.bin %> providers add legacy --authorize-url http://127.0.0.1:9000/auth --token-url http://127.0.0.1:9000/token --api-base http://127.0.0.1:9000/api --client-id oauthctl',
    '<%= config.bin %> providers add legacy-full --authorize-url http://127.0.0.1:9000/auth --token-url http://127.0.0.1:9000/token --introspection-url http://127.0.0.1:9000/token/introspection --revocation-url http://127.0.0.1:9000/token/revocation --issuer http://127.0.0.1:9000 --api-base http://127.0.0.1:9000/api --client-id oauthctl-machine --client-secret sandbox-secret --client-auth post',
    '<%= config.bin %> providers add work-gitlab --preset gitlab --host gitlab.corp.example --client-id 1a2b',
    '<%= config.bin %> providers add github --client-id Iv1.abc',
    '<%= config.bin %> providers add legacy-oauth1 --request-token-url http://127.0.0.1:9000/oauth1/request_token --authorize-url http://127.0.0.1:9000/oauth1/authorize --token-url http://127.0.0.1:9000/oauth1/access_token --api-base http://127.0.0.1:9000/oauth1/api --client-id oauthctl-oauth1 --signature-method PLAINTEXT',
  ]
  static override args = {
    name: Args.string({description: 'Name to use on the command line (lower-case letters, digits, . _ -).', required: true}),
  }
  static override flags = {
    issuer: Flags.string({description: 'Issuer URL: discover the endpoints (OIDC, then RFC 8414); with --authorize-url and --token-url, the issuer identifier to check iss and ID tokens against (no discovery).'}),
    preset: Flags.string({description: 'Make a named variant of a built-in preset (with --host, --tenant, --login-host).'}),
    'authorize-url': Flags.string({description: 'Authorization endpoint, for servers without metadata.'}),
    'token-url': Flags.string({description: 'Token endpoint, for servers without metadata.'}),
    'revocation-url': Flags.string({description: 'Revocation endpoint (RFC 7009).'}),
    'introspection-url': Flags.string({description: 'Introspection endpoint (RFC 7662), for `oauthctl introspect` and `status --check`.'}),
    'userinfo-url': Flags.string({description: 'OpenID Connect userinfo endpoint.'}),
    'device-url': Flags.string({description: 'Device authorization endpoint (RFC 8628).'}),
    'registration-url': Flags.string({description: 'Dynamic client registration endpoint (RFC 7591), for --register.'}),
    'api-base': Flags.string({description: 'Base URL that `oauthctl get /path` resolves against (default: the issuer).'}),
    'display-name': Flags.string({description: 'Name shown in messages.'}),
    'client-id': Flags.string({description: 'Client id of your app at this provider.'}),
    'client-secret': Flags.string({description: 'Client secret of your app (kept in the secret store, never in the config).'}),
    scope: Flags.string({description: 'Default scope (repeatable).', multiple: true, multipleNonGreedy: true}),
    register: Flags.boolean({description: 'Register oauthctl at the server (RFC 7591 dynamic client registration).'}),
    port: Flags.integer({description: 'With --register: register http://127.0.0.1:<port>/callback (for servers that match the port exactly); login then uses it.', min: 1, max: 65535}),
    'client-auth': clientAuthFlag,
    dpop: Flags.boolean({description: 'Bind every login to a DPoP key (RFC 9449), as `login --dpop` does.'}),
    'request-token-url': Flags.string({description: 'OAuth 1.0a: the temporary-credentials (request token) URL; --authorize-url and --token-url (the access-token URL) complete the three legs.'}),
    'signature-method': Flags.string({description: 'OAuth 1.0a signature method.', options: ['HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT'], default: undefined}),
    'rsa-key': Flags.string({description: 'OAuth 1.0a RSA-SHA1: PEM private key file (its path is saved; the key stays in the file).'}),
    'client-key': clientKeyFlag,
    force: Flags.boolean({description: 'Replace an existing custom provider of that name.'}),
    par: Flags.boolean({description: 'Push every authorization request first (RFC 9126 PAR).'}),
    'par-url': Flags.string({description: 'Pushed authorization request endpoint (RFC 9126), for servers without metadata.'}),
    jar: Flags.boolean({description: 'Send every authorization request as a signed request object (RFC 9101 JAR).'}),
    'jar-key': Flags.string({description: 'PEM private key file for request objects (the path is saved; the key stays in its file).'}),
    jarm: Flags.boolean({description: 'Ask for JWT-secured authorization responses (JARM) at every login.'}),
    json: Flags.boolean({description: 'Print the provider (no secrets) as JSON on stdout.'}),
    ...providerOptionFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProvidersAdd)
    const result = await addProvider(this.ctx, {
      name: args.name,
      issuer: flags.issuer,
      preset: flags.preset,
      presetFlags: pickProviderOptionFlags(flags),
      authorizeUrl: flags['authorize-url'],
      tokenUrl: flags['token-url'],
      revocationUrl: flags['revocation-url'],
      introspectionUrl: flags['introspection-url'],
      userinfoUrl: flags['userinfo-url'],
      deviceUrl: flags['device-url'],
      registrationUrl: flags['registration-url'],
      apiBase: flags['api-base'],
      displayName: flags['display-name'],
      clientId: flags['client-id'],
      clientSecret: flags['client-secret'],
      scopes: flags.scope,
      register: flags.register,
      port: flags.port,
      clientAuth: clientAuthFromFlag(flags['client-auth']),
      dpop: flags.dpop || undefined,
      clientKeyFile: flags['client-key'],
      force: flags.force,
      requestDefaults: {par: flags.par, parUrl: flags['par-url'], jar: flags.jar, jarKey: flags['jar-key'], jarm: flags.jarm},
      oauth1: {requestTokenUrl: flags['request-token-url'], signatureMethod: flags['signature-method'], rsaKey: flags['rsa-key']},
    })
    for (const line of formatAddedProvider(result)) this.ctx.io.say(line)
    if (flags.json) this.ctx.io.out(`${JSON.stringify(result.details, null, 2)}\n`)
  }
}
