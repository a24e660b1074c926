import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { EventBus } from './store/bus.js';
import type { FlowsService } from './flows/service.js';
import type { Db } from './store/db.js';

/** What HTTP adapters and background workers share: one instance per server. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: EventBus;
  engine: Engine;
  flows: FlowsService;
  /** Extra services registered by other modules (sandbox, triggers, ...). */
  services: Record<string, unknown>;
}
