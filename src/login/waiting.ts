import type {ProviderPreset} from '../providers/preset.js'

/**
 * What to do when no browser comes up (a server, an SSH session, a container): the other ways to finish
 * the login, with the actual port for an SSH port forward (RFC 8252 §7.3: the redirect must reach this
 * machine's loopback interface, and `ssh -L` makes the laptop's loopback port this one). `host` is this
 * machine's host name, for the ssh command line.
 */
export function headlessAdvice(preset: ProviderPreset, redirectUri: string, host?: string): string[] {
  const port = new URL(redirectUri).port
  const lines = ['No browser here? Other ways to go on (Ctrl-C, then one of):']
  if (preset.deviceAuthorizationEndpoint) lines.push(`  oauthctl login ${preset.name} --device   (approve with a code on any device)`)
  lines.push(`  oauthctl login ${preset.name} --paste    (open the URL anywhere, paste the address it ends on)`)
  if (port) {
    lines.push(`Or keep this login waiting and, on the machine with the browser: ssh -L ${port}:127.0.0.1:${port} ${sshTarget(host)}`)
    lines.push('then open the URL above there.')
  }
  return lines
}

/**
 * The name to give `ssh` for this machine: its host name (os.hostname()) when it has a usable one, else a
 * placeholder. `localhost` and names with characters a shell would read differently are not usable.
 */
function sshTarget(host: string | undefined): string {
  const name = host?.trim() ?? ''
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name) && !/^localhost(?:\.|$)/i.test(name) ? name : '<this host>'
}

/** `4:59`, `0:05`. */
export function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/**
 * A countdown of the login wait on stderr, only when stderr is a terminal: one line rewritten in place
 * (at most once a second), naming Ctrl-C. Returns the function that stops it and clears the line.
 */
export function startCountdown(stderr: NodeJS.WritableStream & {isTTY?: boolean}, timeoutMs: number, now: () => number = Date.now): () => void {
  if (!stderr.isTTY) return () => {}
  const deadline = now() + timeoutMs
  const draw = (): void => {
    stderr.write(`\r\u001b[2KWaiting for the browser: ${formatRemaining(deadline - now())} left (Ctrl-C to cancel)`)
  }
  draw()
  const timer = setInterval(draw, 1000)
  timer.unref()
  return () => {
    clearInterval(timer)
    stderr.write('\r\u001b[2K')
  }
}
