import { Hono, type ErrorHandler } from 'hono';
import type { AppContext, EmbeddedContext } from './context.js';
import { ApiError } from './errors.js';
import { compressJson } from './http/compress-json.js';
import { accessControl } from './http/access.js';
import { accountabilityRoutes } from './http/console-accountability.js';
import { approvalRoutes, holdRunsForApproval } from './http/console-approvals.js';
import { sweepExpiredApprovals } from './flows/accountability/expiry.js';
import { Approvals, type RunGateway } from './flows/accountability/approvals.js';
import { embeddedRunGateway } from './flows/accountability/embedded-runs.js';
import { remoteRunGateway } from './remote/approval-runs.js';
import { RemoteSimulations } from './remote/simulations.js';
import { StackClient } from './remote/stack-client.js';
import { consoleTriggerRoutes } from './http/console-triggers.js';
import { consoleRunRoutes } from './http/console-runs.js';
import { consoleProgressRoutes } from './http/console-progress.js';
import { consoleViewRoutes } from './http/console-views.js';
import { SavedViews } from './flows/views.js';
import { consoleOverviewRoutes } from './http/console-overview.js';
import { mountEmbeddedApi } from './http/embedded-api.js';
import { backupRoutes } from './http/backup.js';
import { allowedMethods } from './http/method-not-allowed.js';
import { opsRoutes } from './http/ops.js';
import { mountRemoteApi } from './http/remote-api.js';
import { requestLog } from './http/request-log.js';
import { PROXIED_PREFIXES } from './http/proxy.js';
import { errorBody } from './http/respond.js';
import { LiveHub } from './http/live/hub.js';
import { liveRoutes } from './http/live/routes.js';
import { installSecurity } from './http/security.js';
import { sessionAudit } from './http/sign-in-audit.js';
import { servicePaths } from './http/service-paths.js';
import { staticRoutes } from './http/static.js';
import { errorFields } from './lib/log.js';
import { createLinkResolver } from './triggers/link.js';
import { RemoteOverview } from './remote/overview.js';

/** How an error thrown by a route is answered (both the app and the API it mounts). */
function errorResponse(ctx: AppContext): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err), err.status);
    // The message and stack trace, not the error object: its other properties (a failed
    // request's options) could carry a credential in remote mode.
    ctx.log.error('internal error', { method: c.req.method, path: c.req.path, ...errorFields(err, true) });
    return c.json({ errorCode: 'INTERNAL', errorMessage: 'internal error' }, 500);
  };
}

/** How four eyes reads definitions and starts approved runs in this mode. */
function runGateway(ctx: AppContext): RunGateway {
  if (ctx.mode === 'embedded') return embeddedRunGateway(ctx.flows);
  const { stackUrl, tokens, fetch, timeoutMs, gate } = ctx.remote;
  const stack = new StackClient(stackUrl, tokens, { fetch, timeoutMs, gate });
  return remoteRunGateway(stack, new RemoteSimulations(stack));
}

/**
 * Embedded: a stage the engine records is read and pushed at once, not at the next round; so are
 * the lists and events once a platform event is published (sandbox, triggers, engine). Returns
 * the unsubscribe.
 */
function watchCommits(ctx: EmbeddedContext, hub: LiveHub): () => void {
  const unwatchEngine = ctx.engine.onCommitted((instanceId) => hub.changed(instanceId));
  const onPublished = () => hub.changed();
  ctx.bus.on('published', onPublished);
  return () => {
    unwatchEngine();
    ctx.bus.off('published', onPublished);
  };
}

/**
 * The one HTTP app of both modes: the same middleware, error handling, console endpoints,
 * unknown-path answers and SPA; only the API mounts differ (embedded service or proxy).
 * `shutdown` aborts when the server stops accepting: long-lived streams end then.
 */
