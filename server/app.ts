import { Hono } from 'hono';
import { ApiError } from './errors.js';
import type { AppContext } from './context.js';
import { errorBody } from './http/respond.js';
import { flowsV1Routes } from './http/flows-v1.js';
import { flowsV2Routes } from './http/flows-v2.js';
import { staticRoutes } from './http/static.js';
import { installSecurity } from './http/security.js';
import { inputGuard } from './http/input-guard.js';
import { consoleInfoRoutes, embeddedHealth } from './http/console-info.js';
import { sandboxRoutes } from './http/sandbox/index.js';
import { consoleTriggerRoutes } from './http/console-triggers.js';
import { createLinkResolver } from './triggers/link.js';
import { allowedMethods } from './http/method-not-allowed.js';
import { servicePaths } from './http/service-paths.js';

export function createApp(ctx: AppContext): Hono {
  // strict: false — upstream tolerates a trailing slash (`/workflows/` == `/workflows`).
  const app = new Hono({ strict: false });
  // First: a service path is re-dispatched whole, through every middleware below.
  app.use('*', servicePaths((request, env) => app.fetch(request, env)));

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err), err.status);
    console.error('internal error:', err);
    return c.json({ errorCode: 'INTERNAL', errorMessage: 'internal error' }, 500);
  });
  // First, so it guards every route: Host/Origin checks, security headers, body limit, AUTH_CLIENTS.
  installSecurity(app, ctx.config);
  // Then: text the database cannot store (NUL, unpaired surrogates, deep nesting) → 400.
  app.use('/api/*', inputGuard());

  app.get('/_healthcheck', (c) => c.json({ status: 'ok' }));

  // --- API mounts (one line per module) ---
  app.route('/api/orchestration/v2', flowsV2Routes(ctx));
  app.route('/api/orchestration', flowsV1Routes(ctx));
  app.route('/api/console', consoleInfoRoutes({ mode: 'embedded', health: embeddedHealth(ctx.db) }));
  app.route('/api/console', consoleTriggerRoutes(createLinkResolver()));
  app.route('/api', sandboxRoutes(ctx));

  // Unknown API paths: JSON 404 (the SPA fallback below must never answer them).
  app.all('/api/*', (c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length) {
      c.header('Allow', allowed.join(', '));
      return c.json({ errorCode: 'VALIDATION', errorMessage: `method ${c.req.method} is not allowed on ${c.req.path}: use ${allowed.join(', ')}` }, 405);
    }
    return c.json({ errorCode: 'NOT_FOUND', errorMessage: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404);
  });

  app.route('/', staticRoutes(ctx));
  return app;
}
