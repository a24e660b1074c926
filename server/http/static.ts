import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Config } from '../config.js';

/** Serves the built SPA; unknown non-API paths get index.html (client-side routing). */
export function staticRoutes(config: Pick<Config, 'staticDir'>): Hono {
  const app = new Hono();
  const root = resolve(config.staticDir);
  const indexFile = join(root, 'index.html');
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // (serveStatic warns on every start when the directory is missing: the fallback below says why)
  if (existsSync(root)) app.use('/*', serveStatic({ root }));
  app.get('/*', (c) => {
    if (!existsSync(indexFile)) {
      return c.text('The console is not built. Run `npm start` (it builds it) or `npm run build`.', 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
