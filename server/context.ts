import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { BulkJobs, FilterParser } from './flows/bulk-jobs.js';
import type { InstanceSource } from './flows/instance-source.js';
import type { Health } from './http/console-info.js';
import type { ReadinessChecks } from './http/ops.js';
import type { Logger } from './lib/log.js';
import type { Metrics } from './lib/metrics.js';
import type { AuditLog } from './flows/accountability/audit.js';
import type { FlowsService } from './flows/service.js';
import type { RemoteSettings } from './remote/settings.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { EventBus } from './store/bus.js';
import type { ConsoleStore } from './store/console-store.js';
import type { Db } from './store/db.js';

/** What both modes share: the configuration and the console's own store. */
interface BaseContext {
  config: Config;
  /** the console's own tables (see store/console-store.ts): opened lazily in remote mode */
  consoleStore: ConsoleStore;
  /** this server's request and event logs (QUIET and LOG_LEVEL applied) */
  log: Logger;
  /** this server's Prometheus metrics */
  metrics: Metrics;
  /** what `/_ready` checks, by name */
  readiness: ReadinessChecks;
  /** the audit log, in the console store (flows/accountability/audit.ts) */
  audit: AuditLog;
  /** the console's work on many runs (exports, records, bulk jobs) over this mode's instances */
  runs: ConsoleRuns;
}

/** `F`: the mode's list filters (embedded: every console filter; remote: workflowID and running). */
export interface ConsoleRuns<F = any> {
  source: InstanceSource<F>;
  parseFilters: FilterParser<F>;
  bulk: BulkJobs<F>;
}

/** Embedded mode: the Flows-compatible service, its engine and the sandbox, on one store. */
export interface EmbeddedContext extends BaseContext {
  mode: 'embedded';
  db: Db;
  bus: EventBus;
  engine: Engine;
  flows: FlowsService;
  sandbox: Sandbox;
  /** PGlite on a data directory: the key of `POST /_backup`, also written into the directory (store/backup.ts) */
  backupKey?: string;
}

/** Remote mode (`FORMANCE_URL`): the stack to proxy to, and the token the server holds for it. */
export interface RemoteContext extends BaseContext {
  mode: 'remote';
  remote: RemoteSettings;
  /** the stack answers and takes our credentials (cached a few seconds) */
  stackHealth: () => Promise<Health>;
}

/** What HTTP adapters and background workers share: one per server. */
export type AppContext = EmbeddedContext | RemoteContext;
