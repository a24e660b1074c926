import { Hono, type Context } from 'hono';
import { ApiError } from '../errors.js';
import { parseBacktestRequest, parseDryRunRequest, type SimulationService } from '../flows/simulations.js';
import { stringifyJson } from '../sandbox/json.js';
import { errorBody, readJson } from './respond.js';

const NDJSON = 'application/x-ndjson';

function jsonResponse(c: Context, body: unknown) {
  return c.body(stringifyJson(body), 200, { 'Content-Type': 'application/json' });
}

/**
 * `POST /simulations/workflow` (dry-run a workflow) and `POST /simulations/trigger` (backtest a
 * trigger), mounted at `/api/console` in both modes. Amounts are exact JSON integers. A backtest
 * asked for with `Accept: application/x-ndjson` streams `{"progress": …}` lines, then one
 * `{"result": …}` (or `{"error": …}`) line; closing the connection cancels it.
 */
export function consoleSimulationRoutes(service: SimulationService): Hono {
  const app = new Hono();

  app.post('/simulations/workflow', async (c) => {
    const req = parseDryRunRequest(await readJson(c));
    return jsonResponse(c, { data: await service.dryRunWorkflow(req) });
  });

  app.post('/simulations/trigger', async (c) => {
    const req = parseBacktestRequest(await readJson(c));
    if (!(c.req.header('accept') ?? '').includes(NDJSON)) {
      return jsonResponse(c, { data: await service.backtestTrigger(req, { signal: c.req.raw.signal }) });
    }
    const cancel = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => cancel.abort(), { once: true });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(out) {
        const line = (value: unknown) => {
          if (!cancel.signal.aborted) out.enqueue(encoder.encode(`${stringifyJson(value)}\n`));
        };
        try {
          const result = await service.backtestTrigger(req, { signal: cancel.signal, onProgress: (progress) => line({ progress }) });
          line({ result });
        } catch (err) {
          if (err instanceof ApiError) line({ error: errorBody(err) });
          else {
            console.error('backtest failed:', err);
            line({ error: { errorCode: 'INTERNAL', errorMessage: 'internal error' } });
          }
        }
        if (!cancel.signal.aborted) out.close();
      },
      cancel() {
        cancel.abort();
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': NDJSON, 'Cache-Control': 'no-store' } });
  });

  return app;
}
