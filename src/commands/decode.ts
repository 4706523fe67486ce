import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.js'
import {pickProvider} from '../cli/provider-flag.js'
import {providerFlag, profileFlag} from '../cli/oclif-provider-flags.js'
import {jqFlag} from '../cli/oclif-jq-flag.js'
import {runDecode} from '../session/decode-token.js'

export default class Decode extends BaseCommand {
  static override summary = "Show a JWT's header and claims as JSON (never its signature); --verify checks it against the issuer's keys."
  static override description = `Decodes a JWT given as the argument, on stdin (-), or the access token (or with --id-token the ID token) of a stored login (-p, --profile; not refreshed). Prints {"header", "claims", "verified"} on stdout; "verified" is false unless --verify checked the signature against the issuer's published keys (jwks_uri), the issuer, and exp/nbf (exit 5 when that fails). Exit 2 for text that is not a JWT, such as an opaque token.`
  static override examples = [
    '<%= config.bin %> decode -p sandbox --id-token',
    '<%= config.bin %> token sandbox --id-token | <%= config.bin %> decode - --verify -p sandbox',
    '<%= config.bin %> decode -p sandbox --id-token --jq .claims.sub',
  ]
  static override args = {
    token: Args.string({description: 'The JWT, or - to read it from stdin; default: the access token of the default login.'}),
  }
  static override flags = {
    provider: providerFlag,
    profile: profileFlag,
    'id-token': Flags.boolean({description: "Decode the login's OpenID Connect ID token instead of its access token."}),
    verify: Flags.boolean({description: "Check the signature with the issuer's keys, the issuer and the expiry (exit 5 when it fails)."}),
    jq: jqFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Decode)
    await runDecode(this.ctx, {
      token: args.token,
      provider: pickProvider(undefined, flags.provider),
      profile: flags.profile,
      idToken: flags['id-token'],
      verify: flags.verify,
      jq: flags.jq,
    })
  }
}
