import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
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
