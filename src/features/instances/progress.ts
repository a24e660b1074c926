/**
 * Precise status of an instance, derived from the instance (its stage statuses and definition)
 * and, when loaded, its history and the current stage's activities: the API has no status enum
 * (flows-api.md §4.2), so "waiting for event X", "delayed until T" and "retrying" are read from
 * what the engine recorded. Builds on the coarse `instanceState` of src/lib/status.
 */
import { currentStage, instanceState, type InstanceState } from '../../lib/status';
import { stageKind, type StageKind } from '../../lib/stages';

export interface StageStatusLike {
  stage: number;
  startedAt: string;
  terminatedAt?: string;
  error?: string;
}

export interface InstanceProgressInput {
  terminated: boolean;
  createdAt?: string;
  terminatedAt?: string;
  error?: string;
  status?: StageStatusLike[];
  workflow?: { config: { stages?: readonly unknown[] } };
  variables?: Record<string, string>;
}

/** One entry of `GET /instances/{id}/history` (one per stage that reached execution). */
export interface StageHistoryLike {
  name: string;
  input: unknown;
  error?: string;
  terminated: boolean;
  startedAt: string;
  terminatedAt?: string;
}

/** One entry of `GET /instances/{id}/stages/{n}/history` (one per remote call). */
export interface ActivityLike {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
  terminated: boolean;
  startedAt: string;
  terminatedAt?: string;
  attempt: number;
  lastFailure?: string;
  nextExecution?: string;
}

export type PreciseStatus =
  | { state: 'running'; phase: 'starting' }
  | { state: 'running'; phase: 'stage'; stage: number; kind: StageKind | 'unknown'; activity?: string }
  | { state: 'running'; phase: 'waiting'; stage: number; event: string }
  | { state: 'running'; phase: 'delayed'; stage: number; until?: string }
  | { state: 'running'; phase: 'retrying'; stage: number; activity: string; attempt: number; lastFailure?: string; nextExecution?: string }
  | { state: 'succeeded'; at?: string }
  | { state: 'failed'; error: string; stage?: number; at?: string }
  | { state: 'aborted'; stage?: number; at?: string };

const CANCELED = new Set(['canceled', 'cancelled']);

/** State of one stage from its status entry. */
export function stageState(s: StageStatusLike): InstanceState {
  if (!s.terminatedAt) return 'running';
  if (!s.error) return 'succeeded';
  return CANCELED.has(s.error) ? 'aborted' : 'failed';
}

