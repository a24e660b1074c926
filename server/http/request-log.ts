import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { acceptRequestId, currentRequest, runInRequest, type RequestContext } from '../lib/request-context.js';

/**
 * First middleware of the app: gives each request its id (the caller's `X-Request-Id` when it is
 * acceptable, see acceptRequestId, else a new one), runs the request inside it (so log lines and
 * records written while serving it carry it), returns it in `X-Request-Id`, then writes one log
 * line and one metrics observation with the route *pattern* that answered.
 *
 * A request re-dispatched inside the app (service paths, see service-paths.ts) passes through
 * again: that inner pass only notes its route, the outer one logs and counts once.
 */
export function requestLog(opts: { log: Logger; metrics: Metrics }): MiddlewareHandler {
  const { log, metrics } = opts;
  return async (c, next) => {
    const outer = currentRequest();
    if (outer) {
      await next();
      outer.route = routePath(c);
      return;
    }
    const ctx: RequestContext = { id: acceptRequestId(c.req.header('x-request-id')) };
    const t0 = performance.now();
    await runInRequest(ctx, next);
    const seconds = (performance.now() - t0) / 1000;
    const route = ctx.route ?? routePath(c);
    const status = c.res.status;
    setHeader(c, 'X-Request-Id', ctx.id);
    metrics.observeRequest(c.req.method, route, status, seconds);
    if (!log.enabled(status >= 500 ? 'warn' : 'info')) return;
    const path = c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}…` : c.req.path;
    const fields = { requestId: ctx.id, method: c.req.method, path, route, status, durationMs: Math.round(seconds * 10_000) / 10 };
    const msg = `${c.req.method} ${path} ${status} ${fields.durationMs} ms`;
    if (status >= 500) log.warn(msg, fields);
    else log.info(msg, fields);
  };
}

/** Sets a response header, also on an immutable response (one passed through from fetch). */
function setHeader(c: Parameters<MiddlewareHandler>[0], name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    const res = new Response(c.res.body, c.res);
    res.headers.set(name, value);
    c.res = res;
  }
}
