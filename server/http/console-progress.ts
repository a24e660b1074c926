import { Hono } from 'hono';
import { parseProgressIds } from '../flows/instance-progress.js';
import type { InstanceSource } from '../flows/instance-source.js';

/**
 * `GET /api/console/instances/progress?id=…&id=…`: where each instance is, for the instances
 * list's running rows (flows/instance-progress.ts). Mounted on the API app the live stream reads,
 * so a list watches its rows' progress as one topic.
 */
export function consoleProgressRoutes(source: Pick<InstanceSource<unknown>, 'progress'>): Hono {
  const app = new Hono();
  app.get('/instances/progress', async (c) => c.json({ data: await source.progress(parseProgressIds(c.req.queries('id'))) }));
  return app;
}
