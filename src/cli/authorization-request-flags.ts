import {Flags} from '@oclif/core'
import type {AuthorizationRequestOptions} from '../login/authorization-request.js'
import {parseAuthorizationDetails} from '../login/authorization-details.js'
import {checkResources} from '../oauth/resource-indicators.js'

/** `login` flags that shape the authorization request: PAR, JAR, JARM, resource indicators, RAR. */
export const authorizationRequestFlags = {
  par: Flags.boolean({description: 'Push the authorization request first (RFC 9126 PAR); automatic where the server requires it.'}),
  jar: Flags.boolean({description: 'Send a signed request object (RFC 9101 JAR): HS256 with the client secret, or --jar-key.'}),
  'jar-key': Flags.string({description: 'PEM private key that signs the request object (for a client without a secret); implies --jar.'}),
  jarm: Flags.boolean({description: 'Ask for a signed authorization response (JARM, response_mode=jwt), verified against the issuer\'s keys.'}),
  resource: Flags.string({description: 'Resource server the token is for (RFC 8707; repeatable); kept and sent again on refresh.', multiple: true}),
  'authorization-details': Flags.string({description: 'RFC 9396 authorization details: a JSON array of objects with a "type", or @file.'}),
}

/** The flags above as the login flow's options (bad values are usage errors, exit 2). */
export function authorizationRequestFromFlags(flags: {
  par?: boolean
  jar?: boolean
  'jar-key'?: string
  jarm?: boolean
  resource?: string[]
  'authorization-details'?: string
}): AuthorizationRequestOptions {
  const details = flags['authorization-details']
  return {
    par: flags.par,
    jar: flags.jar || flags['jar-key'] !== undefined,
    jarKey: flags['jar-key'],
    jarm: flags.jarm,
    resources: checkResources(flags.resource),
    authorizationDetails: details === undefined ? undefined : parseAuthorizationDetails(details),
  }
}
