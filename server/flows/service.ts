import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { Db } from '../store/db.js';
import { Triggers } from '../triggers/triggers.js';
import type { LinkResolver } from '../expr/index.js';
import { Instances } from './instances.js';
import { Workflows } from './workflows.js';

/** The one service layer: v1, v2 and the console are thin adapters over it. */
export class FlowsService {
  readonly workflows: Workflows;
  readonly instances: Instances;
  readonly triggers: Triggers;

  constructor(db: Db, engine: Engine, config: Pick<Config, 'runWaitMs'>, link?: LinkResolver) {
    this.workflows = new Workflows(db);
    this.instances = new Instances(db, engine, config.runWaitMs);
    this.triggers = new Triggers(db, link);
  }

  /** Convenience for seeding and tests. */
  createWorkflow(body: unknown) {
    return this.workflows.create(body);
  }
}