export function createApp(ctx: AppContext, shutdown?: AbortSignal): Hono {
  // strict: false — upstream tolerates a trailing slash (`/workflows/` == `/workflows`).
  const app = new Hono({ strict: false });
  // First: the request's id, its log line and metrics (it sees every answer, refusals included).
  app.use('*', requestLog(ctx));
  // Then: a service path (no gateway prefix) is re-dispatched whole, through every middleware below.
  app.use(
    '*',
    servicePaths((request, env) => app.fetch(request, env)),
  );

  const onError = errorResponse(ctx);
  app.onError(onError);
  // Guards every route: Host/Origin checks, security headers, body limit, AUTH_CLIENTS.
  installSecurity(app, ctx.config, { recordSession: sessionAudit(ctx.audit, ctx.mode) });
  // API JSON above a threshold goes out brotli/gzip (static files are precompressed at build time).
  app.use('/api/*', compressJson());
  // Scopes, roles, a required reason, and the audit record of every write (docs/accountability.md).
  const consoleDb = () => ctx.consoleStore.db();
  const proxied = (path: string) => ctx.mode === 'remote' && PROXIED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  app.use('/api/*', accessControl({ mode: ctx.mode, audit: ctx.audit, db: consoleDb, answeredByStack: proxied }));
  // Four eyes: a run a rule holds waits for a second person's approval instead of starting.
  const approvals = new Approvals(consoleDb, runGateway(ctx), undefined, ctx.mode);
  app.use('/api/*', holdRunsForApproval(approvals, { remote: ctx.mode === 'remote' }));
  // Each request past its time gets its audit entry, once (remote mode: once its store is open).
  if (shutdown) sweepExpiredApprovals(approvals, { signal: shutdown, log: ctx.log, ready: () => ctx.consoleStore.isOpen?.() ?? true });

  // Liveness, readiness and (unless METRICS_PORT serves them apart) the metrics.
  app.route('/', opsRoutes({ checks: ctx.readiness, metrics: ctx.config.metricsPort ?? ctx.metrics }));

  // `flows-console backup` of a running server's PGlite store.
  if (ctx.mode === 'embedded' && ctx.backupKey) app.route('/', backupRoutes(ctx, ctx.backupKey));
  // The API on its own app, so live updates read it as any client would, past the door's checks.
  const api = new Hono({ strict: false });
  api.onError(onError);
  if (ctx.mode === 'embedded') mountEmbeddedApi(api, ctx);
  else mountRemoteApi(api, ctx);
  // Watchable: the instances list's rows follow their progress through the live stream.
  api.route('/api/console', consoleProgressRoutes(ctx.runs.source));
  app.route('/', api);
  const hub = new LiveHub(
    async (topic) => {
      const res = await api.request(topic);
      return { status: res.status, text: await res.text() };
    },
    ctx.config.liveIntervalMs ?? (ctx.mode === 'remote' ? 1000 : 100),
  );
  const unwatch = ctx.mode === 'embedded' ? watchCommits(ctx, hub) : undefined;
  // Open streams end when the server shuts down (browsers reconnect to the next one).
  shutdown?.addEventListener(
    'abort',
    () => {
      unwatch?.();
      hub.close();
    },
    { once: true },
  );
  app.route('/api/console', liveRoutes(hub));
  // The trigger editor's helpers need no store. In remote mode `link()` in a preview gets no
  // stack credentials: the payload's URLs come from the browser, and the stack token must not go to them.
  app.route('/api/console', consoleTriggerRoutes(createLinkResolver()));
  // The console's own tables (embedded: the service's store; remote: its own, opened on first use).
  app.route('/api/console', consoleViewRoutes(new SavedViews(ctx.consoleStore)));
  app.route('/api/console', consoleRunRoutes(ctx.runs));
  // The overview: SQL over the store (embedded), bounded scans of the stack's lists (remote).
  const { stackUrl, tokens, fetch } = ctx.mode === 'remote' ? ctx.remote : { stackUrl: '', tokens: undefined, fetch: undefined };
  app.route('/api/console', consoleOverviewRoutes(ctx.mode === 'embedded' ? ctx.flows.overview : new RemoteOverview(stackUrl, tokens, fetch)));
  app.route('/api/console', accountabilityRoutes({ audit: ctx.audit, db: consoleDb }));
  app.route('/api/console', approvalRoutes(approvals));

  // Unknown API paths: JSON 405 or 404 (the SPA fallback below must never answer them).
  const where = ctx.mode === 'remote' ? ' in remote mode' : '';
  app.all('/api/*', (c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length) {
      c.header('Allow', allowed.join(', '));
      return c.json({ errorCode: 'VALIDATION', errorMessage: `method ${c.req.method} is not allowed on ${c.req.path}: use ${allowed.join(', ')}` }, 405);
    }
    return c.json({ errorCode: 'NOT_FOUND', errorMessage: `no such endpoint${where}: ${c.req.method} ${c.req.path}` }, 404);
  });

  app.route('/', staticRoutes(ctx.config));
  return app;
}
