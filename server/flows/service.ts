import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { Db } from '../store/db.js';
import { Triggers } from '../triggers/triggers.js';
import type { LinkResolver } from '../expr/index.js';
import { DEFAULT_WALLETS_LEDGER, type Sandbox } from '../sandbox/sandbox.js';
import { Instances } from './instances.js';
import { Overview } from './overview/overview.js';
import { EmbeddedSimulations } from './simulations.js';
import { Workflows } from './workflows.js';

/** The one service layer: v1, v2 and the console are thin adapters over it. */
export class FlowsService {
  readonly workflows: Workflows;
  readonly instances: Instances;
  readonly triggers: Triggers;
  /** the console's overview (aggregates); `sandbox` gives it balances and payment amounts */
  readonly overview: Overview;
  /** dry-runs of workflows and backtests of triggers (nothing is written) */
  readonly simulations: EmbeddedSimulations;

  constructor(db: Db, engine: Engine, config: Pick<Config, 'runWaitMs'>, link?: LinkResolver, sandbox?: Sandbox) {
    this.workflows = new Workflows(db);
    this.overview = new Overview(db, sandbox);
    this.instances = new Instances(db, engine, config.runWaitMs, this.overview.pendingSends);
    this.triggers = new Triggers(db, link);
    this.simulations = new EmbeddedSimulations(db, this.workflows, this.triggers, sandbox?.wallets.ledgerName ?? DEFAULT_WALLETS_LEDGER, link);
  }

  /** Convenience for seeding and tests. */
  createWorkflow(body: unknown) {
    return this.workflows.create(body);
  }
}
