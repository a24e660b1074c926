import type { Context, Hono } from 'hono';
import type { EmbeddedContext } from '../context.js';
import { parseWorkflowBody } from './workflow-body.js';
import { VERSION } from '../version.js';
import { noContent, readJson, sendJson } from './respond.js';

/** `true|1` in any case; anything else means "not set" (docs/compatibility.md: lists). */
export const isTrue = (v: string | undefined) => v !== undefined && ['true', '1'].includes(v.toLowerCase());

/**
 * Routes that are the same in v1 and v2 (single objects and no-content operations).
 * Each handler is a thin translation from HTTP to the service.
 */
export function commonFlowsRoutes(app: Hono, ctx: EmbeddedContext, opts: { mapActivity: (a: any) => any }) {
  const { workflows, instances, triggers } = ctx.flows;

  app.get('/_info', (c) => sendJson(c, { version: VERSION }));

  app.post('/workflows', async (c) => {
    const body = parseWorkflowBody(await c.req.text(), c.req.header('content-type'));
    return sendJson(c, { data: await workflows.create(body) }, 201);
  });
  app.get('/workflows/:flowId', async (c) => sendJson(c, { data: await workflows.get(c.req.param('flowId')) }));
  app.delete('/workflows/:flowId', async (c) => {
    await workflows.delete(c.req.param('flowId'));
    return noContent(c);
  });

  app.post('/workflows/:workflowID/instances', async (c) => {
    const body = await readJson(c, { optional: true });
    const instance = await instances.run(c.req.param('workflowID'), body, { wait: isTrue(c.req.query('wait')) });
    return sendJson(c, { data: instance }, 201);
  });

  app.get('/instances/:instanceID', async (c) => sendJson(c, { data: await instances.get(c.req.param('instanceID')) }));
  app.post('/instances/:instanceID/events', async (c) => {
    await instances.sendEvent(c.req.param('instanceID'), await readJson(c));
    return noContent(c);
  });
  app.put('/instances/:instanceID/abort', async (c) => {
    await instances.abort(c.req.param('instanceID'));
    return noContent(c);
  });
  app.get('/instances/:instanceID/history', async (c) => sendJson(c, { data: await instances.history(c.req.param('instanceID')) }));
  app.get('/instances/:instanceID/stages/:number/history', async (c) => {
    const rows = await instances.stageHistory(c.req.param('instanceID'), c.req.param('number'));
    return sendJson(c, { data: rows.map(opts.mapActivity) });
  });

  app.post('/triggers', async (c) => sendJson(c, { data: await triggers.create(await readJson(c)) }, 201));
  app.get('/triggers/:triggerID', async (c) => sendJson(c, { data: await triggers.get(c.req.param('triggerID')) }));
  app.delete('/triggers/:triggerID', async (c) => {
    await triggers.delete(c.req.param('triggerID'));
    return noContent(c);
  });
}

/** Upstream tolerates a trailing slash (`/workflows/` == `/workflows`). */
export function stripTrailingSlash(c: Context): string | undefined {
  const p = c.req.path;
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : undefined;
}
