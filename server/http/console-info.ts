import { Hono } from 'hono';
import type { Queryable } from '../store/db.js';
import { VERSION } from '../version.js';
import { describeFetchError, type ClientCredentialsTokenSource } from '../remote/token.js';
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
      return await Promise.race([
        db.query('SELECT 1').then((): Health => ({ ok: true })),
        timeout,
      ]);
    } catch {
      return { ok: false, message: 'the database is not answering' };
    } finally {
      clearTimeout(timer);
    }
  }, 2_000);
}

/**
 * Remote mode: the stack answers `/api/orchestration/_info`, and (when credentials are
 * configured) its token endpoint accepts ours — the two ways a remote connection breaks.
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
  return cachedHealth(async () => {
    const infoUrl = `${opts.stackUrl}/api/orchestration/_info`;
    let res: Response;
    try {
      res = await doFetch(infoUrl, { headers: { accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      return { ok: false, message: `cannot reach the stack at ${opts.stackUrl}: ${describeFetchError(err)}` };
    }
    await res.body?.cancel().catch(() => {});
    if (!res.ok) return { ok: false, message: `the stack at ${opts.stackUrl} answered HTTP ${res.status} on /api/orchestration/_info` };
    if (opts.tokens) {
      try {
        await opts.tokens.get();
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ok: true };
  }, opts.cacheMs ?? 5_000);
}
