/** Derived states: the API has no status enum (flows-api.md §4.2). */

export type InstanceState = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface InstanceLike {
  terminated: boolean;
  error?: string;
  status?: { stage: number; terminatedAt?: string; error?: string }[];
}

const CANCELED = new Set(['canceled', 'cancelled']);

export function instanceState(instance: InstanceLike): InstanceState {
  if (!instance.terminated) return 'running';
  if (instance.error === undefined || instance.error === '') return 'succeeded';
  return CANCELED.has(instance.error) ? 'aborted' : 'failed';
}

/** The stage currently running (highest started stage without terminatedAt), if known. */
export function currentStage(instance: InstanceLike): number | undefined {
  if (instance.terminated || !instance.status?.length) return undefined;
  const open = instance.status.filter((s) => !s.terminatedAt);
  if (!open.length) return undefined;
  return Math.max(...open.map((s) => s.stage));
}

export type Tone = 'neutral' | 'info' | 'success' | 'danger' | 'warning';

export const STATE_TONE: Record<InstanceState, Tone> = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  aborted: 'warning',
};
