import { Hono, type MiddlewareHandler } from 'hono';
import type { Metrics } from '../lib/metrics.js';
import type { Health } from './console-info.js';

/**
 * Operations endpoints, outside `/api` (no gateway prefix, as orchestrators probe them):
 *
 * * `GET /_healthcheck`: the process answers (liveness). Always 200 while it serves.
 * * `GET /_ready`: it can do its job (readiness): 200 when every check passes, else 503; the body
 *   names each check (`{ status, checks: { database: { ok, message? }, … } }`). Embedded mode:
 *   the database answers, its migrations are applied, the engine and the trigger dispatcher run.
 *   Remote mode: the stack answers and our credentials get a token.
 * * `GET /metrics`: Prometheus text (see lib/metrics.ts), unless METRICS_PORT serves it on a port
 *   of its own; with AUTH_CLIENTS it needs a token or the console's session like `/api`.
 */

export type ReadinessChecks = Record<string, () => Promise<Health>>;

export interface Readiness {
  ready: boolean;
  checks: Record<string, Health>;
}

export async function checkReadiness(checks: ReadinessChecks): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) => [name, await check().catch((err: unknown): Health => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))] as const,
    ),
  );
  return { ready: entries.every(([, h]) => h.ok), checks: Object.fromEntries(entries) };
}

/** `metrics`: served here; a number: served on that port instead (this one answers 404). */
export function opsRoutes(opts: { checks: ReadinessChecks; metrics: Metrics | number }): Hono {
  const app = new Hono();
  app.get('/_healthcheck', (c) => c.json({ status: 'ok' }));
  app.get('/_ready', async (c) => {
    const r = await checkReadiness(opts.checks);
    c.header('Cache-Control', 'no-store');
    return c.json({ status: r.ready ? 'ready' : 'not ready', checks: r.checks }, r.ready ? 200 : 503);
  });
  const { metrics } = opts;
  if (typeof metrics === 'number') {
    app.get('/metrics', (c) => c.json({ errorCode: 'NOT_FOUND', errorMessage: `metrics are served on their own port (${metrics})` }, 404));
  } else app.get('/metrics', metricsHandler(metrics));
  return app;
}

/** `GET /metrics` (also the handler of the metrics port). */
export function metricsHandler(metrics: Metrics) {
  return async (c: Parameters<MiddlewareHandler>[0]) => {
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType });
  };
}
