import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LogFormat, LogLevel } from './lib/log.js';
import { packageRoot } from './package-info.js';

/**
 * Every setting of the server, in one table: its environment variable, its command-line flag
 * (server/cli/), its default and how its value is checked. `configFromEnv` and the CLI both read
 * this table, and `flows-console --help` and the README's configuration table are written from it.
 *
 * Secrets (`secret: true`) have no flag: a command line is visible to every user of the machine
 * (`ps`) and lands in shell history. They come from their environment variable, or from a file
 * named by `--<flag>-file` / `<ENV>_FILE` (Docker and Kubernetes secrets are files).
 */

export interface Config {
  port: number;
  host: string;
  /** PGlite directory or 'memory' */
  dataDir: string;
  databaseUrl?: string;
  /** seed demo data on a new database */
  seed: boolean;
  /** remote mode: proxy /api/* to this Formance stack */
  formanceUrl?: string;
  formanceClientId?: string;
  formanceClientSecret?: string;
  formanceTokenUrl?: string;
  /** `id:secret[:role],…`: require bearer tokens (or a console session) on /api/* */
  authClients?: string;
  /** `name:hash[:role],…`: people who sign in to the console (hash: `npm run hash-password`) */
  authUsers?: string;
  /** HS256 key for tokens issued with AUTH_CLIENTS (random per process when unset) */
  authSigningKey?: string;
  /** lifetime of issued tokens, seconds */
  authTokenTtl?: number;
  /** remote mode: scopes asked for with the client-credentials token (space separated; '' = none) */
  formanceScopes?: string;
  /** remote mode: longest wait for one answer of the stack, ms */
  formanceTimeoutMs?: number;
  /** remote mode: calls in flight to the stack at once (four times as many may wait) */
  formanceMaxCalls?: number;
  /** extra `Host` values served besides loopback + HOST (`name` = any port, `name:port`, `*` = all) */
  allowedHosts?: string[];
  /** directory of the built SPA */
  staticDir: string;
  /** how long `wait=true` on run may block */
  runWaitMs: number;
  /** silence request and engine-event logs (tests); warnings and errors still show */
  quiet: boolean;
  /** `json`: one JSON object per line; `text`: readable lines */
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** serve /metrics on this port only (not on PORT); undefined: on PORT, behind AUTH_CLIENTS */
  metricsPort?: number;
  /** interface of the metrics port (default: HOST) */
  metricsHost?: string;
  /** how long an engine task stays leased without a heartbeat (another process takes it over after) */
  engineLeaseMs: number;
  /** how often live updates re-read a watched topic (ms); unset: 100 embedded, 1000 remote */
  liveIntervalMs?: number;
}

/** A bad setting: `source` names where it came from (`--port`, `PORT`, `--auth-clients-file`). */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

type Value = string | number | boolean | string[] | undefined;

export interface Setting {
  key: keyof Config;
  env: string;
  /** `--port`; for a secret, the flag of its file (`--formance-client-secret-file`) */
  flag: string;
  /** placeholder in --help (`<port>`); boolean settings have none (`--seed` / `--no-seed`) */
  arg?: string;
  boolean?: boolean;
  secret?: boolean;
  /** what --help and the README show as the default */
  shown: string;
  help: string;
  /** parses a raw value (throws a message); absent: the raw string, '' = unset */
  parse?: (raw: string) => Value;
  /** the value when unset */
  fallback?: () => Value;
  /** an empty value is a value ('' ≠ unset) */
  keepEmpty?: boolean;
}

const port = (raw: string) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n > 65535) throw new Error(`must be a port number from 0 to 65535, got ${show(raw)}`);
  return n;
};
const positiveInt =
  (unit: string, min = 1) =>
  (raw: string) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) throw new Error(`must be a whole number of ${unit}, at least ${min}, got ${show(raw)}`);
    return n;
  };
const BOOLEAN: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };
const boolean = (raw: string) => {
  const b = BOOLEAN[raw.trim().toLowerCase()];
  if (b === undefined) throw new Error(`must be true or false, got ${show(raw)}`);
  return b;
};
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    const v = raw.trim().toLowerCase() as T;
    if (!values.includes(v)) throw new Error(`must be one of ${values.join(', ')}, got ${show(raw)}`);
    return v;
  };
const httpUrl = (raw: string) => checkHttpUrl(raw).replace(/\/+$/, '');
const checkHttpUrl = (raw: string) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http(s) URL');
  return raw.trim();
};
const postgresUrl = (raw: string) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('must be a postgres:// or postgresql:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`must be a postgres:// or postgresql:// URL, not ${url.protocol}//…`);
  return raw.trim();
};

/** A value quoted for an error message, cut short (never used for secrets). */
function show(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
}

