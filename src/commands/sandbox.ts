import {Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {DEFAULT_SANDBOX_ISSUER} from '../providers/presets.js'
import {runSandbox} from '../sandbox/run-sandbox.js'

export default class Sandbox extends BaseCommand {
  static override summary = 'Run the embedded OAuth 2.0 / OpenID Connect provider on 127.0.0.1 (until Ctrl-C).'
  static override description = `A real authorization server (oidc-provider) with a public native client "oauthctl", PKCE, rotating refresh tokens, a login page (any user name, password "sandbox") and a protected demo API under /api (GET /api/v2/me, /api/items). Prints its issuer URL on stdout when ready; logs go to stderr.`
  static override examples = [
    '<%= config.bin %> sandbox &',
    '<%= config.bin %> sandbox --port 9100 --auto-approve --access-token-ttl 5 &',
    '<%= config.bin %> sandbox --mtls &',
  ]
  static override flags = {
    port: Flags.integer({description: 'Port to listen on (127.0.0.1); default: the port of OAUTHCTL_SANDBOX_ISSUER, else 9000. 0 picks a free one.', min: 0, max: 65535}),
    'auto-approve': Flags.boolean({description: 'Skip the login and consent pages (fixed demo user), for headless demos and tests.'}),
    'access-token-ttl': Flags.integer({description: 'Access-token lifetime in seconds.', default: 3600, min: 1}),
    'require-par': Flags.boolean({description: 'Require pushed authorization requests (RFC 9126) of every client, as FAPI 2.0 servers do.'}),
    mtls: Flags.boolean({description: 'Also listen over HTTPS (on the port + 443, e.g. 9443) for mutual TLS (RFC 8705): makes a local CA and client certificates (needs openssl), adds the clients oauthctl-mtls and oauthctl-mtls-self, and prints the files and the login command.'}),
    'mtls-dir': Flags.string({description: 'With --mtls (implied): also write the CA certificate and the client certificates and keys (0600) to this directory: ca.pem, client.pem, client.key, self.pem, self.key.'}),
    'client-keys': Flags.string({description: 'Directory to write the private key of the private_key_jwt client "oauthctl-jwt" to (oauthctl-jwt.pem and .jwk.json, 0600); the key is new at every start.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Sandbox)
    const code = await runSandbox(this.ctx, {
      port: flags.port ?? Number(new URL(this.ctx.env.OAUTHCTL_SANDBOX_ISSUER || DEFAULT_SANDBOX_ISSUER).port || 80),
      autoApprove: flags['auto-approve'],
      accessTokenTtl: flags['access-token-ttl'],
      requirePar: flags['require-par'],
      defaultIssuer: DEFAULT_SANDBOX_ISSUER,
      clientKeysDir: flags['client-keys'],
      mtls: flags.mtls,
      mtlsDir: flags['mtls-dir'],
    })
    if (code !== 0) this.exit(code)
  }
}
