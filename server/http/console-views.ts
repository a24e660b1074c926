import { Hono } from 'hono';
import type { SavedViews } from '../flows/views.js';
import { noContent, readJson } from './respond.js';

/** `/api/console/views`: the lists' saved views (flows/views.ts), in both modes. */
export function consoleViewRoutes(views: SavedViews): Hono {
  const app = new Hono();
  app.get('/views', async (c) => c.json({ data: await views.list(c.req.query('list')) }));
  app.post('/views', async (c) => c.json({ data: await views.create(await readJson(c)) }, 201));
  app.get('/views/:id', async (c) => c.json({ data: await views.get(c.req.param('id')) }));
  app.patch('/views/:id', async (c) => c.json({ data: await views.update(c.req.param('id'), await readJson(c)) }));
  app.delete('/views/:id', async (c) => {
    await views.remove(c.req.param('id'));
    return noContent(c);
  });
  return app;
}
