import { simulateWorkflow } from '../engine/simulate/index.js';
import { notFound } from '../errors.js';
import {
  backtestReport,
  dryRunReport,
  type BacktestReport,
  type BacktestRunOptions,
  type DryRunReport,
  type SimulationBasis,
  type SimulationService,
} from '../flows/simulations.js';
import type { BacktestRequest, DryRunRequest } from '../flows/simulation-requests.js';
import { createOverlay } from '../sandbox/overlay/index.js';
import { DEFAULT_WALLETS_LEDGER } from '../sandbox/sandbox.js';
import { backtestTrigger, type BacktestTrigger } from '../triggers/backtest.js';
import { stackEventSource } from './stack-events.js';
import type { StackClient } from './stack-client.js';
import { StackReadSource } from './stack-source.js';

const enc = encodeURIComponent;

/**
 * Dry-runs and backtests in remote mode: computed by the console from the stack's current
 * balances, read with GET calls only; the stack executes nothing. Stops and retries follow
 * upstream Flows' rules (it retries what this engine fails at once).
 */
export class RemoteSimulations implements SimulationService {
  private walletsLedger?: { name: string; until: number };

  constructor(private readonly stack: StackClient) {}

  async dryRunWorkflow(req: DryRunRequest): Promise<DryRunReport> {
    const stages = req.stages ?? (await this.workflow(req.workflowID!, 'Workflow not found')).stages;
    const computedAt = new Date();
    const overlay = createOverlay(new StackReadSource(this.stack), await this.walletsLedgerName());
    const simulation = await simulateWorkflow({ stages, variables: req.variables, overlay, assumeEvents: req.assumeEvents, retries: 'upstream' });
    return dryRunReport(remoteBasis(computedAt), req, simulation);
  }

  async backtestTrigger(req: BacktestRequest, opts: BacktestRunOptions = {}): Promise<BacktestReport> {
    const trigger = req.triggerID ? await this.trigger(req.triggerID) : req.trigger!;
    const workflow = await this.workflow(trigger.workflowID, 'workflow does not exists');
    const computedAt = new Date();
    const { source, uncovered } = await stackEventSource(this.stack, { type: trigger.event, from: req.from, to: req.to, limit: req.limit }, opts.signal);
    // upstream fires the triggers of deleted workflows (their runs leave the lists)
    if (workflow.deleted) uncovered.push('The workflow is deleted: the stack still fires its triggers, so the matches would still start runs.');
    const overlay = createOverlay(new StackReadSource(this.stack, opts.signal), await this.walletsLedgerName());
    const result = await backtestTrigger({
      trigger,
      source,
      dryRun: req.dryRun
        ? (variables) => simulateWorkflow({ stages: workflow.stages, variables, overlay, assumeEvents: req.assumeEvents, retries: 'upstream' })
        : undefined,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    return { ...backtestReport(remoteBasis(computedAt), req, trigger.workflowID, result), uncovered };
  }

  /** Upstream answers 500 ("no rows") for an unknown workflow: both mean not found here. */
  private async workflow(id: string, missing: string): Promise<{ stages: Record<string, unknown>[]; deleted: boolean }> {
    const r = await this.stack.read(`/api/orchestration/v2/workflows/${enc(id)}`, { tolerate5xx: true });
    if (r.status !== 200 || !Array.isArray(r.body?.data?.config?.stages)) throw notFound(missing);
    const deleted = !!r.body.data.deletedAt;
    if (deleted && missing === 'Workflow not found') throw notFound(missing);
    return { stages: r.body.data.config.stages, deleted };
  }

  private async trigger(id: string): Promise<BacktestTrigger & { workflowID: string }> {
    const r = await this.stack.read(`/api/orchestration/v2/triggers/${enc(id)}`, { tolerate5xx: true });
    if (r.status !== 200 || typeof r.body?.data?.event !== 'string') throw notFound('Trigger not found');
    const t = r.body.data;
    return { event: t.event, version: t.version, filter: t.filter, vars: t.vars, workflowID: t.workflowID };
  }

  /** The wallets service's ledger, as its wallets report it (cached a minute). */
  private async walletsLedgerName(): Promise<string> {
    if (this.walletsLedger && Date.now() < this.walletsLedger.until) return this.walletsLedger.name;
    const r = await this.stack.read('/api/wallets/wallets?pageSize=1');
    const name = r.status === 200 && typeof r.body?.cursor?.data?.[0]?.ledger === 'string' ? r.body.cursor.data[0].ledger : DEFAULT_WALLETS_LEDGER;
    this.walletsLedger = { name, until: Date.now() + 60_000 };
    return name;
  }
}

function remoteBasis(computedAt: Date): SimulationBasis {
  return { mode: 'remote', computedAt, note: `computed from balances at ${computedAt.toISOString()}; the stack did not execute this` };
}
