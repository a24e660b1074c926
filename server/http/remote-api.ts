import type { Hono } from 'hono';
import type { RemoteContext } from '../context.js';
import { RemoteSimulations } from '../remote/simulations.js';
import { StackClient } from '../remote/stack-client.js';
import { consoleInfoRoutes } from './console-info.js';
import { consoleSimulationRoutes } from './console-simulations.js';
import { inputGuard } from './input-guard.js';
import { PROXIED_PREFIXES, proxyHandler } from './proxy.js';

/** Remote mode's API: the stack's services through the proxy, the console's info, dry-runs and backtests. */
export function mountRemoteApi(app: Hono, ctx: RemoteContext): void {
  const { stackUrl, tokens, fetch, timeoutMs, gate } = ctx.remote;
  // The console's own endpoints write to its own store: text it cannot store is a 400 here too.
  app.use('/api/console/*', inputGuard());
  app.route('/api/console', consoleInfoRoutes({ mode: 'remote', stackUrl, health: ctx.stackHealth }));
  // Computed here from the stack's data, read with GET calls and the server's token (bounded with the proxy's calls).
  app.route('/api/console', consoleSimulationRoutes(new RemoteSimulations(new StackClient(stackUrl, tokens, { fetch, timeoutMs, gate }))));
  const proxy = proxyHandler({ stackUrl, tokens, fetch, timeoutMs, gate });
  for (const prefix of PROXIED_PREFIXES) {
    app.all(prefix, proxy);
    app.all(`${prefix}/*`, proxy);
  }
}
