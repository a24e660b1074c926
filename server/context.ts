import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { BulkJobs, FilterParser } from './flows/bulk-jobs.js';
import type { InstanceSource } from './flows/instance-source.js';
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
}

/** Remote mode (`FORMANCE_URL`): the stack to proxy to, and the token the server holds for it. */
export interface RemoteContext extends BaseContext {
  mode: 'remote';
  remote: RemoteSettings;
}

/** What HTTP adapters and background workers share: one per server. */
export type AppContext = EmbeddedContext | RemoteContext;
