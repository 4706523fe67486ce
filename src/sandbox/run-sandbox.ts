import type {Context} from '../context.js'
import {ConfigError, ExitCode} from '../errors.js'

/**
 * `oauthctl sandbox` in the foreground: start, print the issuer on stdout (the only stdout line), log to
 * stderr, stop cleanly on SIGINT (exit 130) or SIGTERM (exit 0).
 */
export async function runSandbox(
  ctx: Context,
  options: {port: number; autoApprove: boolean; accessTokenTtl: number; defaultIssuer: string; requirePar?: boolean; clientKeysDir?: string; mtls?: boolean; mtlsDir?: string},
): Promise<number> {
  const {startSandbox} = await import('./server.js')
  let sandbox
  try {
    sandbox = await startSandbox({
      port: options.port,
      autoApprove: options.autoApprove,
      accessTokenTtl: options.accessTokenTtl,
      requirePar: options.requirePar,
      clientKeysDir: options.clientKeysDir,
      mtls: options.mtls || options.mtlsDir !== undefined,
      // 9000 -> 9443: fixed ports for a fixed issuer port (the README's commands), free ones for --port 0.
      mtlsPort: options.port === 0 || options.port > 65535 - 443 ? 0 : options.port + 443,
      mtlsDir: options.mtlsDir,
      log: (line) => ctx.io.say(line),
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const ports = options.mtls || options.mtlsDir !== undefined ? `port ${options.port} or ${options.port + 443} (mTLS)` : `port ${options.port}`
      throw new ConfigError(`${ports} on 127.0.0.1 is already in use (another sandbox running?)`, {
        hint: 'Stop the other process or pass --port with a free port (then set OAUTHCTL_SANDBOX_ISSUER to the printed issuer).',
      })
    }
    throw error
  }
  ctx.io.out(`${sandbox.issuer}\n`)
  ctx.io.say(`oauthctl sandbox listening at ${sandbox.issuer}${options.autoApprove ? ' (auto-approve: user "demo")' : ' (password "sandbox")'}`)
  if (sandbox.issuer !== options.defaultIssuer && ctx.env.OAUTHCTL_SANDBOX_ISSUER !== sandbox.issuer) {
    ctx.io.say(`Point oauthctl at it with: export OAUTHCTL_SANDBOX_ISSUER=${sandbox.issuer}`)
  }
  if (sandbox.mtls) {
    const {describeMtlsSandbox} = await import('./mtls-report.js')
    for (const line of describeMtlsSandbox(sandbox.issuer, sandbox.mtls)) ctx.io.say(line)
  }
  ctx.io.say('Log in with: oauthctl login sandbox. Press Ctrl-C to stop.')
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  await sandbox.close()
  ctx.io.say('sandbox stopped')
  return signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.ok
}