export const SETTINGS: readonly Setting[] = [
  { key: 'port', env: 'PORT', flag: '--port', arg: '<port>', shown: '3000', help: 'HTTP port (0: any free port)', parse: port, fallback: () => 3000 },
  {
    key: 'host',
    env: 'HOST',
    flag: '--host',
    arg: '<address>',
    shown: '127.0.0.1',
    help: 'interface to listen on (0.0.0.0: every interface)',
    fallback: () => '127.0.0.1',
  },
  { key: 'dataDir', env: 'DATA_DIR', flag: '--data-dir', arg: '<dir>', shown: './data', help: 'PGlite data directory; `memory` keeps nothing', fallback: () => './data' },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: '--database-url',
    arg: '<url>',
    shown: '—',
    help: 'use this PostgreSQL instead of PGlite (same schema and migrations); a password belongs in DATABASE_URL, PGPASSWORD or ~/.pgpass, not on the command line',
    parse: postgresUrl,
  },
  {
    key: 'seed',
    env: 'SEED',
    flag: '--seed',
    boolean: true,
    shown: 'true',
    help: 'on a new database: demo workflows, funded accounts, wallets, a connector (`--no-seed`: none)',
    parse: boolean,
    fallback: () => true,
  },
  {
    key: 'formanceUrl',
    env: 'FORMANCE_URL',
    flag: '--formance-url',
    arg: '<url>',
    shown: '—',
    help: 'remote mode: proxy `/api/*` to this Formance stack',
    parse: httpUrl,
  },
  {
    key: 'formanceClientId',
    env: 'FORMANCE_CLIENT_ID',
    flag: '--formance-client-id',
    arg: '<id>',
    shown: '—',
    help: 'remote mode: OAuth2 client id (the token stays on the server)',
  },
  {
    key: 'formanceClientSecret',
    env: 'FORMANCE_CLIENT_SECRET',
    flag: '--formance-client-secret-file',
    arg: '<file>',
    secret: true,
    shown: '—',
    help: 'remote mode: OAuth2 client secret',
  },
  {
    key: 'formanceTokenUrl',
    env: 'FORMANCE_TOKEN_URL',
    flag: '--formance-token-url',
    arg: '<url>',
    shown: '<FORMANCE_URL>/api/auth/oauth/token',
    help: 'remote mode: token endpoint',
    parse: checkHttpUrl,
  },
  {
    key: 'formanceScopes',
    env: 'FORMANCE_SCOPES',
    flag: '--formance-scopes',
    arg: '<scopes>',
    shown: 'orchestration, ledger, wallets, payments read/write + openid',
    help: 'remote mode: scopes asked for (space-separated; empty: none)',
    keepEmpty: true,
  },
  {
    key: 'formanceTimeoutMs',
    env: 'FORMANCE_TIMEOUT_MS',
    flag: '--formance-timeout-ms',
    arg: '<ms>',
    shown: '30000',
    help: 'remote mode: longest wait for one answer of the stack (then 504)',
    parse: positiveInt('milliseconds'),
  },
  {
    key: 'formanceMaxCalls',
    env: 'FORMANCE_MAX_CALLS',
    flag: '--formance-max-calls',
    arg: '<n>',
    shown: '16',
    help: 'remote mode: calls in flight to the stack at once; four times as many may wait, the rest get 503 at once',
    parse: positiveInt('calls'),
  },
  {
    key: 'authClients',
    env: 'AUTH_CLIENTS',
    flag: '--auth-clients-file',
    arg: '<file>',
    secret: true,
    shown: '—',
    help: 'embedded mode: `id:secret[:role],…` — require bearer tokens on `/api/*`, issued to these clients (the console signs in); role `viewer`, `operator` or `admin` (none: full access; docs/accountability.md)',
  },
  {
    key: 'authUsers',
    env: 'AUTH_USERS',
    flag: '--auth-users-file',
    arg: '<file>',
    secret: true,
    shown: '—',
    help: 'people who sign in to the console: `name:hash[:role],…` (the hash from `npm run hash-password`; docs/accountability.md)',
  },
  {
    key: 'authSigningKey',
    env: 'AUTH_SIGNING_KEY',
    flag: '--auth-signing-key-file',
    arg: '<file>',
    secret: true,
    shown: 'random per process',
    help: 'key that signs those tokens (at least 32 characters; the same on every process that shares the clients)',
  },
  {
    key: 'authTokenTtl',
    env: 'AUTH_TOKEN_TTL',
    flag: '--auth-token-ttl',
    arg: '<seconds>',
    shown: '3600',
    help: 'lifetime of those tokens, seconds',
    parse: positiveInt('seconds'),
    fallback: () => 3600,
  },
  {
    key: 'allowedHosts',
    env: 'ALLOWED_HOSTS',
    flag: '--allowed-hosts',
    arg: '<hosts>',
    shown: '—',
    help: 'extra `Host` names served besides loopback and HOST, comma-separated (`name`, `name:port`, or `*`)',
    parse: (raw) =>
      raw
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    fallback: () => [],
  },
  {
    key: 'staticDir',
    env: 'STATIC_DIR',
    flag: '--static-dir',
    arg: '<dir>',
    shown: '<package>/dist/client',
    help: 'directory of the built console',
    fallback: () => join(packageRoot(), 'dist/client'),
  },
  {
    key: 'runWaitMs',
    env: 'RUN_WAIT_MS',
    flag: '--run-wait-ms',
    arg: '<ms>',
    shown: '60000',
    help: 'longest a `wait=true` run may block, milliseconds',
    parse: positiveInt('milliseconds', 0),
    fallback: () => 60_000,
  },
  {
    key: 'logFormat',
    env: 'LOG_FORMAT',
    flag: '--log-format',
    arg: '<text|json>',
    shown: 'text',
    help: '`json`: one JSON object per line (requests, engine events, errors); `text`: readable lines',
    parse: oneOf<LogFormat>('text', 'json'),
    fallback: () => 'text',
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    arg: '<level>',
    shown: 'info',
    help: '`debug` (also every stage transition), `info` (requests, instances, triggers), `warn`, `error`',
    parse: oneOf<LogLevel>('debug', 'info', 'warn', 'error'),
    fallback: () => 'info',
  },
  {
    key: 'quiet',
    env: 'QUIET',
    flag: '--quiet',
    boolean: true,
    shown: 'false',
    help: 'no request or engine-event logs (warnings and errors still show)',
    parse: boolean,
    fallback: () => false,
  },
  {
    key: 'metricsPort',
    env: 'METRICS_PORT',
    flag: '--metrics-port',
    arg: '<port>',
    shown: '—',
    help: 'serve `/metrics` on this port instead of PORT (no AUTH_CLIENTS there: keep it on a private interface)',
    parse: port,
  },
  { key: 'metricsHost', env: 'METRICS_HOST', flag: '--metrics-host', arg: '<address>', shown: 'HOST', help: 'interface of the metrics port' },
  {
    key: 'engineLeaseMs',
    env: 'ENGINE_LEASE_MS',
    flag: '--engine-lease-ms',
    arg: '<ms>',
    shown: '30000',
    help: 'how long a process holds a task it runs without renewing it; after a crash, other processes on the same PostgreSQL take its work over once this has passed',
    parse: positiveInt('milliseconds', 2000),
    fallback: () => 30_000,
  },
  {
    key: 'liveIntervalMs',
    env: 'LIVE_INTERVAL_MS',
    flag: '--live-interval-ms',
    arg: '<ms>',
    shown: '100 (remote: 1000)',
    help: 'how often the server re-reads what open pages watch and pushes what changed; in remote mode each watched read reaches the stack once per interval whatever the number of viewers',
    parse: positiveInt('milliseconds', 10),
  },
];

