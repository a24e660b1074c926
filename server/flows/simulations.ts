import { dryRunOnSandbox, simulateWorkflow, type WorkflowSimulation } from '../engine/simulate/index.js';
import { notFound } from '../errors.js';
import type { LinkResolver } from '../expr/index.js';
import { createOverlay, SandboxReadSource } from '../sandbox/overlay/index.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { EventBus } from '../store/bus.js';
import type { Db } from '../store/db.js';
import { readOnlyDb } from '../store/read-only.js';
import { backtestTrigger, type BacktestProgress, type BacktestResult, type BacktestTrigger } from '../triggers/backtest.js';
import { eventLogSource } from '../triggers/event-log.js';
import type { Triggers } from '../triggers/triggers.js';
import type { BacktestRequest, DryRunRequest } from './simulation-requests.js';
import type { Workflows } from './workflows.js';

export { parseBacktestRequest, parseDryRunRequest, type BacktestRequest, type DryRunRequest } from './simulation-requests.js';

/** What a simulation's numbers rest on. */
export interface SimulationBasis {
  mode: 'embedded' | 'remote';
  /** when the balances were read */
  computedAt: Date;
  /** the same, in a sentence (the console words it in the reader's time zone) */
  note: string;
}

export interface DryRunReport extends WorkflowSimulation {
  basis: SimulationBasis;
  workflowID?: string;
  variables: Record<string, string>;
}

export interface BacktestReport extends BacktestResult {
  basis: SimulationBasis;
  from: Date;
  to: Date;
  limit: number;
  triggerID?: string;
  workflowID: string;
  /** what the source of past events could not cover (remote mode) */
  uncovered?: string[];
}

export interface BacktestRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: BacktestProgress) => void;
}

/**
 * Dry-runs and backtests, the same in both modes (embedded: this file; remote: server/remote).
 * A plain service: the HTTP adapter and other services (an approval showing "the sends the run
 * would make") call it alike.
 */
export interface SimulationService {
  dryRunWorkflow(req: DryRunRequest): Promise<DryRunReport>;
  backtestTrigger(req: BacktestRequest, opts?: BacktestRunOptions): Promise<BacktestReport>;
}

/** A dry-run's answer, in either mode. */
export function dryRunReport(basis: SimulationBasis, req: DryRunRequest, simulation: WorkflowSimulation): DryRunReport {
  return { basis, ...(req.workflowID ? { workflowID: req.workflowID } : {}), variables: req.variables, ...simulation };
}

/** A backtest's answer, in either mode: what was asked, and what matched. */
export function backtestReport(basis: SimulationBasis, req: BacktestRequest, workflowID: string, result: BacktestResult): BacktestReport {
  return { basis, from: req.from, to: req.to, limit: req.limit, ...(req.triggerID ? { triggerID: req.triggerID } : {}), workflowID, ...result };
}

/** Simulations on the embedded sandbox and event log. Nothing they do is written anywhere. */
export class EmbeddedSimulations implements SimulationService {
  constructor(
    private readonly db: Db,
    private readonly workflows: Workflows,
    private readonly triggers: Triggers,
    private readonly walletsLedger: string,
    private readonly link?: LinkResolver,
  ) {}

  async dryRunWorkflow(req: DryRunRequest): Promise<DryRunReport> {
    const stages = req.stages ?? (await this.runnableStages(req.workflowID!, 'Workflow not found'));
    const computedAt = new Date();
    const simulation = await dryRunOnSandbox(this.db, this.walletsLedger, { stages, variables: req.variables, assumeEvents: req.assumeEvents });
    return dryRunReport(embeddedBasis(computedAt), req, simulation);
  }

  async backtestTrigger(req: BacktestRequest, opts: BacktestRunOptions = {}): Promise<BacktestReport> {
    const trigger = req.triggerID ? ((await this.triggers.get(req.triggerID)) as unknown as BacktestTrigger & { workflowID: string }) : req.trigger!;
    // As the dispatcher: a trigger of a deleted workflow does not fire.
    const stages = await this.runnableStages(trigger.workflowID, 'workflow does not exists');
    const db = readOnlyDb(this.db);
    const overlay = createOverlay(new SandboxReadSource(new Sandbox(db, new EventBus(), { walletsLedger: this.walletsLedger })), this.walletsLedger);
    const computedAt = new Date();
    const result = await backtestTrigger({
      trigger,
      source: await eventLogSource(db, { type: trigger.event, from: req.from, to: req.to, limit: req.limit }),
      link: this.link,
      dryRun: req.dryRun ? (variables) => simulateWorkflow({ stages, variables, overlay, assumeEvents: req.assumeEvents }) : undefined,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    return backtestReport(embeddedBasis(computedAt), req, trigger.workflowID, result);
  }

  private async runnableStages(id: string, missing: string): Promise<Record<string, unknown>[]> {
    const wf = await this.workflows.get(id).catch(() => null);
    if (!wf || wf.deletedAt) throw notFound(missing);
    return wf.config.stages;
  }
}

function embeddedBasis(computedAt: Date): SimulationBasis {
  return { mode: 'embedded', computedAt, note: `computed on the embedded sandbox as of ${computedAt.toISOString()}; nothing was written` };
}
