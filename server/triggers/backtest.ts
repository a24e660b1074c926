import type { SimOutcome, SimStageStatus, WalletRef, WorkflowSimulation } from '../engine/simulate/index.js';
import type { LinkResolver } from '../expr/index.js';
import { DEDUPED_EVENT_TYPES } from './events.js';
import { evaluateFilter, evaluateVars } from './expressions.js';

/** A trigger as the backtest needs it (saved or not). */
export interface BacktestTrigger {
  event: string;
  version?: string | null;
  filter?: string | null;
  vars?: Record<string, string> | null;
}

/** A platform event of the past, from the event log (or what a remote stack exposes of it). */
export interface PastEvent {
  /** position in the embedded event log (absent for events rebuilt from a stack's data) */
  seq?: number;
  date: Date;
  type: string;
  version: string;
  payload: Record<string, unknown>;
}

/** The events of a time range, at most `limit` of them (oldest first); `more` when the range holds more. */
export interface EventSource {
  events: AsyncIterable<PastEvent>;
  /** how many will be scanned (progress) */
  total: number;
  more: boolean;
}

export interface BacktestProgress {
  scanned: number;
  total: number;
  matched: number;
}

export interface BacktestMatch {
  seq?: number;
  date: Date;
  /** the variables the trigger's `vars` produced (absent when one failed) */
  variables?: Record<string, string>;
  /** `vars.<name>: <error>`: the trigger would record an occurrence with this error and start nothing */
  error?: string;
  /** the dry-run of the workflow with these variables */
  outcome?: SimOutcome;
  postings?: number;
}

export interface BacktestTotal {
  ledger: string;
  account: string;
  asset: string;
  wallet?: WalletRef;
  /** moved into and out of the account over every match's dry-run */
  in: bigint;
  out: bigint;
}

export interface BacktestResult {
  scanned: number;
  /** events of the range that matched the type (and version), scanned or not */
  total: number;
  matched: number;
  /** matches whose `vars` failed (an occurrence with an error, no instance) */
  errors: number;
  /** filters that raised an error (no match, no occurrence: the trigger is silently skipped) */
  filterErrors: { count: number; examples: { seq?: number; date: Date; error: string }[] };
  /** SAVED_PAYMENT / SAVED_ACCOUNT matches skipped because that payload id already fired */
  duplicates: number;
  /** why the scan stopped before the end of the range */
  truncated?: 'limit' | 'time' | 'canceled';
  /** the first matches, in event order */
  matches: BacktestMatch[];
  outcomes: Record<SimStageStatus, number>;
  totals: BacktestTotal[];
}

export interface BacktestOptions {
  trigger: BacktestTrigger;
  source: EventSource;
  link?: LinkResolver;
  /** dry-runs the trigger's workflow with a match's variables; omitted: no dry-runs */
  dryRun?: (variables: Record<string, string>) => Promise<WorkflowSimulation>;
  signal?: AbortSignal;
  onProgress?: (p: BacktestProgress) => void;
  /** stop after this long (ms) */
  budgetMs?: number;
}

const LISTED = 200;
const EXAMPLES = 5;
const DEFAULT_BUDGET_MS = 60_000;
const PROGRESS_EVERY = 25;

/**
 * Replays past events through a trigger as the dispatcher would (type, version, filter, vars,
 * at most one firing per payment / account id), and dry-runs its workflow for each match. The
 * dry-runs share one overlay (the caller's `dryRun`), in event order, so money one match would
 * have moved is gone for the next. Nothing is started, recorded or published.
 */
export async function backtestTrigger(o: BacktestOptions): Promise<BacktestResult> {
  const r: BacktestResult = {
    scanned: 0,
    total: o.source.total,
    matched: 0,
    errors: 0,
    filterErrors: { count: 0, examples: [] },
    duplicates: 0,
    matches: [],
    outcomes: { succeeded: 0, failed: 0, retrying: 0, waiting: 0 },
    totals: [],
  };
  const totals = new Map<string, BacktestTotal>();
  const fired = new Set<string>();
  const deadline = Date.now() + (o.budgetMs ?? DEFAULT_BUDGET_MS);
  const t = o.trigger;
  let lastYield = Date.now();

  for await (const event of o.source.events) {
    if (o.signal?.aborted) {
      r.truncated = 'canceled';
      break;
    }
    if (Date.now() > deadline) {
      r.truncated = 'time';
      break;
    }
    r.scanned++;
    if (event.type === t.event && (t.version === undefined || t.version === null || t.version === event.version)) await handle(event);
    if (r.scanned % PROGRESS_EVERY === 0) o.onProgress?.({ scanned: r.scanned, total: r.total, matched: r.matched });
    // Other requests go first between events: a long backtest must not starve the server.
    if (Date.now() - lastYield > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }
  if (!r.truncated && o.source.more) r.truncated = 'limit';
  o.onProgress?.({ scanned: r.scanned, total: r.total, matched: r.matched });
  r.totals = [...totals.values()];
  return r;

  async function handle(event: PastEvent) {
    if (t.filter) {
      const f = await evaluateFilter(t.filter, event.payload, o.link);
      if (f.error) {
        r.filterErrors.count++;
        if (r.filterErrors.examples.length < EXAMPLES) r.filterErrors.examples.push({ seq: event.seq, date: event.date, error: f.error });
      }
      if (!f.match) return;
    }
    if (DEDUPED_EVENT_TYPES.has(event.type)) {
      const key = String(event.payload.id ?? '');
      if (fired.has(key)) {
        r.duplicates++;
        return;
      }
      fired.add(key);
    }
    r.matched++;
    const match: BacktestMatch = { date: event.date };
    if (event.seq !== undefined) match.seq = event.seq;
    const results = await evaluateVars(t.vars ?? {}, event.payload, o.link);
    const failed = Object.entries(results).find(([, v]) => v.error !== undefined);
    if (failed) {
      r.errors++;
      match.error = `vars.${failed[0]}: ${failed[1].error}`;
    } else {
      match.variables = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.value ?? '']));
      if (o.dryRun) {
        const sim = await o.dryRun(match.variables);
        match.outcome = sim.outcome;
        r.outcomes[sim.outcome.status]++;
        let postings = 0;
        for (const stage of sim.stages) {
          for (const p of stage.postings) {
            postings++;
            add(p.ledger, p.source, p.asset, 'out', p.amount, p.sourceWallet);
            add(p.ledger, p.destination, p.asset, 'in', p.amount, p.destinationWallet);
          }
        }
        match.postings = postings;
      }
    }
    if (r.matches.length < LISTED) r.matches.push(match);
  }

  function add(ledger: string, account: string, asset: string, side: 'in' | 'out', amount: bigint, wallet?: WalletRef) {
    const key = `${ledger}\u0000${account}\u0000${asset}`;
    let total = totals.get(key);
    if (!total) {
      total = { ledger, account, asset, in: 0n, out: 0n };
      if (wallet) total.wallet = wallet;
      totals.set(key, total);
    }
    total[side] += amount;
  }
}
