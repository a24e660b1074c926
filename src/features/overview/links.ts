/**
 * Where each overview figure links: the instance list's search params that select exactly the
 * rows the figure counts (the server counts with the same filters, see
 * server/flows/overview/overview.ts). Pure, so it is unit-tested.
 */
import type { InstancesListSearch } from '../instances/queries';

export type ListLink = Partial<Omit<InstancesListSearch, 'cursor' | 'pageSize'>>;
export type Outcome = 'running' | 'succeeded' | 'failed' | 'aborted';

interface Span {
  from: string;
  to: string;
}

export const listLinks = {
  running: (): ListLink => ({ status: 'running' }),
  state: (state: 'waiting' | 'delayed' | 'retrying'): ListLink => ({ state }),
  /** instances with this outcome that ended within the window */
  ended: (status: Exclude<Outcome, 'running'>, w: Span, workflowID?: string): ListLink => ({ status, workflowID, endedAfter: w.from, endedBefore: w.to }),
  /** runs started within a chart bucket, by their outcome now */
  started: (status: Outcome, bucket: { start: string; end: string }): ListLink => ({ status, from: bucket.start, to: bucket.end }),
  /** failures of one normalized reason within the window (of one workflow) */
  reason: (reason: string, w: Span, workflowID?: string): ListLink => ({ status: 'failed', reason, workflowID, endedAfter: w.from, endedBefore: w.to }),
  waitingSince: (before: string): ListLink => ({ state: 'waiting', stageStartedBefore: before }),
  retryingAtLeast: (minRetries: number): ListLink => ({ state: 'retrying', minRetries }),
  delayedBeyond: (resumesAfter: string): ListLink => ({ state: 'delayed', resumesAfter }),
  pending: (pendingAsset: string, pendingSource?: string): ListLink => ({ pendingAsset, pendingSource }),
};
