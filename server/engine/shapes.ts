import { historyView } from '../stages/index.js';

/** Row → API object. Optional fields are omitted, never null (the SDKs reject null). */

export interface WorkflowConfig {
  name: string;
  stages: Record<string, unknown>[];
}

export interface Workflow {
  id: string;
  config: WorkflowConfig;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
}

export interface StageStatus {
  stage: number;
  instanceID: string;
  startedAt: string;
  terminatedAt?: string;
  error?: string;
}

export interface Instance {
  id: string;
  workflowID: string;
  createdAt: string;
  updatedAt: string;
  terminated: boolean;
  terminatedAt?: string;
  error?: string;
  status?: StageStatus[];
  workflow?: Workflow;
  /** console extras (stripped by the SDKs) */
  variables?: Record<string, string>;
  triggerID?: string;
  occurrenceID?: string;
  /** console extra: the highest stage started (the current one while running, else the last) */
  currentStage?: number;
}

export const iso = (d: Date | string | null | undefined): string | undefined => (d === null || d === undefined ? undefined : new Date(d).toISOString());

export function toWorkflow(r: any): Workflow {
  const w: Workflow = {
    id: r.id,
    config: { name: r.config?.name ?? '', stages: r.config?.stages ?? [] },
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
  if (r.deleted_at) w.deletedAt = iso(r.deleted_at);
  return w;
}

export function toInstance(r: any): Instance {
  const i: Instance = {
    id: r.id,
    workflowID: r.workflow_id,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    terminated: r.terminated,
  };
  if (r.terminated_at) i.terminatedAt = iso(r.terminated_at);
  if (r.error !== null && r.error !== undefined) i.error = r.error;
  if (r.trigger_id) i.triggerID = r.trigger_id;
  if (r.occurrence_id) i.occurrenceID = r.occurrence_id;
  return i;
}

export function toStageStatus(r: any): StageStatus {
  const s: StageStatus = { stage: r.stage, instanceID: r.instance_id, startedAt: iso(r.started_at)! };
  if (r.terminated_at) s.terminatedAt = iso(r.terminated_at);
  if (r.error !== null && r.error !== undefined) s.error = r.error;
  return s;
}

export function toHistory(r: any) {
  const h: Record<string, unknown> = {
    name: r.run_name,
    input: historyView(r.run_name, r.input ?? {}),
    terminated: r.terminated_at !== null && r.terminated_at !== undefined,
    startedAt: iso(r.started_at),
  };
  if (r.error !== null && r.error !== undefined) h.error = r.error;
  if (r.terminated_at) h.terminatedAt = iso(r.terminated_at);
  return h;
}

export function toActivity(r: any) {
  const a: Record<string, unknown> = {
    name: r.name,
    input: { [r.name]: r.input },
    terminated: r.terminated,
    startedAt: iso(r.started_at),
    attempt: r.attempt,
  };
  if (r.output !== null && r.output !== undefined) a.output = { [r.name]: r.output };
  if (r.error !== null && r.error !== undefined) a.error = r.error;
  if (r.terminated_at) a.terminatedAt = iso(r.terminated_at);
  if (r.last_failure !== null && r.last_failure !== undefined) a.lastFailure = r.last_failure;
  if (r.next_execution) a.nextExecution = iso(r.next_execution);
  return a;
}
