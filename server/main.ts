import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { answerClientError, createServerWithJsonErrors } from './http/client-error.js';
import { configFromEnv, type Config } from './config.js';
import type { AppContext } from './context.js';
import { Engine } from './engine/engine.js';
import { EventBus } from './store/bus.js';
import { FlowsService } from './flows/service.js';
import { startRemoteServer, noEmbeddedContext } from './remote/server.js';
import { openStore } from './store/open.js';
import { TokenIssuer } from './http/auth.js';
import { Sandbox } from './sandbox/sandbox.js';
import { seedSandbox } from './sandbox/seed.js';
import { TriggerDispatcher } from './triggers/dispatcher.js';
import { createLinkResolver } from './triggers/link.js';
import { VERSION } from './version.js';

/** How long in-flight requests may take to finish once shutdown starts (SIGTERM budget: 15 s). */
const SHUTDOWN_GRACE_MS = 3_000;

export interface RunningServer {
  url: string;
  ctx: AppContext;
  /** Stops taking work, releases leases, closes the database. */
  close(): Promise<void>;
}

/** Opens the store, starts the engine and the HTTP server. Used by main, tests and benchmarks. */
export async function startServer(config: Config): Promise<RunningServer> {
  // Remote mode: no store, no engine; proxy to the stack (server/remote/server.ts).
  if (config.formanceUrl) return { ctx: noEmbeddedContext(), ...(await startRemoteServer(config)) };
  // Refuse a malformed AUTH_CLIENTS / signing key before opening anything (nothing to clean up).
  TokenIssuer.fromConfig(config);
  const { db, isNew } = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bus = new EventBus();
  const services: Record<string, unknown> = {};
  services.sandbox = new Sandbox(db, bus);
  const engine = new Engine(db, bus, { db, ...services });
  const flows = new FlowsService(db, bus, engine, config, createLinkResolver());
  const triggers = new TriggerDispatcher(db, bus, flows.instances, engine, createLinkResolver());
  const ctx: AppContext = { config, db, bus, engine, flows, services };
  if (isNew && config.seed) await seedSandbox(ctx);

  await engine.start();
  await triggers.start();
  const app = createApp(ctx);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer: createServerWithJsonErrors(app.fetch, config.host) }, () => resolve(s));
  });
  server.on('clientError', answerClientError);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    ctx,
    close() {
      closing ??= (async () => {
        // Stop accepting: idle keep-alive sockets close now, busy ones once answered. Whatever
        // still holds a connection after a grace period (a slow or stalled client) is cut, so it
        // cannot hold the shutdown past its budget.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // `wait=true` runs answer now, with their instance as it is.
        engine.releaseWaiters();
        const http1 = 'closeAllConnections' in server ? server : undefined;
        http1?.closeIdleConnections();
        const grace = setTimeout(() => http1?.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(grace);
        await triggers.stop();
        await engine.stop();
        await db.close();
      })();
      return closing;
    },
  };
}

async function main() {
  const config = configFromEnv();
  const running = await startServer(config);
  const mode = config.formanceUrl ? `remote stack ${config.formanceUrl}` : config.databaseUrl ? 'embedded (PostgreSQL)' : `embedded (PGlite, ${config.dataDir})`;
  console.log(`Flows Console ${VERSION} — ${mode}`);
  console.log(`Listening on ${running.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    await running.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && /main\.(ts|js|mjs)$/.test(process.argv[1]) && !process.env.VITEST) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