/** The environment variable naming a secret's file: `FORMANCE_CLIENT_SECRET_FILE`. */
export const fileEnv = (s: Setting) => `${s.env}_FILE`;

/** Values given on the command line, by setting key (the CLI parses them; flags win over the environment). */
export type FlagValues = Partial<Record<keyof Config, string | boolean>>;

/**
 * The configuration from the environment, overridden by command-line values. Throws ConfigError
 * naming the flag or variable of the first bad value. Never puts a secret in a message.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, flags: FlagValues = {}, cwd = process.cwd()): Config {
  const config: Record<string, Value> = {};
  for (const s of SETTINGS) {
    const { raw, source } = rawValue(s, env, flags, cwd);
    let value: Value;
    if (raw === undefined || (raw === '' && !s.keepEmpty)) value = s.fallback?.();
    else if (typeof raw === 'boolean') value = raw;
    else {
      try {
        value = s.parse ? s.parse(raw) : raw;
      } catch (err) {
        // A secret's own parse never runs (no parse): a message cannot quote one.
        throw new ConfigError(source, (err as Error).message);
      }
    }
    config[s.key] = value;
  }
  return config as unknown as Config;
}

function rawValue(s: Setting, env: NodeJS.ProcessEnv, flags: FlagValues, cwd: string): { raw: string | boolean | undefined; source: string } {
  const flag = flags[s.key];
  if (s.secret) {
    if (typeof flag === 'string') return { raw: readSecretFile(flag, s.flag, cwd), source: s.flag };
    const direct = env[s.env];
    const file = env[fileEnv(s)];
    if (direct && file) throw new ConfigError(s.env, `set ${s.env} or ${fileEnv(s)}, not both`);
    if (file) return { raw: readSecretFile(file, fileEnv(s), cwd), source: fileEnv(s) };
    return { raw: direct, source: s.env };
  }
  if (flag !== undefined) return { raw: flag, source: s.boolean ? (flag ? s.flag : `--no-${s.flag.slice(2)}`) : s.flag };
  return { raw: env[s.env], source: s.env };
}

/** A secret's file: its content without the final line break. Errors name the file, never its content. */
function readSecretFile(path: string, source: string, cwd: string): string {
  let text: string;
  try {
    text = readFileSync(isAbsolute(path) ? path : join(cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(source, `cannot read ${JSON.stringify(path)}${code ? ` (${code})` : ''}`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new ConfigError(source, `${JSON.stringify(path)} is empty`);
  return value;
}
