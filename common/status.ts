/**
 * The status model of instances and stages, one module for the server and the console. The API
 * has no status enum: an instance is running until `terminated`; then its `error` says how it
 * ended — none: succeeded; `canceled`: aborted; anything else: failed. A stage reads the same
 * from its status entry. "Waiting for event X", "delayed until T" and "retrying" are read from
 * what the engine recorded (stage history and the current stage's activities).
 *
 * Input types list only the fields read here: the console passes its generated contract types,
 * the server its own shapes.
 */
import { durationMs, parseGoDuration } from './duration';
import { RUN_KINDS, stageKind, type StageKind } from './stage-kinds';

/** The error an aborted instance, and the stage it was in, end with (the only spelling we write). */
export const CANCELED = 'canceled';

/**
 * Every spelling of "canceled" that may be read: upstream Flows writes `cancelled` in stage
 * (activity) history, and earlier versions of this server did too. Readers accept both.
 */
export const CANCELED_SPELLINGS: readonly string[] = [CANCELED, 'cancelled'];

export const isCanceled = (error: string | undefined): boolean => error !== undefined && CANCELED_SPELLINGS.includes(error);

export const INSTANCE_STATES = ['running', 'succeeded', 'failed', 'aborted'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export interface StageStatusLike {
  stage: number;
  startedAt: string;
  terminatedAt?: string;
  error?: string;
}

export interface InstanceLike {
  terminated: boolean;
  error?: string;
  status?: readonly Pick<StageStatusLike, 'stage' | 'terminatedAt' | 'error'>[];
}

/** How the instance stands: running, or how it ended. */
export function instanceState(instance: InstanceLike): InstanceState {
  if (!instance.terminated) return 'running';
  if (instance.error === undefined || instance.error === '') return 'succeeded';
  return isCanceled(instance.error) ? 'aborted' : 'failed';
}

/** State of one stage from its status entry. */
export function stageState(s: StageStatusLike): InstanceState {
  if (!s.terminatedAt) return 'running';
  if (!s.error) return 'succeeded';
  return isCanceled(s.error) ? 'aborted' : 'failed';
}

/** The stage currently running (highest started stage without terminatedAt), if known. */
export function currentStage(instance: InstanceLike): number | undefined {
  if (instance.terminated || !instance.status?.length) return undefined;
  const open = instance.status.filter((s) => !s.terminatedAt);
  if (!open.length) return undefined;
  return Math.max(...open.map((s) => s.stage));
}

export interface InstanceProgressInput {
  terminated: boolean;
  createdAt?: string;
  terminatedAt?: string;
  error?: string;
  status?: readonly StageStatusLike[];
  workflow?: { config: { stages?: readonly unknown[] } };
  variables?: Record<string, string>;
}

/** What is read of an entry of `GET /instances/{id}/history` (one per stage that reached execution). */
export interface StageHistoryLike {
  name: string;
  input: unknown;
  startedAt: string;
}

/** What is read of an entry of `GET /instances/{id}/stages/{n}/history` (one per remote call). */
export interface ActivityLike {
  name: string;
  terminated: boolean;
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

/** `${name}` interpolation as the engine does it (unknown → empty string). */
export function interpolate(text: string, variables: Record<string, string> = {}): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => variables[name] ?? '');
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** When a delay stage ends: `until`, or its start + `duration` (resolved history input, else the definition). */
export function delayEnd(startedAt: string, input: unknown, variables?: Record<string, string>): string | undefined {
  const i = obj(input);
  if (!i) return undefined;
  const until = str(i.until) && interpolate(i.until as string, variables);
  if (until) return isoOf(Date.parse(until));
  const duration = str(i.duration) && interpolate(i.duration as string, variables);
  const ns = duration ? parseGoDuration(duration.trim()) : null;
  // An absurd stored delay (beyond any date) has no end to show rather than breaking the page.
  return ns === null ? undefined : isoOf(Date.parse(startedAt) + Math.max(0, durationMs(ns)));
}

/** RFC 3339 of a timestamp, or undefined when no date can hold it (toISOString would throw). */
function isoOf(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
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

/**
 * History entries are one per stage that reached execution, in stage order; a stage that failed
 * validation has none. Returns the entry of stage `n` when it can be matched by its start time.
 */
export function historyOfStage<H extends StageHistoryLike>(history: readonly H[] | undefined, status: StageStatusLike | undefined): H | undefined {
  if (!history || !status) return undefined;
  return history.find((h) => h.startedAt === status.startedAt) ?? history[status.stage];
}

/** The last activity when it is being retried (non-terminated, with a failure or attempt > 1). */
export function retryingActivity<A extends ActivityLike>(activities: readonly A[] | undefined): A | undefined {
  const last = activities?.[activities.length - 1];
  if (!last || last.terminated) return undefined;
  return last.lastFailure || last.attempt > 1 ? last : undefined;
}

/** Kinds whose stage makes remote calls (so its stage history can show retries). */
export const CALLING_KINDS: ReadonlySet<string> = new Set(['send', 'update', 'unknown']);

/** Exactly where an instance is: how it ended, or what its current stage is doing. */
export function preciseStatus(instance: InstanceProgressInput, history?: readonly StageHistoryLike[], activities?: readonly ActivityLike[]): PreciseStatus {
  const state = instanceState(instance);
  const statuses = [...(instance.status ?? [])].sort((a, b) => a.stage - b.stage);
  if (state === 'succeeded') return { state, at: instance.terminatedAt };
  if (state === 'aborted') return { state, stage: statuses.find((s) => isCanceled(s.error))?.stage, at: instance.terminatedAt };
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
