import { Hono } from 'hono';
import type { Queryable } from '../store/db.js';
import { VERSION } from '../version.js';
import { describeFetchError, grantedScopes, TokenError, type ClientCredentialsTokenSource } from '../remote/token.js';
import type { SessionInfo } from './session.js';

/**
 * `GET /api/console/info` (mount at `/api/console`): what the console header shows.
 *
 *     { mode: 'embedded' | 'remote', version, stackUrl?, health: { ok, message? }, session? }
 *
 * `stackUrl` (remote mode only) is `FORMANCE_URL` without credentials; nothing else about the
 * connection (client id, secret, token) is ever included. Health is cached a few seconds.
 * `session` (`{clientId, expiresAt}`) is there when the request was authenticated by the
 * console's sign-in cookie (`AUTH_CLIENTS`, see session.ts): the header shows who is signed in.
 */

export interface Health {
  ok: boolean;
  message?: string;
}

export interface ConsoleInfo {
  mode: 'embedded' | 'remote';
  version: string;
  stackUrl?: string;
  health: Health;
  session?: SessionInfo;
}

export interface ConsoleInfoSource {
  mode: 'embedded' | 'remote';
  stackUrl?: string;
  health: () => Promise<Health>;
}

export function consoleInfoRoutes(source: ConsoleInfoSource): Hono {
  const app = new Hono();
  app.get('/info', async (c) => {
    const info: ConsoleInfo = { mode: source.mode, version: VERSION, health: await source.health() };
    if (source.mode === 'remote' && source.stackUrl) info.stackUrl = source.stackUrl;
    const session = c.get('consoleSession');
    if (session) info.session = session;
    c.header('Cache-Control', 'no-store');
    return c.json(info);
  });
  return app;
}

/** Caches a health check for `ttlMs` (successes and failures alike); one check at a time. */
export function cachedHealth(check: () => Promise<Health>, ttlMs = 5_000, now: () => number = Date.now): () => Promise<Health> {
  let last: { at: number; value: Health } | undefined;
  let inflight: Promise<Health> | undefined;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.value);
    inflight ??= check()
      .catch((err): Health => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/** Embedded mode: the database answers. */
export function embeddedHealth(db: Pick<Queryable, 'query'>, timeoutMs = 3_000): () => Promise<Health> {
  return cachedHealth(async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Health>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, message: `the database did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
    });
    try {
      return await Promise.race([db.query('SELECT 1').then((): Health => ({ ok: true })), timeout]);
    } catch {
      return { ok: false, message: 'the database is not answering' };
    } finally {
      clearTimeout(timer);
    }
  }, 2_000);
}

/** The authenticated read the remote health check makes (cheap: one workflow). */
const HEALTH_READ = '/api/orchestration/v2/workflows?pageSize=1';

const listScopes = (scopes: string[]) => scopes.join(', ');

/**
 * Remote mode: the stack answers `/api/orchestration/_info`, its token endpoint accepts our
 * credentials, and a real authenticated read of its workflows succeeds. Getting a token proves
 * little: the stack drops the scopes a client does not hold without refusing the token, and only
 * an API call is refused (an empty 401). So the check reads, and, when the token is a JWT, names
 * the scopes that were asked for but not granted: missing orchestration scopes are unhealthy
 * (runs, edits or reads will be refused), missing ledger / wallets / payments scopes are
 * reported with a healthy status (only those pages fail).
 */
export function remoteHealth(opts: {
  stackUrl: string;
  tokens?: ClientCredentialsTokenSource;
  fetch?: typeof fetch;
  timeoutMs?: number;
  cacheMs?: number;
}): () => Promise<Health> {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const get = async (path: string, token?: string) => {
    const res = await doFetch(`${opts.stackUrl}${path}`, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    return res;
  };
  return cachedHealth(async () => {
    let info: Response;
    try {
      info = await get('/api/orchestration/_info');
    } catch (err) {
      return { ok: false, message: `cannot reach the stack at ${opts.stackUrl}: ${describeFetchError(err)}` };
    }
    if (!info.ok) return { ok: false, message: `the stack at ${opts.stackUrl} answered HTTP ${info.status} on /api/orchestration/_info` };
    let token: string | undefined;
    let read: Response;
    try {
      token = await opts.tokens?.get();
      read = await get(HEALTH_READ, token);
      if (read.status === 401 && opts.tokens) {
        opts.tokens.invalidate(token);
        token = await opts.tokens.get();
        read = await get(HEALTH_READ, token);
      }
    } catch (err) {
      if (err instanceof TokenError) return { ok: false, message: err.message };
      return { ok: false, message: `the stack at ${opts.stackUrl} did not answer a read of its workflows: ${describeFetchError(err)}` };
    }
    const granted = token ? grantedScopes(token) : undefined;
    if (read.status === 401) {
      if (!opts.tokens) return { ok: false, message: 'the stack requires a token: set FORMANCE_CLIENT_ID and FORMANCE_CLIENT_SECRET' };
      const grants = granted ? ` (its token grants ${granted.length ? listScopes(granted) : 'no scope'})` : '';
      return {
        ok: false,
        message: `the stack refused the console's token on a read of its workflows (HTTP 401): the client needs the orchestration:read scope${grants}`,
      };
    }
    if (!read.ok) return { ok: false, message: `the stack answered HTTP ${read.status} to a read of its workflows (GET ${HEALTH_READ.split('?')[0]})` };
    if (!granted || !opts.tokens) return { ok: true };
    const dropped = opts.tokens.requestedScopes.filter((s) => s !== 'openid' && !granted.includes(s));
    const flows = dropped.filter((s) => s.startsWith('orchestration:'));
    if (flows.length) {
      return {
        ok: false,
        message: `the stack did not grant the console's client ${listScopes(flows)} (asked for, left out of its token): ${flows.includes('orchestration:write') ? 'runs, new workflows and triggers, events and deletions will be refused' : 'reads will be refused'}`,
      };
    }
    if (dropped.length) return { ok: true, message: `the stack did not grant the console's client ${listScopes(dropped)}: the pages that need them will be refused` };
    return { ok: true };
  }, opts.cacheMs ?? 5_000);
}
