import { Hono } from 'hono';
import type { OverviewSource } from '../flows/overview/overview.js';
import { parseCount, parseSpan, parseWindow } from '../flows/overview/windows.js';
import { stringifyJson } from '../sandbox/json.js';

/**
 * `GET /api/console/overview/{now,runs,failures,attention,money}` (mount at `/api/console`):
 * the console's first page. Thin: query params → the overview service of the mode (embedded:
 * flows/overview, SQL; remote: remote/overview.ts, bounded scans of the stack's lists). Bad
 * params are 400 naming the parameter. Amounts are JSON integers of any size.
 */
export function consoleOverviewRoutes(source: OverviewSource): Hono {
  const app = new Hono();
  const send = (body: unknown) => new Response(stringifyJson(body), { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

  app.get('/overview/now', async (c) => send(await source.now(parseWindow(c.req.query('window')))));
  app.get('/overview/runs', async (c) => send(await source.runs(parseWindow(c.req.query('window')))));
  app.get('/overview/failures', async (c) => send(await source.failures(parseWindow(c.req.query('window')))));
  app.get('/overview/attention', async (c) => {
    const waitingLabel = c.req.query('waitingLongerThan') ?? '1h';
    const delayedLabel = c.req.query('delayedBeyond') ?? '7d';
    const thresholds = {
      waitingLongerThan: parseSpan('waitingLongerThan', waitingLabel, '1h'),
      waitingLabel,
      minRetries: parseCount('minRetries', c.req.query('minRetries'), 5, 1, 1_000_000),
      delayedBeyond: parseSpan('delayedBeyond', delayedLabel, '7d'),
      delayedLabel,
    };
    return send(await source.attention(thresholds));
  });
  app.get('/overview/money', async () => send(await source.money()));
  return app;
}
