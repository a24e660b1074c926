import type { InstanceRow } from '../../common/instance-columns.js';
import type { InstanceProgress } from './instance-progress.js';

/**
 * Where the console's work on many runs (exports, instance records, bulk jobs) reads and acts:
 * the embedded service (flows/console-instances.ts) or the stack in remote mode
 * (remote/stack-instances.ts). `F` is the source's own filters: each mode parses the list's
 * query parameters into what it can honour.
 */
export interface InstanceSource<F> {
  readonly mode: 'embedded' | 'remote';
  /** whether the source records what started a run (upstream Flows does not) */
  readonly provenance: boolean;
  /** how many match; `exact: false` when the source was read up to a limit */
  count(filters: F, opts?: { upTo?: string; limit?: number }): Promise<{ count: number; exact: boolean }>;
  /**
   * Every match in list order, in batches (of about `size`): the instances that existed when
   * the first batch was read, and started no later than `upTo` when given.
   */
  batches(filters: F, opts?: { upTo?: string; size?: number }): AsyncIterable<InstanceRow[]>;
  /**
   * The instances the filter matched as running at `at` that have ended since (a bulk job reports
   * them as skipped rather than leaving them out of what its preview counted); undefined when the
   * source cannot tell (the stack records no such thing, or the filter is about a running state
   * that `at` no longer shows).
   */
  endedSince?(filters: F, at: string): AsyncIterable<InstanceRow[]> | undefined;
  /** names of the triggers, for the "started by" column */
  triggerNames(): Promise<Map<string, string>>;
  record(id: string): Promise<InstanceRecord>;
  /** where each known instance of `ids` is (flows/instance-progress.ts); unknown ids are left out */
  progress(ids: readonly string[]): Promise<InstanceProgress[]>;
  /** aborts one instance; never throws for the instance's own reasons (they are the outcome) */
  abort(id: string): Promise<ActionOutcome>;
}

export interface ActionOutcome {
  outcome: 'done' | 'skipped' | 'failed';
  message?: string;
}

/** One instance, complete, as one JSON document (GET /api/console/instances/{id}/record). */
export interface InstanceRecord {
  exportedAt: string;
  source: { mode: 'embedded' | 'remote'; stackUrl?: string };
  instance: unknown;
  history: unknown[];
  stages: { stage: number; activities: unknown[] }[];
  provenance: { startedBy: 'manual' | 'trigger' | 'unknown'; trigger?: unknown; occurrence?: unknown; note?: string };
}
