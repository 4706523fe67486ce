import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Twin} from '../twins/twin-kit.js'
import {sendJson} from '../twins/twin-kit.js'
import {createGithubTwin} from '../twins/providers/github.js'
import {createGoogleTwin} from '../twins/providers/google.js'
import {createLinkedinTwin} from '../twins/providers/linkedin.js'
import {createMicrosoftTwin} from '../twins/providers/microsoft.js'
import {createGitlabTwin} from '../twins/providers/standard-presets.js'
import {createSalesforceTwin} from '../twins/providers/more-standard-presets.js'
import {createTwitchTwin, createXeroTwin} from '../twins/providers/app-presets.js'
import {createTrelloTwin} from '../twins/providers/trello.js'
import {createAuth0Twin, createCognitoTwin, createKeycloakTwin, createOktaTwin} from '../twins/providers/identity-presets.js'

/**
 * The providers README.md names, each as its twin on the provider's real host names (behind the test's
 * TLS-terminating proxy), with the app the README's examples pass (`--client-id 86abc123`, `Iv1.abc`, ...).
 * `login` is what the test passes to log in before an example that needs a login it did not make itself;
 * `clientId` / `clientSecret` go into OAUTHCTL_CLIENT_ID / OAUTHCTL_CLIENT_SECRET for examples that name the
 * provider but leave the app to the environment, as README's "Flags and environment" documents.
 */
export interface ReadmeApp {
  clientId: string
  clientSecret?: string
  /** Preset options of the README's examples (the tenant, domain or host they log in to). */
  login: string[]
  twin: () => Twin
}

/** The preset's fixed loopback port (presets-identity.ts / presets-apps.ts: 8085, --port overrides). */
const FIXED_PORT = 8085

/** Secrets the README's examples read from the environment ("$LINKEDIN_CLIENT_SECRET", "$GH_SECRET", "$SECRET"). */
export const README_SECRETS = {LINKEDIN_CLIENT_SECRET: 'li-s3cret-value', GH_SECRET: 'gh-s3cret', SECRET: 'legacy-secret'}

export const README_APPS: Record<string, ReadmeApp> = {
  linkedin: {
    clientId: '86abc123',
    clientSecret: README_SECRETS.LINKEDIN_CLIENT_SECRET,
    login: ['--port', String(FIXED_PORT)],
    twin: () => createLinkedinTwin({clientId: '86abc123', clientSecret: README_SECRETS.LINKEDIN_CLIENT_SECRET, redirectUri: `http://127.0.0.1:${FIXED_PORT}/callback`}),
  },
  github: {
    clientId: 'Iv1.abc',
    clientSecret: README_SECRETS.GH_SECRET,
    login: [],
    twin: () => createGithubTwin({clientId: 'Iv1.abc', clientSecret: README_SECRETS.GH_SECRET, callbackUrl: 'http://127.0.0.1/callback'}),
  },
  google: {
    clientId: '1234-abc.apps.googleusercontent.com',
    clientSecret: 'GOCSPX-desktop',
    login: [],
    twin: () => createGoogleTwin({clientId: '1234-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-desktop'}),
  },
  microsoft: {
    clientId: '1111-2222',
    login: ['--tenant', 'contoso.onmicrosoft.com'],
    twin: () => createMicrosoftTwin({clientId: '1111-2222', allowPublicClientFlows: true}),
  },
  gitlab: {clientId: 'abc', login: [], twin: () => createGitlabTwin({clientId: 'abc'})},
  salesforce: {clientId: 'X', clientSecret: 'Y', login: [], twin: () => createSalesforceTwin({clientId: 'X', clientSecret: 'Y'}, 1717, 'test.salesforce.com')},
  okta: {clientId: '0oa...', login: ['--domain', 'dev-123456.okta.com'], twin: () => createOktaTwin('dev-123456.okta.com', {clientId: '0oa...'}, FIXED_PORT)},
  auth0: {
    clientId: 'X',
    login: ['--domain', 'acme.eu.auth0.com', '--audience', 'https://api.acme.example'],
    twin: () => createAuth0Twin('acme.eu.auth0.com', {clientId: 'X'}, FIXED_PORT),
  },
  keycloak: {
    clientId: 'oauthctl-cli',
    login: ['--host', 'sso.acme.example', '--realm', 'dev'],
    twin: () => createKeycloakTwin('sso.acme.example', 'dev', {clientId: 'oauthctl-cli'}, FIXED_PORT),
  },
  cognito: {
    clientId: 'X',
    login: ['--domain', 'acme.auth.eu-west-1.amazoncognito.com'],
    twin: () => createCognitoTwin('acme.auth.eu-west-1.amazoncognito.com', {clientId: 'X'}, FIXED_PORT),
  },
  twitch: {clientId: 'X', clientSecret: 'Y', login: [], twin: () => createTwitchTwin({clientId: 'X', clientSecret: 'Y'}, FIXED_PORT)},
  xero: {clientId: 'XEROPKCEAPP', login: [], twin: () => createXeroTwin({clientId: 'XEROPKCEAPP'}, FIXED_PORT)},
  // OAuth 1.0a: the consumer key and secret are the README's placeholders.
  trello: {clientId: 'API_KEY', clientSecret: 'SECRET', login: [], twin: () => createTrelloTwin({key: 'API_KEY', secret: 'SECRET'})},
}

