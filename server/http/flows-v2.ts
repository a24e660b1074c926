import { Hono } from 'hono';
import type { EmbeddedContext } from '../context.js';
import { checkInstanceFilters, parseInstanceListFilters } from './instance-filters.js';
import { onlyKeys, optionalString, parsePageRequest } from '../store/pagination.js';
import { commonFlowsRoutes, isTrue } from './flows-shared.js';
import { readJson, sendJson } from './respond.js';

/** `/api/orchestration/v2`: cursor-paged lists, v2 activity shapes. */
export function flowsV2Routes(ctx: EmbeddedContext): Hono {
  const app = new Hono({ strict: false });
  const { workflows, instances, triggers } = ctx.flows;

  app.get('/workflows', async (c) => {
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, {}, (raw) => {
      onlyKeys(raw, []);
      return {};
    });
    return sendJson(c, { cursor: await workflows.list(page) });
  });
  app.get('/instances', async (c) => {
    const workflowID = c.req.query('workflowID') || undefined;
    const running = isTrue(c.req.query('running')) || undefined;
    // Console filters; with a cursor every other param is ignored (the token carries them).
    const extras = c.req.query('cursor') ? {} : parseInstanceListFilters((name) => c.req.query(name));
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, { workflowID, running, ...extras }, checkInstanceFilters);
    return sendJson(c, { cursor: await instances.list(page) });
  });
  app.get('/triggers', async (c) => {
    const name = c.req.query('name') || undefined;
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, { name }, (raw) => {
      onlyKeys(raw, ['name']);
      return { name: optionalString(raw, 'name') };
    });
    return sendJson(c, { cursor: await triggers.list(page) });
  });
  app.get('/triggers/:triggerID/occurrences', async (c) => {
    const triggerID = c.req.param('triggerID');
    const page = parsePageRequest({ cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }, { triggerID }, (raw) => {
      onlyKeys(raw, ['triggerID']);
      // A cursor lists the occurrences of the trigger it was issued for, whatever the path says.
      return { triggerID: optionalString(raw, 'triggerID') ?? triggerID };
    });
    return sendJson(c, { cursor: await triggers.listOccurrences(triggerID, page) });
  });
  app.post('/triggers/:triggerID/test', async (c) => sendJson(c, { data: await triggers.test(c.req.param('triggerID'), await readJson(c)) }));
  commonFlowsRoutes(app, ctx, { mapActivity: (a) => a });
  return app;
}
