import { Hono } from 'hono';
import { sendJson } from './respond.js';
import type { EmbeddedContext } from '../context.js';
import { commonFlowsRoutes, isTrue } from './flows-shared.js';

/** `/api/orchestration`: unpaged lists, v1 activity shapes. */
export function flowsV1Routes(ctx: EmbeddedContext): Hono {
  const app = new Hono({ strict: false });
  const { workflows, instances, triggers } = ctx.flows;

  app.get('/workflows', async (c) => sendJson(c, { data: await workflows.listAll() }));
  app.get('/instances', async (c) => {
    const workflowID = c.req.query('workflowID') || undefined;
    const running = isTrue(c.req.query('running')) || undefined;
    return sendJson(c, { data: await instances.listAll({ workflowID, running }) });
  });
  // v1 lists are unpaged (upstream truncates triggers to 15; we return all: docs/compatibility.md, lists).
  app.get('/triggers', async (c) => sendJson(c, { data: await triggers.listAll({ name: c.req.query('name') || undefined }) }));
  app.get('/triggers/:triggerID/occurrences', async (c) => sendJson(c, { data: await triggers.listOccurrencesAll(c.req.param('triggerID')) }));
  commonFlowsRoutes(app, ctx, { mapActivity: toV1Activity });
  return app;
}

/** v1's CreateTransaction output is one transaction object with `id` and `reverted` (docs/compatibility.md: stage history shapes). */
export function toV1Activity(a: any) {
  const out = a.output?.CreateTransaction;
  if (!out || !Array.isArray(out.data)) return a;
  const tx = out.data[0] ?? {};
  const { txid, ...rest } = tx;
  const id = tx.id ?? txid;
  return { ...a, output: { CreateTransaction: { data: { ...rest, id, reverted: tx.reverted ?? false } } } };
}
