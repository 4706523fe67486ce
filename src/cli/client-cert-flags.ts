import {Flags} from '@oclif/core'
import type {ClientCertificateFiles} from '../providers/client-cert.js'

/** `--cert`, `--key`, `--cacert` of `login`: the TLS client certificate of an mTLS login (RFC 8705). */
export const clientCertFlags = {
  cert: Flags.string({description: 'TLS client certificate (PEM file) for mutual TLS (RFC 8705): client authentication with --client-auth tls-client-auth or self-signed-tls-client-auth, and certificate-bound tokens. Needs --key. Kept in the credential store with the tokens.'}),
  key: Flags.string({description: 'Private key (PEM file) of --cert. Kept in the credential store, never in config.json.'}),
  cacert: Flags.string({description: "CA certificate(s) (PEM file) the server's TLS certificate must chain to, instead of the system's (a private CA); kept with the login."}),
}

/** The certificate files among parsed flags, or undefined when none was given. */
export function clientCertFilesFromFlags(flags: {cert?: string; key?: string; cacert?: string}): ClientCertificateFiles | undefined {
  if (flags.cert === undefined && flags.key === undefined && flags.cacert === undefined) return undefined
  return {cert: flags.cert, key: flags.key, ca: flags.cacert}
}
