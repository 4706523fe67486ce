/**
 * Every failure oauthctl reports on purpose is an {@link OauthctlError}: a stable `code`, the process exit
 * code, a message that says what happened, and a `hint` that says what to do next. Anything else that
 * reaches the top level is a bug (exit 1).
 *
 * Exit codes are part of the public interface (README "Exit codes"); never renumber them.
 */
export const ExitCode = {
  ok: 0,
  bug: 1,
  usage: 2,
  config: 3,
  notLoggedIn: 4,
  authorization: 5,
  store: 6,
  api: 7,
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export interface ErrorOptions {
  /** One line telling the user what to do next, e.g. the exact `oauthctl login ...` to run. */
  hint?: string
  cause?: unknown
  /** A mistyped name and what it could have been: reported as "Did you mean this?" with the corrected command. */
  /** `right`: the match when already known (a short flag's other case); else the closest candidate. */
  suggest?: {wrong: string; candidates: readonly string[]; right?: string}
}

export class OauthctlError extends Error {
  readonly hint?: string
  readonly suggest?: ErrorOptions['suggest']
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCode,
    options: ErrorOptions = {},
  ) {
    super(message, {cause: options.cause})
    this.name = new.target.name
    this.hint = options.hint
    this.suggest = options.suggest
  }
}

/** Exit 2: the command line itself is wrong. */
export class UsageError extends OauthctlError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'usage', ExitCode.usage, options)
  }
}

/** Exit 3: unknown provider, missing client id, bad issuer, corrupt config file, port in use. */
export class ConfigError extends OauthctlError {
  constructor(message: string, options?: ErrorOptions, code = 'config') {
    super(message, code, ExitCode.config, options)
  }
}

/** Exit 4: nothing stored for this provider/profile, or the stored refresh token no longer works. */
export class NotLoggedInError extends OauthctlError {
  constructor(message: string, options?: ErrorOptions, code = 'not_logged_in') {
    super(message, code, ExitCode.notLoggedIn, options)
  }
}

/** Exit 5: the authorization server or the user refused, or the callback could not be trusted. */
export class AuthorizationError extends OauthctlError {
  constructor(
    message: string,
    options: ErrorOptions & {error?: string; errorDescription?: string} = {},
    code = 'authorization_failed',
  ) {
    super(message, code, ExitCode.authorization, options)
    this.error = options.error
    this.errorDescription = options.errorDescription
  }
  readonly error?: string
  readonly errorDescription?: string
}

/** Exit 6: the OS keyring (or the file store) could not be read or written. */
export class CredentialStoreError extends OauthctlError {
  constructor(message: string, options?: ErrorOptions, code = 'credential_store') {
    super(message, code, ExitCode.store, options)
  }
}

/** Exit 7: the API answered with a status >= 400 (its body has already been written to stdout). */
export class ApiError extends OauthctlError {
  constructor(
    readonly status: number,
    readonly statusText: string,
    options?: ErrorOptions,
  ) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`, 'api_error', ExitCode.api, options)
  }
}

/** Exit 130: the user pressed Ctrl-C (or the process got SIGINT/SIGTERM). */
export class InterruptedError extends OauthctlError {
  constructor(message = 'interrupted') {
    super(message, 'interrupted', ExitCode.interrupted)
  }
}

export function isOauthctlError(error: unknown): error is OauthctlError {
  return error instanceof OauthctlError
}
