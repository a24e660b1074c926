/** The overview's answers (openapi/sandbox.yaml, `Overview*` schemas), in embedded and remote mode. */

/** What a panel's figures are computed from. */
export interface Basis {
  /** every instance (embedded mode); false: a bounded sample (remote mode), see label */
  complete: boolean;
  /** e.g. "every instance", "the first 2,000 instances the stack lists" */
  label: string;
  /** the panel cannot be computed in this mode; `label` says why */
  unavailable?: boolean;
}

export interface WindowInfo {
  key: string;
  from: string;
  to: string;
  bucketSeconds: number;
}

export interface InstanceExample {
  instanceID: string;
  workflowID: string;
  workflowName: string;
}

export interface RetryExample extends InstanceExample {
  stage: number;
  /** attempts that failed so far */
  failedAttempts: number;
  lastFailure?: string;
  nextExecution?: string;
}

export interface NowFigures {
  window: WindowInfo;
  running: number;
  waiting: number;
  delayed: number;
  retrying: number;
  /** ended within the window */
  succeeded: number;
  failed: number;
  aborted: number;
  longestRetries: RetryExample[];
  basis: Basis;
}

export interface RunBucket {
  start: string;
  end: string;
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
}

export interface WorkflowDurations {
  workflowID: string;
  workflowName: string;
  /** succeeded runs that ended within the window */
  runs: number;
  medianMs: number;
  p95Ms: number;
}

export interface RunsFigures {
  window: WindowInfo;
  buckets: RunBucket[];
  durations: WorkflowDurations[];
  /** workflows with succeeded runs in the window beyond those listed */
  moreWorkflows: number;
  basis: Basis;
}

export interface FailureReason {
  reason: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  workflows: { workflowID: string; workflowName: string; count: number }[];
  exampleInstanceID: string;
}

export interface FailuresFigures {
  window: WindowInfo;
  /** failed instances that ended within the window */
  total: number;
  reasons: FailureReason[];
  /** reasons beyond those listed, and their failures */
  more: { reasons: number; failures: number };
  basis: Basis;
}

export interface WaitingExample extends InstanceExample {
  event: string;
  since: string;
}

export interface DelayedExample extends InstanceExample {
  until: string;
}

export interface TriggerAttention {
  triggerID: string;
  name: string;
  event: string;
  workflowID: string;
  /** latest occurrences that failed in a row (error recorded, or the instance started failed) */
  failedInARow: number;
  lastError: string;
  lastAt: string;
}

export interface AttentionFigures {
  thresholds: { waitingLongerThan: string; waitingSince: string; minRetries: number; delayedBeyond: string; resumesAfter: string };
  waiting: { count: number; examples: WaitingExample[] };
  retrying: { count: number; examples: RetryExample[] };
  delayed: { count: number; examples: DelayedExample[] };
  triggers: TriggerAttention[];
  basis: Basis;
}

export interface MoneySource {
  /** the instance list's `pendingSource` value */
  key: string;
  kind: 'account' | 'wallet' | 'payment';
  label: string;
  ledger?: string;
  address?: string;
  pending: bigint;
  instances: number;
  /** the source's balance in this asset, when known */
  balance?: bigint;
  /** `world` or an account allowed to overdraw: nothing to run out of */
  unbounded: boolean;
  /** false: the balance does not cover what is pending */
  covered?: boolean;
}

export interface MoneyAsset {
  asset: string;
  pending: bigint;
  /** running instances with sends in this asset still to run */
  instances: number;
  sends: number;
  sources: MoneySource[];
}

export interface MoneyFigures {
  assets: MoneyAsset[];
  /** sends that cannot be resolved with their instance's variables (they will fail when reached) */
  unresolved: { reason: string; instances: number; exampleInstanceID: string }[];
  /** running instances of workflows with sends still to run */
  instances: number;
  basis: Basis;
}
