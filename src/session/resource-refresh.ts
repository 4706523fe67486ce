import {updateConfig, type LoginRecord} from '../config.js'
import type {Context} from '../context.js'
import {UsageError} from '../errors.js'
import {checkResources} from '../oauth/resource-indicators.js'
import {loginCommand, type Target} from './session.js'

/**
 * `refresh --resource`: the resource indicators wanted from now on, which must be among the login's
 * (a refresh can narrow the audience, never widen it: RFC 8707 §2.2). Undefined when none were given.
 * @throws UsageError (exit 2) for a value that is not a URI or was not part of the login.
 */
export function narrowResources(login: {target: Target; record: Pick<LoginRecord, 'resources' | 'port'>}, wanted: string[] | undefined): string[] | undefined {
  const {target, record} = login
  const stored = record.resources
  if (!wanted || wanted.length === 0) return undefined
  const resources = checkResources(wanted)
  const extra = resources.filter((resource) => !(stored ?? []).includes(resource))
  if (extra.length > 0) {
    throw new UsageError(`refresh --resource can only narrow the login's resources (${(stored ?? []).join(' ') || 'none'}); ${extra.join(' ')} is not one of them`, {
      hint: `Log in again with the resources you need: ${loginCommand(target, record)} --resource <uri>`,
    })
  }
  return resources
}

/** Keeps the narrowed resources in the login record, so later refreshes ask for the same audience. */
export async function rememberResources(ctx: Context, target: Target, resources: string[]): Promise<void> {
  await updateConfig(ctx.configDir, (config) => {
    const record = config.logins?.[target.key]
    if (record) record.resources = resources
  })
}
