import type { Overlay } from '../../sandbox/overlay/index.js';
import { InsufficientFundError } from '../../sandbox/numscript.js';
import { historyInput, resolveStage } from '../../stages/index.js';
import { stageRunners } from '../runners/index.js';
import { ActivityError, StageError, type StageContext } from '../types.js';
import { stageEffects, netChanges, walletRef, type ActivityEffects } from './effects.js';
import type { SimActivity, SimOutcome, SimShortfall, SimStage, WorkflowSimulation } from './types.js';

export interface SimulateOptions {
  /** the workflow's stages, as written (variables not yet substituted) */
  stages: readonly unknown[];
  variables: Record<string, string>;
  /** where the stages' calls go: an in-memory overlay over a read-only source */
  overlay: Overlay;
  /** go on past `wait_event` stages as if their event had arrived (otherwise the dry-run stops there) */
  assumeEvents?: boolean;
  /**
   * Whose retry rules decide between "fails" and "retries": this engine's (a 4xx answer other
   * than INSUFFICIENT_FUND fails the stage at once), or upstream Flows' (a remote stack: only
   * VALIDATION, CONFLICT, NO_SCRIPT and COMPILATION_FAILED fail; everything else is retried).
   */
  retries?: 'embedded' | 'upstream';
}

/** Upstream Flows retries these failures forever (its activities' classification). */
function upstreamRetries(err: ActivityError, activity: string | undefined): boolean {
  if (err.retryable) return true;
  if (activity && ['GetWallet', 'ListWallets', 'CreditWallet', 'GetPayment', 'CreateTransferInitiation'].includes(activity)) return true;
  return !['VALIDATION', 'CONFLICT', 'NO_SCRIPT', 'COMPILATION_FAILED'].includes(err.code ?? '');
}

/** A stage parked on an event the dry-run does not assume. */
class WaitsForEvent {
  constructor(readonly event: string) {}
}

/** Runners see no database in a dry-run: every effect goes through the overlay. */
const noDatabase = {
  query: () => Promise.reject(new Error('a dry-run has no database')),
  exec: () => Promise.reject(new Error('a dry-run has no database')),
};

/**
 * Dry-runs a workflow: each stage is resolved and run by the engine's own runner (the same code
 * as a real run), whose activities act on the overlay instead of the sandbox. The result is what
 * the run would do, stage by stage, and where it would stop, wait or retry. Nothing outside the
 * overlay is touched: no instance, transaction, event or idempotency key is written anywhere.
 */
export async function simulateWorkflow(options: SimulateOptions): Promise<WorkflowSimulation> {
  const stages: SimStage[] = [];
  let outcome: SimOutcome = { status: 'succeeded' };
  for (let i = 0; i < options.stages.length; i++) {
    const stage = await simulateStage(i, options.stages[i], options);
    stages.push(stage);
    if (stage.status !== 'succeeded') {
      outcome = { status: stage.status, stage: i, error: stage.error ?? stage.retry?.message };
      if (stage.retry?.shortfall) outcome.shortfall = stage.retry.shortfall;
      break;
    }
  }
  return { outcome, stages, netChanges: netChanges(stages) };
}

async function simulateStage(number: number, raw: unknown, options: SimulateOptions): Promise<SimStage> {
  const { overlay } = options;
  const kind = raw && typeof raw === 'object' && !Array.isArray(raw) ? (Object.keys(raw)[0] ?? 'unknown') : 'unknown';
  const stage: SimStage = { number, kind, status: 'succeeded', activities: [], postings: [], transfers: [], metadata: [], balances: [] };
  const resolved = resolveStage(raw, options.variables);
  if ('error' in resolved) return { ...stage, status: 'failed', error: resolved.error };
  stage.input = historyInput(resolved.input);
  const runner = stageRunners[resolved.kind];
  if (!runner) return { ...stage, status: 'failed', error: `no runner for stage kind '${resolved.kind}' in this server` };

  const effects: ActivityEffects[] = [];
  const ctx: StageContext = {
    instanceId: 'dry-run',
    workflowId: 'dry-run',
    stage: number,
    startedAt: new Date(),
    variables: options.variables,
    input: resolved.input,
    deps: { db: noDatabase, sandbox: overlay.services },
    activity: async (name, input, run) => {
      const record: SimActivity = { name, input };
      stage.activities.push(record);
      const from = overlay.journal.length;
      try {
        const output = await run(`dry-run-${number}-${stage.activities.length - 1}`);
        if (output !== undefined) record.output = output;
        return output;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
        throw err;
      } finally {
        effects.push({ activity: record, effects: overlay.journal.since(from) });
      }
    },
    sleepUntil: async (at) => {
      stage.pause = { until: at };
    },
    waitEvent: async (event) => {
      stage.waitEvent = { event, assumed: !!options.assumeEvents };
      if (!options.assumeEvents) throw new WaitsForEvent(event);
    },
  };

  try {
    await runner.run(ctx);
  } catch (err) {
    if (err instanceof WaitsForEvent) stage.status = 'waiting';
    else if (err instanceof ActivityError && (err.retryable || (options.retries === 'upstream' && upstreamRetries(err, stage.activities.at(-1)?.name)))) {
      stage.status = 'retrying';
      stage.retry = { code: err.code ?? 'INTERNAL', message: err.message };
      const shortfall = shortfallOf(err, stage.activities[stage.activities.length - 1], overlay);
      if (shortfall) stage.retry.shortfall = shortfall;
    } else {
      stage.status = 'failed';
      // StageError / final ActivityError carry the stage's error text; anything else is a runner bug, failed with its message as the engine does
      stage.error = err instanceof StageError || err instanceof ActivityError || err instanceof Error ? err.message : String(err);
    }
  }
  Object.assign(stage, stageEffects(effects, resolved.input, overlay));
  return stage;
}

/** How much an INSUFFICIENT_FUND lacked, on which ledger and accounts. */
function shortfallOf(err: ActivityError, activity: SimActivity | undefined, overlay: Overlay): SimShortfall | undefined {
  if (!(err.cause instanceof InsufficientFundError)) return undefined;
  const s = err.cause.shortfall;
  const input = activity?.input as { ledger?: string } | undefined;
  const ledger = activity?.name === 'CreateTransaction' && input?.ledger ? input.ledger : overlay.wallets.ledgerName;
  const out: SimShortfall = { ledger, accounts: s.accounts, asset: s.asset, needed: s.needed, available: s.available, missing: s.needed - s.available };
  const wallet = s.accounts.length === 1 ? walletRef(overlay, ledger, s.accounts[0]) : undefined;
  if (wallet) out.wallet = wallet;
  return out;
}
