/**
 * The embedded sandbox authorization server: `startSandbox` and its types. oidc-provider itself is
 * loaded only when a sandbox starts.
 */
export {startSandbox} from './server.js'
export type {Sandbox, SandboxOptions, SandboxStats} from './server.js'
export {CLI_CLIENT_ID, CLI_REDIRECT_URI, MACHINE_CLIENT_ID, MACHINE_CLIENT_SECRET, SCOPES} from './provider-config.js'
export {DEMO_ACCOUNT_ID, SANDBOX_PASSWORD} from './accounts.js'
