import { Server as HttpServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { AppContext, EmbeddedContext, RemoteContext } from './context.js';
import { Engine } from './engine/engine.js';
import { BulkJobs } from './flows/bulk-jobs.js';
import { EmbeddedInstances } from './flows/console-instances.js';
import { AuditLog } from './flows/accountability/audit.js';
import { FlowsService } from './flows/service.js';
import { TokenIssuer } from './http/auth.js';
import { answerClientError, createServerWithJsonErrors } from './http/client-error.js';
import { parseListFilters, parseStackListFilters } from './http/instance-filters.js';
import { embeddedHealth, remoteHealth, type Health } from './http/console-info.js';
import { metricsHandler } from './http/ops.js';
import { Logger } from './lib/log.js';
import { Metrics } from './lib/metrics.js';
import { instrumentedFetch } from './remote/instrumented-fetch.js';
import { remoteSettings } from './remote/settings.js';
import { StackClient } from './remote/stack-client.js';
import { StackInstances } from './remote/stack-instances.js';
import { Sandbox } from './sandbox/sandbox.js';
import { seedDemo } from './seed.js';
import { ServerFile } from './store/backup.js';
import { EventBus } from './store/bus.js';
import { lazyConsoleStore, sharedConsoleStore } from './store/console-store.js';
import { openStore, pendingMigrations } from './store/open.js';
import { TriggerDispatcher } from './triggers/dispatcher.js';
import { createLinkResolver } from './triggers/link.js';
import { VERSION } from './version.js';

/**
 * The composition root of both modes: builds the context of the configured mode, serves it with
 * the one app (app.ts) on one HTTP server, and shuts both down the same way.
 */

/** How long in-flight requests may take to finish once shutdown starts (SIGTERM budget: 15 s). */
export const SHUTDOWN_GRACE_MS = 3_000;

export interface RunningServer {
  url: string;
  /** where /metrics is served when METRICS_PORT is set */
  metricsUrl?: string;
  /** the server's context, in either mode */
  context: AppContext;
  /** embedded mode's context (tests and benchmarks reach the service through it); throws in remote mode */
  ctx: EmbeddedContext;
  /** Stops taking work, releases leases, closes the stores. */
  close(): Promise<void>;
}

/** A mode's context and the background work that goes with it. */
interface Mode {
  ctx: AppContext;
  /** once the server stops accepting: answer what waits on work in flight */
  release(): void;
  /** after the last request: stop background work, close what the mode opened */
  stop(): Promise<void>;
  /** the server listens at `url` */
  listening?(url: string): void;
}

/** Opens the store, starts the engine and the HTTP server. Used by main, tests and benchmarks. */
export async function startServer(config: Config): Promise<RunningServer> {
  const log = new Logger({ format: config.logFormat, level: config.quiet ? 'warn' : config.logLevel });
  const metrics = new Metrics();
  const mode = config.formanceUrl ? remoteMode(config, log, metrics) : await embeddedMode(config, log, metrics);
  metrics.info.set({ version: VERSION, mode: mode.ctx.mode }, 1);
  let server: ServerType;
  let metricsServer: ServerType | undefined;
  const shutdown = new AbortController();
  try {
    server = await listen(createApp(mode.ctx, shutdown.signal), config, config.port, config.host);
    if (config.metricsPort !== undefined) metricsServer = await listen(metricsApp(metrics), config, config.metricsPort, config.metricsHost ?? config.host);
  } catch (err) {
    await closeServer(server!);
    await mode.stop();
    throw err;
  }

  const url = urlOf(server, config.host);
  mode.listening?.(url);
  let closing: Promise<void> | undefined;
  return {
    url,
    metricsUrl: metricsServer && urlOf(metricsServer, config.metricsHost ?? config.host),
    context: mode.ctx,
    ctx: mode.ctx.mode === 'embedded' ? mode.ctx : noEmbeddedContext(),
    close() {
      closing ??= (async () => {
        // Stop accepting: idle keep-alive sockets close now, busy ones once answered. Whatever
        // still holds a connection after a grace period (a slow or stalled client) is cut, so it
        // cannot hold the shutdown past its budget.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        mode.release();
        shutdown.abort();
        const http1 = 'closeAllConnections' in server ? server : undefined;
        http1?.closeIdleConnections();
        const grace = setTimeout(() => http1?.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(grace);
        await closeServer(metricsServer);
        await mode.stop();
      })();
      return closing;
    },
  };
}

function urlOf(server: ServerType, configuredHost: string): string {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = configuredHost.includes(':') ? `[${configuredHost}]` : configuredHost;
  return `http://${host}:${port}`;
}

async function closeServer(server: ServerType | undefined): Promise<void> {
  if (!server?.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeAllConnections' in server) server.closeAllConnections();
}

/** METRICS_PORT: `/metrics` alone, for a scraper on a private interface. */
function metricsApp(metrics: Metrics): Hono {
  const app = new Hono();
  app.get('/metrics', metricsHandler(metrics));
  app.all('*', (c) => c.json({ errorCode: 'NOT_FOUND', errorMessage: 'this port serves GET /metrics only' }, 404));
  return app;
}

/** One HTTP server for either mode: JSON answers to malformed requests, listen errors reported. */
async function listen(app: Hono, config: Config, port: number, hostname: string): Promise<ServerType> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname, createServer: createServerWithJsonErrors(app.fetch, hostname) }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  server.on('clientError', answerClientError);
  // An idle kept-alive connection is closed after KEEP_ALIVE_MS, not Node's 5 s. A client that
  // sends on an idle connection just as the server closes it gets ECONNRESET (the e2e API client
  // met it under load; a proxy in front pools connections the same way). Proxies and load
  // balancers drop idle connections after 60 s, so the server waits longer than they do.
  if (server instanceof HttpServer) {
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1000;
  }
  return server;
}

/** How long an idle kept-alive connection stays open (longer than the usual proxy's 60 s). */
export const KEEP_ALIVE_MS = 75_000;

async function embeddedMode(config: Config, log: Logger, metrics: Metrics): Promise<Mode> {
  // Refuse a malformed AUTH_CLIENTS / signing key before opening anything (nothing to clean up).
  TokenIssuer.fromConfig(config);
  const { db, isNew } = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bus = new EventBus();
  const sandbox = new Sandbox(db, bus);
  const engine = new Engine(db, bus, { db, sandbox }, { leaseMs: config.engineLeaseMs, log, metrics });
  const flows = new FlowsService(db, engine, config, createLinkResolver(), sandbox);
  const triggers = new TriggerDispatcher(db, bus, engine, createLinkResolver(), { log, metrics });
  let migrated = false;
  const readiness = {
    database: embeddedHealth(db),
    migrations: async (): Promise<Health> => {
      if (migrated) return { ok: true };
      const pending = await pendingMigrations(db);
      migrated = pending.length === 0;
      return migrated ? { ok: true } : { ok: false, message: `migrations not applied: ${pending.join(', ')}` };
    },
    engine: async (): Promise<Health> =>
      engine.isRunning && triggers.isRunning ? { ok: true } : { ok: false, message: 'the engine or the trigger dispatcher is not running' },
  };
  metrics.addCollector(async () => {
    metrics.tasksInFlight.set(engine.inFlightCount);
    const q = await engine.queueStats();
    metrics.tasks.set({ state: 'due' }, q.due);
    metrics.tasks.set({ state: 'leased' }, q.leased);
    metrics.tasks.set({ state: 'scheduled' }, q.scheduled);
    metrics.oldestDueTask.set(q.oldestDueSeconds);
    metrics.eventsBehind.set(await triggers.eventsBehind());
  });
  if (db.poolStats) {
    const stats = db.poolStats.bind(db);
    metrics.addCollector(async () => {
      const p = stats();
      metrics.dbConnections.set({ state: 'total' }, p.total);
      metrics.dbConnections.set({ state: 'idle' }, p.idle);
      metrics.dbWaiting.set(p.waiting);
    });
  }
  const consoleStore = sharedConsoleStore(db);
  const source = new EmbeddedInstances(db, flows);
  const runs = { source, parseFilters: parseListFilters, bulk: new BulkJobs(consoleStore, source, parseListFilters) };
  // PGlite on a directory: `flows-console backup` finds this server through a file in it (store/backup.ts).
  const backupKey = db.dumpDataDir ? ServerFile.newKey() : undefined;
  const audit = new AuditLog(() => consoleStore.db());
  const ctx: EmbeddedContext = { mode: 'embedded', config, log, metrics, readiness, consoleStore, audit, runs, db, bus, engine, flows, sandbox, backupKey };
  try {
    if (isNew && config.seed) await seedDemo(ctx);
    await engine.start();
    await triggers.start();
    // Bulk jobs a restart interrupted carry on.
    await runs.bulk.resume();
    flows.overview.start();
  } catch (err) {
    await runs.bulk.close();
    await triggers.stop();
    await engine.stop();
    await db.close();
    throw err;
  }
  return {
    ctx,
    // `wait=true` runs answer now, with their instance as it is.
    release: () => engine.releaseWaiters(),
    listening(url) {
      if (backupKey) ServerFile.write(config.dataDir, { pid: process.pid, url, key: backupKey });
    },
    async stop() {
      if (backupKey) ServerFile.remove(config.dataDir, backupKey);
      await runs.bulk.close();
      await flows.overview.stop();
      await triggers.stop();
      await engine.stop();
      await db.close();
    },
  };
}

function remoteMode(config: Config, log: Logger, metrics: Metrics): Mode {
  // Every call to the stack (proxy, health, token) is timed and counted.
  const token: { url?: string } = {};
  const remote = remoteSettings(config, { fetch: instrumentedFetch(metrics, () => token.url) });
  token.url = remote.tokens?.tokenUrl;
  if (!remote.tokens && !config.quiet) {
    log.warn('remote mode without FORMANCE_CLIENT_ID/FORMANCE_CLIENT_SECRET: calling the stack without a token');
  }
  const stackHealth = remoteHealth({ stackUrl: remote.stackUrl, tokens: remote.tokens, fetch: remote.fetch });
  // Nothing is opened here: the console's own store only when a feature first asks for it.
  const consoleStore = lazyConsoleStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Bulk jobs a restart interrupted resume when jobs are next looked at (the store opens then).
  const source = new StackInstances(new StackClient(remote.stackUrl, remote.tokens, { fetch: remote.fetch, timeoutMs: remote.timeoutMs, gate: remote.gate }));
  const runs = { source, parseFilters: parseStackListFilters, bulk: new BulkJobs(consoleStore, source, parseStackListFilters) };
  const audit = new AuditLog(() => consoleStore.db());
  const ctx: RemoteContext = { mode: 'remote', config, log, metrics, readiness: { stack: stackHealth }, stackHealth, consoleStore, audit, remote, runs };
  return {
    ctx,
    release: () => {},
    async stop() {
      await runs.bulk.close();
      await consoleStore.close();
    },
  };
}

/**
 * `RunningServer.ctx` in remote mode: there is no store, engine or service to hand out, so any
 * use of it is a bug — it throws with a message that says so instead of failing obscurely.
 */
function noEmbeddedContext(): EmbeddedContext {
  return new Proxy({} as EmbeddedContext, {
    get(_target, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      throw new Error(`remote mode (FORMANCE_URL): the server has no embedded context ('ctx.${prop}')`);
    },
  });
}
