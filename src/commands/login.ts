import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import type {LoginRecord} from '../config.js'
import {pickProvider} from '../cli/provider-flag.js'
import {providerFlag} from '../cli/oclif-provider-flags.js'
import {jqFlag} from '../cli/oclif-jq-flag.js'
import {printJson} from '../cli/jq.js'
import {login} from '../login/login.js'
import {loginWithJwtBearer} from '../login/jwt-bearer.js'
import {splitScopes} from '../login/scopes.js'
import {LOGIN_MODE_FLAGS, loginModeFromFlags} from '../login/login-modes.js'
import {MAX_LOGIN_TIMEOUT_S} from '../login/loopback-login.js'
import {resolveTarget} from '../session/session.js'
import {authorizationRequestFlags, authorizationRequestFromFlags} from '../cli/authorization-request-flags.js'
import {clientCertFilesFromFlags, clientCertFlags} from '../cli/client-cert-flags.js'
import {clientAuthFlag, clientAuthFromFlag, clientKeyFlag, pickProviderOptionFlags, providerOptionFlags} from '../providers/option-flags.js'

export default class Login extends BaseCommand {
  static override summary = 'Log in to a provider in the browser and store the tokens.'
  static override description = `Starts a one-shot listener on 127.0.0.1 (every loopback address for a localhost redirect), opens the browser at the provider's authorize URL (always printed on stderr too), catches the code on the redirect, checks state, PKCE and the issuer, exchanges the code and keeps the tokens in the OS keyring (or a 0600 file when no keyring is available). The provider becomes the default.`
  static override examples = [
    '<%= config.bin %> login sandbox',
    '<%= config.bin %> login -p sandbox --profile work --scope openid --scope offline_access',
    '<%= config.bin %> login sandbox --scope openid,profile --scope "email offline_access"',
    '<%= config.bin %> login sandbox --device',
    '<%= config.bin %> login sandbox --no-browser --paste',
    '<%= config.bin %> token sandbox | <%= config.bin %> login sandbox --profile copy --with-token',
    '<%= config.bin %> login sandbox --par --resource https://api.sandbox.example/ --scope openid --scope api',
    '<%= config.bin %> login sandbox --client-credentials --client-id oauthctl-machine --client-secret sandbox-secret --scope api',
    '<%= config.bin %> login sandbox --profile bound --dpop',
    '<%= config.bin %> login sandbox-mtls --client-id oauthctl-mtls --client-auth tls-client-auth --cert client.pem --key client.key --cacert ca.pem',
  ]
  static override args = {
    provider: Args.string({description: 'Provider name (see `oauthctl providers list`); or -p NAME.'}),
  }
  static override flags = {
    provider: providerFlag,
    profile: Flags.string({description: 'Profile name, to keep several accounts of one provider.', default: 'default'}),
    scope: Flags.string({description: "Scope to request (repeatable, or several separated by commas or spaces); replaces the provider's defaults.", multiple: true, multipleNonGreedy: true}),
    port: Flags.integer({description: 'Fixed loopback port, for providers that need a registered one.', min: 1, max: 65535}),
    timeout: Flags.integer({description: 'Seconds to wait for the browser redirect (at most 86400, one day).', default: 300, min: 1, max: MAX_LOGIN_TIMEOUT_S}),
    browser: Flags.boolean({description: 'Open the browser (--no-browser only prints the URL).', default: true, allowNo: true}),
    'client-id': Flags.string({description: 'Client id of your own OAuth app.', env: 'OAUTHCTL_CLIENT_ID'}),
    'client-secret': Flags.string({description: 'Client secret of your own OAuth app.', env: 'OAUTHCTL_CLIENT_SECRET'}),
    'client-auth': clientAuthFlag,
    'client-key': clientKeyFlag,
    json: Flags.boolean({description: 'Print the stored login (no secrets) as JSON on stdout.'}),
    jq: jqFlag,
    dpop: Flags.boolean({description: 'Bind the tokens to a new DPoP key kept in the credential store (RFC 9449); every API call then signs a proof.'}),
    pkce: Flags.boolean({description: 'Send PKCE even where the preset has it off (LinkedIn apps enabled for the native flow).'}),
    device: Flags.boolean({description: 'Device flow (RFC 8628): approve on any device with a code; no browser here.', exclusive: LOGIN_MODE_FLAGS.filter((flag) => flag !== 'device')}),
    paste: Flags.boolean({description: 'Print the authorize URL and read the redirect URL you paste on stdin (SSH sessions).', exclusive: LOGIN_MODE_FLAGS.filter((flag) => flag !== 'paste')}),
    'with-token': Flags.boolean({description: 'Read an access token (or a JSON token response) from stdin and store it.', exclusive: LOGIN_MODE_FLAGS.filter((flag) => flag !== 'with-token')}),
    'client-credentials': Flags.boolean({description: 'Client credentials grant for a confidential app (no user); renewed automatically.', exclusive: LOGIN_MODE_FLAGS.filter((flag) => flag !== 'client-credentials')}),
    'jwt-bearer': Flags.string({description: 'JWT bearer grant (RFC 7523): exchange this assertion (a file, or - for stdin) for a token.', exclusive: [...LOGIN_MODE_FLAGS, 'jwt-bearer-sign']}),
    'jwt-bearer-sign': Flags.boolean({description: 'JWT bearer grant with an assertion oauthctl signs with --client-key (iss = --client-id, sub = --subject, scope): service accounts; renewed by signing again.', exclusive: [...LOGIN_MODE_FLAGS, 'jwt-bearer']}),
    subject: Flags.string({description: 'With --jwt-bearer-sign: the sub of the assertion (the user to act as); default the client id.', dependsOn: ['jwt-bearer-sign']}),
    ...clientCertFlags,
    ...providerOptionFlags,
    ...authorizationRequestFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Login)
    const target = resolveTarget(this.ctx.config(), pickProvider(args.provider, flags.provider, true), flags.profile)
    this.ctx.trapInterrupts()
    const bearer = flags['jwt-bearer'] !== undefined || flags['jwt-bearer-sign']
    const result = bearer ? await loginWithJwtBearer(this.ctx, {
      target,
      scopes: splitScopes(flags.scope),
      assertionFile: flags['jwt-bearer'],
      sign: flags['jwt-bearer-sign'],
      subject: flags.subject,
      clientId: flags['client-id'],
      clientSecret: flags['client-secret'],
      clientAuth: clientAuthFromFlag(flags['client-auth']),
      clientKeyFile: flags['client-key'],
      certFiles: clientCertFilesFromFlags(flags),
      providerFlags: pickProviderOptionFlags(flags),
    }) : await login(this.ctx, {
      target,
      scopes: splitScopes(flags.scope),
      port: flags.port,
      timeoutMs: flags.timeout * 1000,
      openBrowser: flags.browser,
      clientId: flags['client-id'],
      clientSecret: flags['client-secret'],
      providerFlags: pickProviderOptionFlags(flags),
      mode: loginModeFromFlags(flags),
      pkce: flags.pkce,
      clientAuth: clientAuthFromFlag(flags['client-auth']),
      dpop: flags.dpop,
      request: authorizationRequestFromFlags(flags),
      clientKeyFile: flags['client-key'],
      certFiles: clientCertFilesFromFlags(flags),
    })
    const who = result.identity.name ?? result.identity.subject ?? 'unknown user'
    const subject = result.identity.subject && result.identity.subject !== who ? ` (${result.identity.subject})` : ''
    this.ctx.io.say(`Logged in to ${target.provider} as ${who}${subject}, profile ${target.profile}.`)
    this.ctx.io.say(`Tokens stored in ${result.storeLocation}.`)
    if (flags.json || flags.jq !== undefined) await printJson(this.ctx.io, loginRecordJson(result.record), flags.jq)
  }
}

/** The stored login as `--json` prints it: dates as ISO 8601, as `status --json` and `token --json` do. */
function loginRecordJson(record: LoginRecord): Record<string, unknown> {
  const iso = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString())
  return {...record, expiresAt: iso(record.expiresAt) ?? null, obtainedAt: iso(record.obtainedAt)}
}