/** `${name}` interpolation as the engine does it (unknown → empty string). */
export function interpolate(text: string, variables: Record<string, string> = {}): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => variables[name] ?? '');
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go duration text (`300ms`, `1m30s`, `1h30m0s`, `1.5s`) → milliseconds; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.slice(m[1]!.length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return m[1] === '-' ? -total : total;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** When a delay stage ends: `until`, or its start + `duration` (resolved history input, else the definition). */
export function delayEnd(startedAt: string, input: unknown, variables?: Record<string, string>): string | undefined {
  const i = obj(input);
  if (!i) return undefined;
  const until = str(i.until) && interpolate(i.until as string, variables);
  if (until && !Number.isNaN(Date.parse(until))) return new Date(until).toISOString();
  const duration = str(i.duration) && interpolate(i.duration as string, variables);
  const ms = duration ? parseGoDuration(duration) : undefined;
  if (ms === undefined) return undefined;
  return new Date(Date.parse(startedAt) + Math.max(0, ms)).toISOString();
}

/** The stage object of the definition (`{kind: config}`), if known. */
function definitionStage(instance: InstanceProgressInput, stage: number): unknown {
  return instance.workflow?.config.stages?.[stage];
}

/** Kind of stage `n`: from its history runner name, else from the definition. */
export function kindOfStage(instance: InstanceProgressInput, stage: number, history?: readonly StageHistoryLike[]): StageKind | 'unknown' {
  const run = history?.[stage]?.name;
  const fromRun = run ? RUN_KINDS[run] : undefined;
  return fromRun ?? stageKind(definitionStage(instance, stage));
}

const RUN_KINDS: Record<string, StageKind> = { RunSend: 'send', RunDelay: 'delay', RunWaitEvent: 'wait_event', RunUpdate: 'update', RunNoop: 'noop' };

/**
 * History entries are one per stage that reached execution, in stage order; a stage that failed
 * validation has none. Returns the entry of stage `n` when it can be matched by its start time.
 */
export function historyOfStage(history: readonly StageHistoryLike[] | undefined, status: StageStatusLike | undefined): StageHistoryLike | undefined {
  if (!history || !status) return undefined;
  return history.find((h) => h.startedAt === status.startedAt) ?? history[status.stage];
}

/** The last activity when it is being retried (non-terminated, with a failure or attempt > 1). */
export function retryingActivity(activities: readonly ActivityLike[] | undefined): ActivityLike | undefined {
  const last = activities?.[activities.length - 1];
  if (!last || last.terminated) return undefined;
  return last.lastFailure || last.attempt > 1 ? last : undefined;
}

export function preciseStatus(instance: InstanceProgressInput, history?: readonly StageHistoryLike[], activities?: readonly ActivityLike[]): PreciseStatus {
  const state = instanceState(instance);
  const statuses = [...(instance.status ?? [])].sort((a, b) => a.stage - b.stage);
  if (state === 'succeeded') return { state, at: instance.terminatedAt };
  if (state === 'aborted') return { state, stage: statuses.find((s) => s.error && CANCELED.has(s.error))?.stage, at: instance.terminatedAt };
  if (state === 'failed') return { state, error: instance.error!, stage: statuses.find((s) => s.error)?.stage, at: instance.terminatedAt };

  const stage = currentStage(instance);
  if (stage === undefined) return { state: 'running', phase: 'starting' };
  const status = statuses.find((s) => s.stage === stage)!;
  const entry = historyOfStage(history, status);
  const kind = kindOfStage(instance, stage, history);
  const config = obj(obj(definitionStage(instance, stage))?.[kind]);

  if (kind === 'wait_event') {
    const event = str(obj(entry?.input)?.event) ?? (str(config?.event) && interpolate(config!.event as string, instance.variables));
    if (event) return { state: 'running', phase: 'waiting', stage, event };
  }
  if (kind === 'delay') {
    return { state: 'running', phase: 'delayed', stage, until: delayEnd(status.startedAt, entry?.input ?? config, entry ? undefined : instance.variables) };
  }
  const retrying = retryingActivity(activities);
  if (retrying) {
    return {
      state: 'running',
      phase: 'retrying',
      stage,
      activity: retrying.name,
      attempt: retrying.attempt,
      lastFailure: retrying.lastFailure,
      nextExecution: retrying.nextExecution,
    };
  }
  const last = activities?.[activities.length - 1];
  return { state: 'running', phase: 'stage', stage, kind, activity: last && !last.terminated ? last.name : undefined };
}

const KIND_LABELS: Record<StageKind | 'unknown', string> = {
  send: 'send',
  delay: 'delay',
  wait_event: 'wait_event',
  update: 'update',
  noop: 'noop',
  unknown: 'stage',
};

/** Short label of the badge. */
export function preciseLabel(s: PreciseStatus): string {
  if (s.state !== 'running') return { succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' }[s.state];
  return { starting: 'Starting', stage: 'Running', waiting: 'Waiting', delayed: 'Delayed', retrying: 'Retrying' }[s.phase];
}

/**
 * One line saying exactly where the instance is. Times come as text from `formatAt`
 * (the caller's clock and time formatter) so the line stays a pure function.
 */
export function preciseText(s: PreciseStatus, formatAt: (iso: string) => string = (iso) => iso): string {
  switch (s.state) {
    case 'succeeded':
      return 'Succeeded';
    case 'aborted':
      return s.stage === undefined ? 'Aborted' : `Aborted during stage #${s.stage}`;
    case 'failed':
      return `Failed${s.stage === undefined ? '' : ` at stage #${s.stage}`}: ${s.error}`;
  }
  switch (s.phase) {
    case 'starting':
      return 'Starting: no stage has started yet';
    case 'stage':
      return `Running stage #${s.stage} (${KIND_LABELS[s.kind]})${s.activity ? `: ${s.activity}` : ''}`;
    case 'waiting':
      return `Waiting for event \`${s.event}\` (stage #${s.stage})`;
    case 'delayed':
      return s.until ? `Delayed until ${formatAt(s.until)} (stage #${s.stage})` : `Delayed (stage #${s.stage})`;
    case 'retrying':
      return (
        `Retrying ${s.activity} (stage #${s.stage}), attempt ${s.attempt}` +
        (s.nextExecution ? `, next try ${formatAt(s.nextExecution)}` : '') +
        (s.lastFailure ? ` — last failure: ${s.lastFailure}` : '')
      );
  }
}
