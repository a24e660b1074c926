import type { Hono } from 'hono';
import type { EmbeddedContext } from '../context.js';
import { consoleInfoRoutes, embeddedHealth } from './console-info.js';
import { consoleSimulationRoutes } from './console-simulations.js';
import { flowsV1Routes } from './flows-v1.js';
import { flowsV2Routes } from './flows-v2.js';
import { inputGuard } from './input-guard.js';
import { sandboxRoutes } from './sandbox/index.js';

/** Embedded mode's API: Flows v1 and v2, the sandbox services, the console's info. */
export function mountEmbeddedApi(app: Hono, ctx: EmbeddedContext): void {
  // Text the database cannot store (NUL, unpaired surrogates, deep nesting) → 400.
  app.use('/api/*', inputGuard());
  app.route('/api/orchestration/v2', flowsV2Routes(ctx));
  app.route('/api/orchestration', flowsV1Routes(ctx));
  app.route('/api/console', consoleInfoRoutes({ mode: 'embedded', health: embeddedHealth(ctx.db) }));
  app.route('/api/console', consoleSimulationRoutes(ctx.flows.simulations));
  app.route('/api', sandboxRoutes(ctx));
}
