/** Everything the server reads from the environment, in one place. */
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
  /** `id:secret,id:secret`: require bearer tokens on /api/* (embedded mode) */
  authClients?: string;
  /** HS256 key for tokens issued with AUTH_CLIENTS (random per process when unset) */
  authSigningKey?: string;
  /** lifetime of issued tokens, seconds */
  authTokenTtl?: number;
  /** remote mode: scopes asked for with the client-credentials token (space separated; '' = none) */
  formanceScopes?: string;
  /** extra `Host` values served besides loopback + HOST (`name` = any port, `name:port`, `*` = all) */
  allowedHosts?: string[];
  /** directory of the built SPA */
  staticDir: string;
  /** how long `wait=true` on run may block */
  runWaitMs: number;
  /** silence request logs (tests) */
  quiet: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    seed: (env.SEED ?? 'true').toLowerCase() !== 'false',
    formanceUrl: env.FORMANCE_URL?.replace(/\/+$/, '') || undefined,
    formanceClientId: env.FORMANCE_CLIENT_ID || undefined,
    formanceClientSecret: env.FORMANCE_CLIENT_SECRET || undefined,
    formanceTokenUrl: env.FORMANCE_TOKEN_URL || undefined,
    authClients: env.AUTH_CLIENTS || undefined,
    authSigningKey: env.AUTH_SIGNING_KEY || undefined,
    authTokenTtl: Number(env.AUTH_TOKEN_TTL || 3600),
    formanceScopes: env.FORMANCE_SCOPES,
    allowedHosts: (env.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    staticDir: env.STATIC_DIR || 'dist/client',
    runWaitMs: Number(env.RUN_WAIT_MS ?? 60_000),
    quiet: env.QUIET === 'true',
  };
}
