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
    const line = `${error.message}; ${lowerFirst(error.hint)}`.replace(/\s*\n\s*/g, ' ')
    throw new OauthctlError(line, error.code, error.exitCode, {cause: error.cause})
  }
}

function lowerFirst(text: string): string {
  return text.replace(/^Run:/, 'run:').replace(/^([A-Z])(?=[a-z])/, (first) => first.toLowerCase())
}