/** Twins of hosts the examples name besides the apps' own: the self-managed GitLab of `--host gitlab.example.com`. */
export function createExtraTwins(): Twin[] {
  return [createGitlabTwin({clientId: README_APPS.gitlab.clientId}, 'gitlab.example.com')]
}

/**
 * `https://login.acme.example`, "your company's identity provider" of the README: OpenID Connect discovery
 * (OIDC Discovery §4) and RFC 7591 dynamic registration of a public client.
 */
export function createAcmeIssuerTwin(): Twin {
  const issuer = 'https://login.acme.example'
  let registered = 0
  return {
    name: 'acme',
    hosts: ['login.acme.example'],
    log: [],
    handle(req, res) {
      const route = `${req.method} ${req.url.pathname}`
      if (route === 'GET /.well-known/openid-configuration') {
        return sendJson(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          registration_endpoint: `${issuer}/register`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        })
      }
      if (route === 'POST /register') {
        // RFC 7591 §3.2.1: the client metadata as registered, plus the client_id.
        return sendJson(res, 201, {...(JSON.parse(req.body) as object), client_id: `acme-dcr-${++registered}`, client_id_issued_at: Math.floor(Date.now() / 1000)})
      }
      sendJson(res, 404, {error: 'not_found'})
    },
  }
}

/**
 * `https://api.example.com`, the stand-in API of the README's curl examples: answers 200 with the bearer
 * token's presence, 401 without one (what a resource server does, RFC 6750 §3).
 */
export function createExampleApiTwin(): Twin {
  return {
    name: 'api.example.com',
    hosts: ['api.example.com'],
    log: [],
    handle(req, res) {
      if (!req.bearer) return sendJson(res, 401, {error: 'invalid_token'}, {'www-authenticate': 'Bearer'})
      sendJson(res, 200, {path: req.url.pathname, authenticated: true})
    },
  }
}

export interface ReadmeLine {
  /** 1-based line of README.md where the command starts. */
  line: number
  /** The command as pasted (continuation lines joined). */
  command: string
  /** For a ```console block: what the README shows it prints. */
  output?: string
}

export interface ReadmeBlock {
  line: number
  lang: 'sh' | 'console'
  commands: ReadmeLine[]
}

/** Every ```sh block (each non-comment line, `\` continuations joined) and every ```console block's `$ ` lines. */
export function readReadmeBlocks(root: string): ReadmeBlock[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n')
  const blocks: ReadmeBlock[] = []
  let block: ReadmeBlock | undefined
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]
    if (!block) {
      const open = /^```(sh|console)\s*$/.exec(text)
      if (open) block = {line: i + 1, lang: open[1] as 'sh' | 'console', commands: []}
      continue
    }
    if (text.startsWith('```')) {
      blocks.push(block)
      block = undefined
      continue
    }
    if (block.lang === 'console') {
      if (text.startsWith('$ ')) block.commands.push({line: i + 1, command: text.slice(2), output: ''})
      else if (block.commands.length > 0) block.commands.at(-1)!.output += `${text}\n`
      continue
    }
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue
    let command = text
    const start = i + 1
    while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)}${lines[++i].trimStart()}`.replace(/\s+$/, '')
    block.commands.push({line: start, command})
  }
  return blocks
}

/** What one `oauthctl ...` invocation in a pasted line names: its command, provider and profile. */
export interface Invocation {
  command: string
  provider?: string
  profile?: string
}

/** The oauthctl invocations in a shell line (split at pipes, lists and process substitutions). */
export function findInvocations(command: string, providers: Set<string>): Invocation[] {
  const words = command.replace(/#.*$/, '').split(/\s+/).filter(Boolean)
  const found: Invocation[] = []
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'oauthctl' && words[i] !== './bin/dev.js' && !words[i].endsWith('(oauthctl')) continue
    const args: string[] = []
    for (let j = i + 1; j < words.length && !/^(\||\|\||&&|;|&|--|<|>)$/.test(words[j]) && !words[j].endsWith(')'); j++) args.push(words[j])
    const sub = args[0] === 'providers' ? `providers ${args[1]}` : (args[0] ?? '')
    const flagValue = (names: string[]) => {
      const at = args.findIndex((arg) => names.includes(arg))
      return at >= 0 ? args[at + 1] : undefined
    }
    const provider = flagValue(['-p', '--provider']) ?? args.slice(1).find((arg) => providers.has(arg))
    found.push({command: sub, provider, profile: flagValue(['--profile'])})
    // `token exchange --subject-token sandbox:work --actor-token sandbox`: stored logins it reads.
    for (const flag of ['--subject-token', '--actor-token']) {
      const value = flagValue([flag])
      if (!value || value === '-') continue
      const [named, profile] = value.split(':')
      if (providers.has(named)) found.push({command: 'token', provider: named, profile})
    }
  }
  return found
}
