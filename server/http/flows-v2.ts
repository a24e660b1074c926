import { Hono } from 'hono';
import type { AppContext } from '../context.js';
import { parsePageRequest } from '../flows/pagination.js';
import { commonFlowsRoutes, isTrue } from './flows-shared.js';

/** `/api/orchestration/v2`: cursor-paged lists, v2 activity shapes. */
export function flowsV2Routes(ctx: AppContext): Hono {
  const app = new Hono({ strict: false });
  const { workflows, instances } = ctx.flows;

  app.get('/workflows', async (c) => {
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, {});
    return c.json({ cursor: await workflows.list(page) });
  });
  app.get('/instances', async (c) => {
    const workflowID = c.req.query('workflowID') || undefined;
    const running = isTrue(c.req.query('running')) || undefined;
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, { workflowID, running });
    return c.json({ cursor: await instances.list(page) });
  });
  commonFlowsRoutes(app, ctx, { mapActivity: (a) => a });
  return app;
}
