import {OauthctlError} from '../errors.js'

/**
 * Runs a credential helper's work so that a failure is reported on one stderr line (message and hint
 * joined): kubectl, docker and git show a helper's stderr as is, in the middle of their own output.
 */
export async function withOneLineErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof OauthctlError) || !error.hint) throw error
    throw new OauthctlError(formatOneLine(error), error.code, error.exitCode, {cause: error.cause})
  }
}

/** An error's message and hint as one line: `not logged in to x (profile default); run: oauthctl login x`. */
export function formatOneLine(error: OauthctlError): string {
  const hint = error.hint?.replace(/^Run:/, 'run:').replace(/^([A-Z])(?=[a-z])/, (first) => first.toLowerCase())
  return `${error.message}${hint ? `; ${hint}` : ''}`.replace(/\s*\n\s*/g, ' ')
}
