/**
 * Help topics that are not commands (`oauthctl help environment`, `oauthctl help exit-codes`), the same
 * text as the README's tables. Plain data: no @oclif/core, so completion can list the topic names.
 */
export const HELP_TOPICS: Record<string, {summary: string; text: string}> = {
  environment: {
    summary: 'Environment variables oauthctl reads.',
    text: `ENVIRONMENT VARIABLES
  OAUTHCTL_CONFIG_DIR      Where all state lives (default ~/.config/oauthctl on Linux,
                           ~/Library/Preferences/oauthctl on macOS, %APPDATA%\\oauthctl\\Config on Windows).
  OAUTHCTL_STORE           keyring (exit 6 when unavailable) or file (a 0600 file); unset: the keyring,
                           falling back to the file with a warning.
  OAUTHCTL_BROWSER, BROWSER
                           A command that gets the URL as its last argument; else the system browser.
  OAUTHCTL_SANDBOX_ISSUER  Issuer of the sandbox preset (default http://127.0.0.1:9000).
  OAUTHCTL_CLIENT_ID, OAUTHCTL_CLIENT_SECRET
                           Client credentials for login.
  OAUTHCTL_TOKEN           Use this access token for token and the API commands (like --token): no store
                           is read or written, nothing is refreshed; name the provider with -p.
  OAUTHCTL_DEBUG=1         Same as --debug.
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY
                           An HTTP proxy for the provider and its API (https through CONNECT); loopback
                           hosts never use it.
  OAUTHCTL_DEVICE_POLL_INTERVAL
                           For tests only: seconds between device-flow polls.
  NO_COLOR                 No colour.
`,
  },
  'exit-codes': {
    summary: 'What each exit status means.',
    text: `EXIT CODES
  0    success
  1    unexpected error (a bug): run with --debug and report it
  2    usage error: unknown command or flag, missing argument
  3    configuration error: unknown provider, missing client id, bad issuer, corrupt config file,
       port in use
  4    not logged in, or the refresh failed (the message says which oauthctl login ... to run);
       status with nothing stored; status --check found a login that no longer works
  5    authorization failed: access denied, state or issuer mismatch, invalid grant, callback timeout,
       expired device code, bad paste, an imported token the API rejects, logout --strict whose
       revocation failed
  6    credential store failed: keyring locked, missing or timed out
  7    the API answered >= 400 (the body is still on stdout, the status line on stderr), or could not
       be reached; status --check could not reach a provider
  130  interrupted (Ctrl-C)
`,
  },
}
